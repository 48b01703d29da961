// How many batches the dispatcher sends at once to a broker that pipelines their members within its in-flight window.
import { describe, expect, it } from 'vitest';
import { pipelinedSends } from '../../../../connectors/core/message-batch.js';
import { buildDestination } from './mqtt-test-kit.js';

describe('sends at once for pipelined batches', () => {
  it('is one more than the batches the window holds, and never more than the window', () => {
    expect(pipelinedSends(20, 250)).toBe(2);
    expect(pipelinedSends(20, 100)).toBe(2);
    expect(pipelinedSends(20, 10)).toBe(3);
    expect(pipelinedSends(20, 1)).toBe(20);
    expect(pipelinedSends(1, 100)).toBe(1);
  });

  it('an MQTT destination with batches asks for that many sends; without batches the dispatcher keeps concurrency', async () => {
    const url = 'mqtt://127.0.0.1:1';
    const batched = buildDestination({ url, topic: 't', concurrency: 20, batch: { maxRecords: 250 } });
    const single = buildDestination({ url, topic: 't', concurrency: 20 });
    try {
      expect(batched.sendConcurrency).toBe(2);
      expect(single.sendConcurrency).toBeUndefined();
    } finally {
      await batched.close();
      await single.close();
    }
  });
});
