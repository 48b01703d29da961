// A pasted sample for the mapping preview: a JSON object or array of objects, or CSV lines under a header line (read by capture's CSV tokenizer).
import { CsvTokenizer } from '../../connectors/sources/folder/records/csv-tokenizer.js';

export interface ParsedSample {
  format: 'json' | 'csv';
  /** The columns of a CSV sample, or the keys of the first JSON record. */
  columns: string[];
  records: Record<string, unknown>[];
}

/** A sample that cannot be read, in words with what to paste instead. */
export class SampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SampleError';
  }
}

const delimiters = [';', ',', '\t', '|'];

/** The rows of a CSV text as capture's tokenizer reads them (RFC 4180 quoting); a bad row throws its reason. */
function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  const tokenizer = new CsvTokenizer(
    { delimiter, quote: '"', escape: '"', skipEmptyLines: true, maxRecordBytes: 1024 * 1024 },
    {
      row: (fields) => void rows.push(fields),
      bad: (line, reason) => {
        throw new SampleError(`line ${line} of the sample: ${reason}`);
      },
      done: false,
    },
  );
  tokenizer.write(text);
  tokenizer.end();
  return rows;
}

/** The delimiter that splits the header line into the most fields (outside quotes). */
function delimiterOf(header: string): string {
  const counts = delimiters.map((d) => {
    try {
      return csvRows(header, d)[0]?.length ?? 0;
    } catch {
      return 0;
    }
  });
  const best = Math.max(...counts);
  return delimiters[counts.indexOf(best)] ?? ',';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function parseJson(text: string, maxRecords: number): ParsedSample {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SampleError(
      `the sample starts like JSON but does not parse: ${(error as Error).message}. Paste one JSON object, an array of objects, or CSV lines under a header line`,
    );
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every(isRecord))
    throw new SampleError('a JSON sample must be an object or an array of objects (one per record)');
  if (list.length > maxRecords)
    throw new SampleError(`the sample holds ${list.length} records; paste at most ${maxRecords}`);
  return { format: 'json', columns: Object.keys(list[0] ?? {}), records: list };
}

function parseCsv(text: string, maxRecords: number): ParsedSample {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = delimiterOf(firstLine);
  const [header, ...rows] = csvRows(text, delimiter).filter((fields) => fields.some((f) => f.trim() !== ''));
  if (header === undefined || rows.length === 0)
    throw new SampleError(
      'a CSV sample needs a header line and at least one row under it (or paste a JSON object instead)',
    );
  if (rows.length > maxRecords)
    throw new SampleError(`the sample holds ${rows.length} rows; paste at most ${maxRecords}`);
  const columns = header.map((c) => c.trim());
  const records = rows.map((values, index) => {
    if (values.length !== columns.length)
      throw new SampleError(
        `row ${index + 1} of the sample has ${values.length} fields, the header has ${columns.length} (delimiter "${delimiter === '\t' ? '\\t' : delimiter}")`,
      );
    const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    columns.forEach((column, i) => (record[column] = values[i]));
    return { ...record };
  });
  return { format: 'csv', columns, records };
}

/** Reads a pasted sample; JSON when it starts with { or [, else CSV. Throws a SampleError saying what is wrong. */
export function parseSampleText(text: string, maxRecords: number): ParsedSample {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new SampleError('the sample is empty: paste a JSON record or CSV lines with a header');
  return trimmed.startsWith('{') || trimmed.startsWith('[')
    ? parseJson(trimmed, maxRecords)
    : parseCsv(trimmed, maxRecords);
}
