// A failure the CLI reports as one clear line plus a hint, with a documented exit code.
export const exitCodes = {
  ok: 0,
  failure: 1,
  badConfig: 2,
  alreadyRunning: 3,
  dataDirUnusable: 4,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
