// Outboxes written before receipts were transport-neutral keep a readable history: `{ status: 201 }` reads as "HTTP 201".
import { describe, expect, it } from 'vitest';
import { batch, change, idOf, leaseKeys, outboxHarness } from './outbox-fixture.js';

const h = outboxHarness();

describe('receipts stored before transport-neutral outcomes', () => {
  it('reads an old { status } receipt and old timeline details as HTTP codes, next to new ones', () => {
    const { clock, outbox } = h.setup();
    outbox.enqueue('conn-a', batch([change('old'), change('new', { orderingKey: 'key-2' })]));
    const oldId = idOf(outbox, 'old');
    const newId = idOf(outbox, 'new');
    const lease = leaseKeys(outbox);
    outbox.settle(lease.token, [
      {
        id: newId,
        kind: 'delivered',
        receipt: { code: 'written', serverId: 'a.json', at: clock.now },
        latencyMs: 3,
      },
    ]);
    // What an earlier version of the agent stored for a delivered record.
    outbox.db
      .prepare(`UPDATE records SET state = 'delivered', settled_at = ?, receipt = ? WHERE id = ?`)
      .run(clock.now, JSON.stringify({ status: 201, serverId: 'inv-7', at: clock.now }), oldId);

    expect(outbox.timeline(oldId)!.record.receipt).toEqual({
      code: 'HTTP 201',
      serverId: 'inv-7',
      at: clock.now,
    });
    expect(outbox.timeline(newId)!.record.receipt).toEqual({
      code: 'written',
      serverId: 'a.json',
      at: clock.now,
    });
    expect(outbox.search({ idempotencyKey: 'old', limit: 5 })[0]!.receipt).toMatchObject({
      code: 'HTTP 201',
    });
  });
});
