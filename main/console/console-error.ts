// A web console problem the user can fix: what is wrong and how to fix it.
export class ConsoleError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(`${message}. Fix: ${hint}`);
    this.name = 'ConsoleError';
  }
}
