// The network doctor sends the connection's credentials to the destination, so the agent runs it for admins only.
import { describe, expect, it } from 'vitest';
import type { AgentBackend } from '../../../main/api/agent-backend.js';
import { createAgentHandlers } from '../../../main/api/agent-handlers.js';

describe('runDoctor role', () => {
  it('refuses viewers without reaching the backend; admins run it', async () => {
    const runs: unknown[] = [];
    const backend = {
      runDoctor: (args: unknown) => {
        runs.push(args);
        return { checks: [] };
      },
    } as unknown as AgentBackend;
    const handlers = createAgentHandlers(backend);
    await expect(
      handlers.call('runDoctor', { connection: 'orders' }, { role: 'viewer' }),
    ).rejects.toMatchObject({ code: 'forbidden', hint: expect.stringContaining('admin') });
    expect(runs).toEqual([]);
    await handlers.call('runDoctor', { connection: 'orders' }, { role: 'admin' });
    expect(runs).toEqual([{ connection: 'orders' }]);
  });
});
