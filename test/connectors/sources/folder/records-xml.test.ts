// Records mode, XML: record path, attributes, nesting, namespaces, line numbers, and what ends or spares a file.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  parseRecords,
  recordFormatSchema,
  type RecordEvent,
} from '../../../../connectors/sources/folder/records/index.js';

async function parse(
  xml: string | Buffer,
  recordPath: string,
  extra: { encoding?: 'utf-8' | 'windows-1252'; maxRecordBytes?: number } = {},
  chunkBytes = 1 << 16,
): Promise<RecordEvent[]> {
  const bytes = typeof xml === 'string' ? Buffer.from(xml) : xml;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  const options = recordFormatSchema.parse({ format: 'xml', recordPath, ...extra });
  const events: RecordEvent[] = [];
  for await (const event of parseRecords(Readable.from(chunks), options)) events.push(event);
  return events;
}

function summary(events: RecordEvent[]): unknown[] {
  return events.map((e) =>
    e.kind === 'record'
      ? [e.record.index, e.record.line, e.record.value]
      : [e.row.index, e.row.line, 'rejected', e.row.reason],
  );
}

const invoices = `<?xml version="1.0" encoding="UTF-8"?>
<Export created="2024-05-01">
  <Header><Invoice>not a record: wrong path</Invoice></Header>
  <Invoices>
    <Invoice id="A-1" currency="EUR">
      <Customer no="7">Müller &amp; Söhne</Customer>
      <Line><Sku>X</Sku><Qty>2</Qty></Line>
      <Line><Sku>Y</Sku><Qty>1</Qty></Line>
      <Note><![CDATA[<b>fragile</b>]]></Note>
      <Empty/>
      <Padded>  two spaces  </Padded>
    </Invoice>
    <Invoice id="A-2">plain <em>mixed</em> text</Invoice>
    <Invoice>just text</Invoice>
  </Invoices>
</Export>
`;

describe('XML records', () => {
  it('maps attributes to @name, children to properties, repeated children to lists, and keeps leaf text as written', async () => {
    expect(summary(await parse(invoices, 'Export/Invoices/Invoice'))).toEqual([
      [
        0,
        5,
        {
          '@id': 'A-1',
          '@currency': 'EUR',
          Customer: { '@no': '7', '#text': 'Müller & Söhne' },
          Line: [
            { Sku: 'X', Qty: '2' },
            { Sku: 'Y', Qty: '1' },
          ],
          Note: '<b>fragile</b>',
          Empty: '',
          Padded: '  two spaces  ',
        },
      ],
      [1, 13, { '@id': 'A-2', em: 'mixed', '#text': 'plain  text' }],
      [2, 14, { '#text': 'just text' }],
    ]);
  });

  it('matches local names, drops namespace declarations and attribute prefixes', async () => {
    const xml = `<ex:Export xmlns:ex="urn:export" xmlns="urn:default">
  <ex:Invoices>
    <Invoice xmlns:x="urn:x" x:id="1"><x:No>N-1</x:No></Invoice>
  </ex:Invoices>
</ex:Export>`;
    expect(summary(await parse(xml, 'Export/Invoices/Invoice'))).toEqual([[0, 3, { '@id': '1', No: 'N-1' }]]);
  });

  it('follows a record path deep in the tree, with * for any one element and an optional leading /', async () => {
    const xml = '<a><b><c><r n="1"/></c><d><r n="2"/></d></b><r n="3"/></a>';
    expect(summary(await parse(xml, 'a/b/c/r'))).toEqual([[0, 1, { '@n': '1' }]]);
    expect(summary(await parse(xml, '/a/b/*/r'))).toEqual([
      [0, 1, { '@n': '1' }],
      [1, 1, { '@n': '2' }],
    ]);
  });

  it('yields nothing when no element is at the record path', async () => {
    expect(await parse(invoices, 'Export/Invoice')).toEqual([]);
  });

  it('rejects only the record with an entity XML does not know, and reads on', async () => {
    const xml = '<l>\n<r><v>1</v></r>\n<r><v>a&nbsp;b</v></r>\n<r><v>3</v></r>\n</l>';
    expect(summary(await parse(xml, 'l/r'))).toEqual([
      [0, 2, { v: '1' }],
      [1, 3, 'rejected', expect.stringMatching(/^undefined entity on line 3, column \d+/)],
      [2, 4, { v: '3' }],
    ]);
  });

  it('stops at a mismatched close tag and does not count the record it closed as read', async () => {
    const events = await parse('<l>\n<r>1</r>\n<r>2</x>\n<r>3</r>\n</l>', 'l/r');
    expect(summary(events)).toEqual([
      [0, 2, { '#text': '1' }],
      [
        1,
        3,
        'rejected',
        expect.stringMatching(
          /^XML is not well-formed on line 3, column \d+: unexpected close tag; the record that starts on line 3 was not read; stopped reading this file \(the 1 record before it was read\)$/,
        ),
      ],
    ]);
  });

  it('stops with a clear reason when the document is truncated', async () => {
    const events = await parse('<l>\n<r>1</r>\n<r><v>2</v>', 'l/r');
    expect(summary(events)).toEqual([
      [0, 2, { '#text': '1' }],
      [1, 3, 'rejected', expect.stringContaining('XML is not well-formed on line 3')],
    ]);
    expect(events[1]?.kind === 'rejected' && events[1].row.reason).toContain(
      'the record that starts on line 3 was not read',
    );
  });

  it('reads windows-1252 when configured and declared, and stops when the declaration says otherwise', async () => {
    const body = (decl: string) =>
      Buffer.concat([
        Buffer.from(`<?xml version="1.0" encoding="${decl}"?><l><r>`),
        Buffer.from([0x80, 0xe9]),
        Buffer.from('</r></l>'),
      ]);
    expect(summary(await parse(body('windows-1252'), 'l/r', { encoding: 'windows-1252' }))).toEqual([
      [0, 1, { '#text': '€é' }],
    ]);
    expect(summary(await parse(body('ISO-8859-1'), 'l/r'))).toEqual([
      [
        0,
        1,
        'rejected',
        expect.stringContaining(
          'the XML declaration says encoding="ISO-8859-1" but the file is read as utf-8',
        ),
      ],
    ]);
  });

  it('rejects a record larger than maxRecordBytes without holding it, and reads the next one', async () => {
    const big = `<r>${'<v>0123456789</v>'.repeat(2000)}</r>`;
    const xml = `<l>\n<r>1</r>\n${big}\n<r>3</r>\n</l>`;
    expect(summary(await parse(xml, 'l/r', { maxRecordBytes: 4096 }, 1000))).toEqual([
      [0, 2, { '#text': '1' }],
      [1, 3, 'rejected', expect.stringContaining('record is larger than maxRecordBytes (4096 characters)')],
      [2, 4, { '#text': '3' }],
    ]);
  });

  it('gives the same events however the bytes are split', async () => {
    const records = Array.from({ length: 300 }, (_, i) => `  <r id="${i}"><v>é€ ${i}</v><v>x</v></r>`).join(
      '\n',
    );
    const xml = `<l>\n${records}\n</l>\n`;
    const whole = summary(await parse(xml, 'l/r'));
    expect(whole).toHaveLength(300);
    expect(whole[299]).toEqual([299, 301, { '@id': '299', v: ['é€ 299', 'x'] }]);
    for (const size of [3, 100]) expect(summary(await parse(xml, 'l/r', {}, size))).toEqual(whole);
  });
});
