// The wizard's records preview of a folder source: a real file (or pasted text) through the capture parsers, bounded.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { basename } from 'node:path';
import type { PreviewOptions } from '../../core/connector.js';
import type { RecordsPreview } from '../../../preload/contract/records-preview.js';
import type { FolderSourceConfig } from './config.js';
import { previewFiles } from './preview-files.js';
import {
  parseRecordBatches,
  type RecordFormatOptions,
  type RecordInput,
  type RecordValue,
} from './records/index.js';

/** At most this much of a file is read, and for at most this long: the rest is read when the file is captured. */
export const previewBounds = { bytes: 1024 * 1024, ms: 3000 };
/** Files offered to pick from. */
const maxListed = 20;
/** Shown values are clipped (capture keeps them whole). */
const maxText = 500;
const maxItems = 50;

/** Thrown by the bounded input once the byte bound is reached: what was parsed before it stands. */
class CutOff extends Error {}

const sizeText = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`;

async function* bounded(input: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of input) {
    const room = maxBytes - total;
    if (chunk.byteLength > room) {
      if (room > 0) yield chunk.subarray(0, room);
      throw new CutOff();
    }
    total += chunk.byteLength;
    yield chunk;
  }
}

/** A shown value: long texts and lists are clipped so the preview stays small. */
function clip(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > maxText ? `${value.slice(0, maxText)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 5) return '…';
  if (Array.isArray(value)) return value.slice(0, maxItems).map((v) => clip(v, depth + 1));
  const entries = Object.entries(value).slice(0, maxItems);
  return Object.fromEntries(entries.map(([k, v]) => [k, clip(v, depth + 1)]));
}

/** Column names in order of first appearance; fields of a header-less CSV row are numbered from 1. */
function columnsOf(values: RecordValue[]): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    if (Array.isArray(value)) value.forEach((_, i) => seen.add(String(i + 1)));
    else for (const key of Object.keys(value)) seen.add(key);
  }
  return [...seen];
}

interface Parsed {
  records: RecordsPreview['records'];
  rejected: RecordsPreview['rejected'];
  counts: RecordsPreview['counts'];
  partial?: string;
}

async function parse(
  input: RecordInput,
  format: RecordFormatOptions,
  limit: number,
  cut: string,
): Promise<Parsed> {
  const result: Parsed = { records: [], rejected: [], counts: { records: 0, rejected: 0 } };
  const signal = AbortSignal.timeout(previewBounds.ms);
  try {
    for await (const batch of parseRecordBatches(input, format, signal)) {
      for (const event of batch) {
        if (event.kind === 'record') {
          result.counts.records += 1;
          if (result.records.length < limit)
            result.records.push({ line: event.record.line, value: clip(event.record.value) as RecordValue });
        } else {
          result.counts.rejected += 1;
          const { line, reason, excerpt } = event.row;
          if (result.rejected.length < limit) result.rejected.push({ line, reason, excerpt });
        }
      }
    }
  } catch (error) {
    if (error instanceof CutOff) result.partial = cut;
    else if (signal.aborted) result.partial = `what could be read in ${previewBounds.ms / 1000} s`;
    else throw error;
  }
  return result;
}

const empty = { files: [], columns: [], records: [], rejected: [], counts: { records: 0, rejected: 0 } };

/** The first `limit` records and rejected rows of a file of the folder (or of `sample`), as capture would parse them. */
export async function previewFolderRecords(
  config: FolderSourceConfig,
  options: PreviewOptions,
): Promise<RecordsPreview> {
  const format = config.records;
  if (!format)
    return {
      ...empty,
      input: 'nothing',
      problem:
        'the source captures whole files: choose a records format (CSV, JSON, NDJSON or XML) to preview records',
    };
  if (options.sample !== undefined) {
    const text = Readable.from([Buffer.from(options.sample, 'utf8')]);
    const parsed = await parse(text, { ...format, encoding: 'utf-8' }, options.limit, '');
    return {
      ...empty,
      input: 'the pasted sample',
      ...parsed,
      columns: columnsOf(parsed.records.map((r) => r.value)),
    };
  }
  const listing = await previewFiles(config);
  const files = listing.files.slice(0, maxListed).map((f) => f.path);
  const chosen =
    options.file === undefined ? listing.files[0] : listing.files.find((f) => f.path === options.file);
  if (!chosen) {
    const folders = [config.path, ...config.paths].join(', ');
    const problem =
      options.file !== undefined
        ? `${options.file} is not a file this source picks up (patterns ${config.include.join(', ')}): choose one of the listed files`
        : (listing.problem ??
          `no file in ${folders} matches ${config.include.join(', ')} yet: drop a sample export into the folder, or paste a sample`);
    return { ...empty, files, input: 'nothing', problem };
  }
  const cut = `the first ${sizeText(previewBounds.bytes)} of ${sizeText(chosen.bytes)}`;
  const stream = createReadStream(chosen.path, { highWaterMark: 64 * 1024 });
  let parsed: Parsed;
  try {
    parsed = await parse(bounded(stream, previewBounds.bytes), format, options.limit, cut);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      ...empty,
      files,
      file: chosen.path,
      input: basename(chosen.path),
      problem: `${chosen.path} cannot be read (${code}): give the account that runs the agent read access`,
    };
  } finally {
    stream.destroy();
  }
  return {
    ...parsed,
    input: `${basename(chosen.path)} (${sizeText(chosen.bytes)})`,
    file: chosen.path,
    files,
    columns: columnsOf(parsed.records.map((r) => r.value)),
  };
}
