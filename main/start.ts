// `npm start`: opens the desktop app when the Electron binary is installed, otherwise says so and runs headless.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './version.js';

function electronBinary(): string | undefined {
  try {
    // The electron package exports the path of its binary, and throws when the binary was never downloaded.
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const args = process.argv.slice(2);
const child = binary
  ? spawn(binary, [packageRoot, ...args], { stdio: 'inherit' })
  : (process.stdout.write(
      'Electron is not installed on this machine (its binary could not be downloaded), so the desktop window is not ' +
        'available: running the agent headless instead. See README "Desktop app".\n',
    ),
    spawn(process.execPath, [join(packageRoot, 'dist', 'main', 'cli.js'), 'run', ...args], {
      stdio: 'inherit',
    }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
