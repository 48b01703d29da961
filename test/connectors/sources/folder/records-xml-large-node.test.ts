// Records mode, XML: one huge text node, attribute or comment is refused while streaming, with bounded memory.
import { describe, expect, it } from 'vitest';
import {
  parseRecords,
  recordFormatSchema,
  type RecordEvent,
} from '../../../../connectors/sources/folder/records/index.js';

const MiB = 1024 * 1024;
const nodeMiB = 80;

/** `before`, then `nodeMiB` MiB of "a", then `after`, counting the bytes the parser pulled and the highest RSS. */
function hugeNode(before: string, after: string) {
  const seen = { bytes: 0, peakRss: process.memoryUsage().rss };
  const filler = Buffer.alloc(MiB, 'a');
  async function* chunks(): AsyncGenerator<Buffer> {
    const pull = (chunk: Buffer) => {
      seen.bytes += chunk.length;
      seen.peakRss = Math.max(seen.peakRss, process.memoryUsage().rss);
      return chunk;
    };
    yield pull(Buffer.from(before));
    for (let i = 0; i < nodeMiB; i += 1) {
      await new Promise((resolve) => setImmediate(resolve)); // one read at a time, like a file
      yield pull(filler);
    }
    yield pull(Buffer.from(after));
  }
  return { seen, chunks };
}

async function parse(input: AsyncIterable<Buffer>): Promise<RecordEvent[]> {
  const options = recordFormatSchema.parse({ format: 'xml', recordPath: '/Export/Invoice' });
  const events: RecordEvent[] = [];
  for await (const event of parseRecords(input, options)) events.push(event);
  return events;
}

const reasons = (events: RecordEvent[]) =>
  events.map((e) => (e.kind === 'rejected' ? e.row.reason : JSON.stringify(e.record.value)));

describe('XML records: one node larger than maxRecordBytes', () => {
  it.each([
    ['a text node', '<Export><Invoice id="1"/><Invoice><Note>', '</Note></Invoice></Export>'],
    ['an attribute value', '<Export><Invoice id="1"/><Invoice note="', '"/></Export>'],
    ['a comment between records', '<Export><Invoice id="1"/><!--', '--></Export>'],
  ])(
    '%s is refused while streaming: the file stops with the reason, and memory stays bounded',
    async (_, before, after) => {
      const rssBefore = process.memoryUsage().rss;
      const { seen, chunks } = hugeNode(before, after);
      const events = await parse(chunks());
      expect(reasons(events)).toEqual([
        '{"@id":"1"}',
        expect.stringMatching(
          /^XML text on line 1 runs for more than maxRecordBytes \(1048576 characters\) without a tag: .*raise records\.maxRecordBytes.*; stopped reading this file/,
        ),
      ]);
      // The parser stopped pulling soon after the limit, so it cannot have buffered the node.
      expect(seen.bytes).toBeLessThan(4 * MiB);
      expect(seen.peakRss - rssBefore).toBeLessThan(48 * MiB);
    },
  );
});
