// Runs the real promtool (from Debian's prometheus package); a missing promtool fails with the command that installs it.
import { spawnSync } from 'node:child_process';

const installHint = 'bash test/support/install-system-packages.sh (or apt-get install -y prometheus)';

/** `promtool <args>` with `input` on stdin: its exit status and everything it printed. */
export function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { input, encoding: 'utf8' });
  const code = run.error && 'code' in run.error ? run.error.code : undefined;
  if (code === 'ENOENT') throw new Error(`promtool is not installed: ${installHint}`);
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
