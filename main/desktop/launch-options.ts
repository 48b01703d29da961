// What the desktop app was started with: --config / --data-dir (as for `integration-agent run`) and --hidden (at login).
import { hiddenStartArg } from './login-item.js';

export interface DesktopLaunchOptions {
  config?: string;
  dataDir?: string;
  /** Started at login: stay in the tray, open no window. */
  hidden: boolean;
}

/** `argv` is process.argv; Electron's own switches and the app path are ignored. Accepts `--x value` and `--x=value`. */
export function desktopLaunchOptions(argv: readonly string[]): DesktopLaunchOptions {
  const options: DesktopLaunchOptions = { hidden: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === hiddenStartArg) options.hidden = true;
    for (const [flag, key] of [
      ['--config', 'config'],
      ['--data-dir', 'dataDir'],
    ] as const) {
      if (arg === flag && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--'))
        options[key] = argv[++i];
      else if (arg.startsWith(`${flag}=`) && arg.length > flag.length + 1)
        options[key] = arg.slice(flag.length + 1);
    }
  }
  return options;
}
