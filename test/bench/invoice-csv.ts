// The benchmarks' CSV fixture: a generated invoice export written in streamed chunks.
import { createWriteStream, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';

/** An invoice export: 8 columns, every 10th row with a quoted field holding the delimiter, every 100th a line break. */
export async function writeInvoiceCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('invoice_no,customer_no,customer,issued,due,currency,amount,note\r\n');
  for (let start = 0; start < rows; start += 10_000) {
    let text = '';
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      const note = i % 100 === 0 ? '"two\r\nlines"' : i % 10 === 0 ? '"late, reminded"' : 'ok';
      text += `INV-${i},C${i % 5000},Customer ${i % 5000} GmbH,2024-05-01,2024-05-31,EUR,${(i % 99_999) / 100},${note}\r\n`;
    }
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  return statSync(path).size;
}
