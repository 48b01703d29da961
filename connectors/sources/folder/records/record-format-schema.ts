// Config schema of records mode (`source.records`): the file format, its text encoding and the per-record keys.
import { z } from 'zod';

const KiB = 1024;
const MiB = 1024 * KiB;

export const recordEncodings = ['utf-8', 'windows-1252', 'latin1', 'utf-16le'] as const;
export type RecordEncoding = (typeof recordEncodings)[number];

const common = {
  encoding: z
    .enum(recordEncodings)
    .default('utf-8')
    .describe(
      'Text encoding of the files. utf-8 strips a byte order mark; latin1 is decoded like windows-1252, ' +
        'as the WHATWG Encoding Standard defines it (0x80 is €)',
    ),
  maxRecordBytes: z
    .int()
    .min(KiB)
    .max(256 * MiB)
    .default(MiB)
    .describe(
      'A record longer than this many characters is rejected and skipped; bounds the memory one record can take',
    ),
  keyColumn: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Column (or field) that identifies a record. Set: a record is keyed by this value and its content, so ' +
        'the same row in a later version of the file is not sent again. Unset: keyed by file version and row ' +
        'position, so every new version of a file sends all its rows',
    ),
  businessKeyColumn: z
    .string()
    .min(1)
    .optional()
    .describe('Column (or field) shown and searchable as the business key, e.g. the invoice number'),
};

const csvSchema = z
  .strictObject({
    format: z.literal('csv'),
    header: z
      .union([z.boolean(), z.array(z.string().min(1)).min(1)])
      .default(true)
      .describe(
        'true: the first line names the columns. false: records are lists of fields. ' +
          'A list of names: the file has no header line and these name the columns',
      ),
    delimiter: z.string().min(1).max(8).default(',').describe('Field separator, e.g. "," ";" or "\\t"'),
    quote: z
      .string()
      .max(1)
      .default('"')
      .describe('Character that encloses fields containing delimiters or line breaks; "" turns quoting off'),
    escape: z
      .string()
      .length(1)
      .optional()
      .describe('Character that escapes a quote inside a quoted field; by default the quote itself ("")'),
    skipEmptyLines: z.boolean().default(true).describe('Ignore lines with nothing on them'),
    relaxColumnCount: z
      .boolean()
      .default(false)
      .describe(
        'Accept rows with more or fewer fields than the header: missing fields are left out, extra fields ' +
          'are named column<N> (N counts from 1). Off: such rows are rejected',
      ),
    ...common,
  })
  .superRefine((csv, ctx) => {
    const problem = (path: string, message: string, fix: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message, params: { fix } });
    if (/[\r\n]/.test(csv.delimiter)) {
      problem('delimiter', 'the delimiter contains a line break', 'use a character such as "," ";" or "\\t"');
    }
    if (csv.quote !== '' && csv.delimiter.includes(csv.quote)) {
      problem(
        'delimiter',
        `the delimiter contains the quote character ${csv.quote}`,
        'use different characters',
      );
    }
    if (csv.escape !== undefined && csv.quote === '') {
      problem('escape', 'an escape character needs quoting, but quote is ""', 'remove escape or set a quote');
    }
    if (csv.escape !== undefined && csv.delimiter.includes(csv.escape)) {
      problem('escape', 'the escape character is part of the delimiter', 'use different characters');
    }
    if (Array.isArray(csv.header)) {
      const seen = new Set<string>();
      for (const name of csv.header) {
        if (seen.has(name))
          problem('header', `column "${name}" is listed twice`, 'give every column its own name');
        seen.add(name);
      }
    }
  })
  .describe('Comma-separated (or other delimiter) text, one record per row');

const jsonArraySchema = z
  .strictObject({ format: z.literal('json-array'), ...common })
  .describe('A JSON array of objects, read element by element');

const ndjsonSchema = z
  .strictObject({ format: z.literal('ndjson'), ...common })
  .describe('Newline-delimited JSON: one object per line');

const xmlSchema = z
  .strictObject({
    format: z.literal('xml'),
    recordPath: z
      .string()
      .regex(/^\/?[^/\s]+(\/[^/\s]+)*$/, {
        error: 'must be element names from the root separated by /, such as Export/Invoices/Invoice',
      })
      .describe(
        'Element path from the root to each record, e.g. Export/Invoices/Invoice; local names (namespace ' +
          'prefixes ignored); * matches any one element',
      ),
    ...common,
  })
  .describe(
    'XML: each element at recordPath is one record; attributes become @name, child elements properties ' +
      '(repeated ones lists), text #text when mixed with attributes or children',
  );

export const recordFormatSchema = z
  .discriminatedUnion('format', [csvSchema, jsonArraySchema, ndjsonSchema, xmlSchema])
  .describe('Records mode: every record in a file becomes its own change');

export type RecordFormatOptions = z.output<typeof recordFormatSchema>;
export type RecordFormatInput = z.input<typeof recordFormatSchema>;
export type CsvFormatOptions = Extract<RecordFormatOptions, { format: 'csv' }>;
export type XmlFormatOptions = Extract<RecordFormatOptions, { format: 'xml' }>;
