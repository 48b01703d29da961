// Desktop launch arguments: --config, --data-dir (both spellings), --hidden; Electron's own arguments ignored.
import { describe, expect, it } from 'vitest';
import { desktopLaunchOptions } from '../../../main/desktop/launch-options.js';

describe('desktopLaunchOptions', () => {
  it('reads the config, data dir and hidden flag between Electron arguments', () => {
    expect(
      desktopLaunchOptions([
        '/opt/Integration Agent/integration-agent-desktop',
        '/opt/app',
        '--config',
        '/etc/agent.yaml',
        '--data-dir=/srv/agent',
        '--hidden',
        '--no-sandbox',
      ]),
    ).toEqual({ config: '/etc/agent.yaml', dataDir: '/srv/agent', hidden: true });
  });

  it('defaults to a visible window and ignores a flag without its value', () => {
    expect(desktopLaunchOptions(['electron', '.'])).toEqual({ hidden: false });
    expect(desktopLaunchOptions(['electron', '.', '--config', '--hidden', '--data-dir='])).toEqual({
      hidden: true,
    });
  });
});
