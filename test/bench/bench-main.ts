// The shared entry point of the benchmarks: parse options, sweep stale temp dirs, run in a temp area, map errors to exit codes.
import { loadavg } from 'node:os';
import { sweepStaleAreas, TempArea } from './temp-area.js';

/** Exit code: 0 after a report (missed targets included: a benchmark reports, it does not judge), 1 failed, 2 bad options. */
export async function benchMain<Options extends { tmpBase: string }>(
  parse: (argv: string[], env: NodeJS.ProcessEnv) => Options | 'help',
  usage: string,
  run: (options: Options, area: TempArea) => Promise<void>,
): Promise<number> {
  let options: Options | 'help';
  try {
    options = parse(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  let area: TempArea | undefined;
  try {
    const swept = sweepStaleAreas(options.tmpBase);
    if (swept > 0) process.stderr.write(`removed ${swept} temp dir(s) left by killed runs\n`);
    area = TempArea.create(options.tmpBase);
    area.installExitHandlers();
    await run(options, area);
    return 0;
  } catch (error) {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  } finally {
    area?.cleanup();
  }
}

/** The 1/5/15-minute load averages, printed next to figures so a busy machine is visible in the report. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
