// Entry point of records mode: streams a file's bytes through the decoder and the format's parser, with backpressure.
import { addAbortSignal, Readable } from 'node:stream';
import { CsvRecords } from './csv-records.js';
import { BinaryFileError, decodeText } from './decode-text.js';
import { JsonArrayRecords } from './json-array-records.js';
import { NdjsonRecords } from './ndjson-records.js';
import { ParseContext } from './parse-context.js';
import type { RecordEvent } from './record-event.js';
import type { RecordFormatOptions } from './record-format-schema.js';
import type { RecordParser } from './record-parser.js';
import { XmlRecords } from './xml-records.js';

/** Raw bytes of one file: a Node readable (fs.createReadStream) or any async iterable of byte chunks. */
export type RecordInput = NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/**
 * Parses one file into batches of events, one batch per decoded chunk (at most 64 KiB of text), in file order.
 * Nothing is read ahead: the next chunk is read only when the consumer asks for the next batch, so memory stays
 * bounded whatever the file size, and a slow consumer pauses the read. Errors reading the input (file vanished,
 * permission denied) are thrown; problems in the content become `rejected` events. Aborting `signal` throws its
 * reason and closes the input.
 */
export async function* parseRecordBatches(
  input: RecordInput,
  options: RecordFormatOptions,
  signal?: AbortSignal,
): AsyncGenerator<RecordEvent[], void, undefined> {
  signal?.throwIfAborted();
  if (signal !== undefined && input instanceof Readable) addAbortSignal(signal, input);
  const ctx = new ParseContext(options.encoding, options.maxRecordBytes);
  const parser = parserFor(options, ctx);
  const chunks = input as AsyncIterable<Uint8Array | string>;
  try {
    for await (const text of decodeText(chunks, options.encoding, ctx.flags, signal)) {
      parser.write(text);
      const events = ctx.take();
      if (events.length > 0) {
        yield events;
        signal?.throwIfAborted();
      }
      if (ctx.stopped) return;
    }
    parser.end();
  } catch (error) {
    if (!(error instanceof BinaryFileError)) throw error;
    ctx.stop(0, error.message, '');
  }
  const events = ctx.take();
  if (events.length > 0) yield events;
}

/** One event at a time; see parseRecordBatches, which costs less per record. */
export async function* parseRecords(
  input: RecordInput,
  options: RecordFormatOptions,
  signal?: AbortSignal,
): AsyncGenerator<RecordEvent, void, undefined> {
  for await (const batch of parseRecordBatches(input, options, signal)) {
    for (const event of batch) {
      signal?.throwIfAborted();
      yield event;
    }
  }
}

function parserFor(options: RecordFormatOptions, ctx: ParseContext): RecordParser {
  switch (options.format) {
    case 'csv':
      return new CsvRecords(options, ctx);
    case 'json-array':
      return new JsonArrayRecords(ctx);
    case 'ndjson':
      return new NdjsonRecords(ctx);
    case 'xml':
      return new XmlRecords(options, ctx);
  }
}
