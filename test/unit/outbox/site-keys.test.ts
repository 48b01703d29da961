// agent.siteId: records captured under a site id are sent as "<site>:<key>"; records stored before keep their key.
import { describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../../main/config/schema.js';
import { batch, bigLease, change, leaseKeys, outboxHarness } from './outbox-fixture.js';

const h = outboxHarness();

describe('site id in the sent key', () => {
  it("prefixes new records only, dedupes by the captured key, and never changes a stored record's key", () => {
    const { outbox } = h.setup();
    outbox.enqueue('conn-a', batch([change('old', { orderingKey: 'k1' })]));
    outbox.useSiteId('plant-7');
    // "old" captured again under the site id: still one record, and it keeps its bare key.
    const again = outbox.enqueue(
      'conn-a',
      batch([change('old', { orderingKey: 'k1' }), change('new', { orderingKey: 'k2' })]),
    );
    expect(again).toEqual({ inserted: 1, duplicates: 1 });
    outbox.useSiteId('plant-8');
    outbox.enqueue('conn-a', batch([change('later', { orderingKey: 'k3' })]));
    outbox.useSiteId(undefined);
    outbox.enqueue('conn-a', batch([change('bare', { orderingKey: 'k4' })]));

    expect(leaseKeys(outbox).keys).toEqual(['old', 'plant-7:new', 'plant-8:later', 'bare']);
    // The outbox still knows records by the key the source derives (sources look them up by it).
    expect([...outbox.deliveryStates('conn-a', ['old', 'new', 'later', 'bare']).keys()].sort()).toEqual([
      'bare',
      'later',
      'new',
      'old',
    ]);
  });

  it('derives a batch key from the sent keys, so two sites with the same records send different batch keys', () => {
    const { outbox } = h.setup();
    // Two connections stand in for two agents' outboxes capturing the same source records.
    const keysFor = (site: string) => {
      outbox.useSiteId(site);
      const connection = `conn-${site}`;
      outbox.enqueue(
        connection,
        batch([change('a', { orderingKey: 'k1' }), change('b', { orderingKey: 'k2' })]),
      );
      return outbox.lease({ connection, ...bigLease, batch: true }).batchKey;
    };
    const berlin = keysFor('berlin');
    expect(berlin).toBeDefined();
    expect(keysFor('munich')).not.toBe(berlin);
  });

  it('refuses a site id that is not a plain name, saying what it may hold', () => {
    const parsed = agentConfigSchema.safeParse({ configVersion: 1, agent: { siteId: 'plant 7/x' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['agent', 'siteId'] });
    expect(parsed.error?.issues[0]?.message).toContain('letters, digits');
    expect(agentConfigSchema.parse({ configVersion: 1, agent: { siteId: 'plant-7' } }).agent).toEqual({
      siteId: 'plant-7',
    });
  });
});
