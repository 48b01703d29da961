// A taken console port: the default falls back to a free port (and says which); a port set on purpose fails clearly.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../main/console/console-error.js';
import { readConsoleAddress } from '../../main/console/console-address.js';
import { useConsole } from './console-harness.js';

const start = useConsole('console-port-');
let blocker: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

async function takenPort(): Promise<number> {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}

describe('console port in use', () => {
  it('falls back to a free port when allowed, records it for console-url and says what it wanted', async () => {
    const port = await takenPort();
    const web = await start({ port, fallbackToFreePort: true });
    expect(web.console.port).not.toBe(port);
    expect(web.console.fallbackFrom).toBe(port);
    expect((await readConsoleAddress(web.dataDir))?.port).toBe(web.console.port);
    expect((await web.send('/')).status).toBe(200);
  });

  it('fails with the port and a fix when the port was set on purpose', async () => {
    const port = await takenPort();
    const failure = await start({ port }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConsoleError);
    expect((failure as ConsoleError).message).toContain(`127.0.0.1:${port} (EADDRINUSE)`);
  });
});
