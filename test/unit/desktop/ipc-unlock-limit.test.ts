// Desktop IPC: admin unlock has the console's attempt limit (real handlers, real passphrase file).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setAdminPassphrase, verifyAdminPassphrase } from '../../../main/api/admin-passphrase.js';
import type { AgentBackend } from '../../../main/api/agent-backend.js';
import { createAgentHandlers } from '../../../main/api/agent-handlers.js';
import { UnlockLimiter } from '../../../main/console/unlock-limiter.js';
import { registerIpcHandlers } from '../../../main/electron/ipc.js';
import type { IpcReply } from '../../../preload/ipc-channels.js';

type Handler = (event: { senderFrame: { url: string } }, method: unknown, args: unknown) => Promise<IpcReply>;

describe('desktop IPC admin unlock', () => {
  it('pauses unlocking after the free wrong passphrases, even for the right one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ipc-unlock-'));
    await setAdminPassphrase(dataDir, 'correct horse battery staple');
    const backend = {
      adminPassphraseSet: () => Promise.resolve(true),
      verifyAdminPassphrase: (passphrase: string) => verifyAdminPassphrase(dataDir, passphrase),
    } as unknown as AgentBackend;
    let handler: Handler | undefined;
    registerIpcHandlers(
      { handle: (_channel: string, h: Handler) => (handler = h), removeHandler: () => undefined } as never,
      createAgentHandlers(backend),
      {
        isTrustedSender: () => true,
        role: () => 'viewer',
        unlockLimiter: new UnlockLimiter({ perSession: { freeFailures: 3, baseDelayMs: 60_000 } }),
      },
    );
    const unlock = (passphrase: string) =>
      handler!({ senderFrame: { url: 'app://agent/' } }, 'unlockAdmin', { passphrase });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await unlock(`wrong guess ${i}`);
      codes.push(reply.ok ? 'ok' : reply.error.code);
    }
    expect(codes).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden']);
    const paused = await unlock('correct horse battery staple');
    expect(paused).toMatchObject({ ok: false, error: { code: 'unavailable', message: /too many wrong/ } });
  });
});
