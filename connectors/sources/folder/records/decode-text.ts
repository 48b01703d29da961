// Streaming bytes → text: decodes chunk by chunk (BOM stripped), flags NUL and undecodable bytes, refuses binary files.
import { TextDecoder } from 'node:util';
import type { TextFlags } from './parse-context.js';
import type { RecordEncoding } from './record-format-schema.js';

/** Text is handed on in slices of at most this many bytes, so one huge input chunk never becomes one huge burst. */
const sliceBytes = 64 * 1024;
/** A NUL within the first bytes of a file means it is binary, not text in a single-byte or UTF-8 encoding. */
const sniffBytes = 4096;
const replacement = Buffer.from([0xef, 0xbf, 0xbd]);

/** The file is not text in the configured encoding at all; nothing in it is parsed. */
export class BinaryFileError extends Error {
  constructor(encoding: RecordEncoding) {
    super(
      `the file looks binary (NUL bytes in its first ${sniffBytes} bytes), not ${encoding} text; ` +
        (encoding === 'utf-16le'
          ? 'check that this file belongs in this folder'
          : 'if it is UTF-16 text, set records.encoding to "utf-16le"; otherwise keep such files out of this folder'),
    );
    this.name = 'BinaryFileError';
  }
}

/**
 * Decodes `input` lazily: the next chunk is read only when the consumer asks for more text, so a slow consumer
 * holds the file read (backpressure). A byte order mark decides the encoding (UTF-8 or UTF-16LE) over the
 * configured one. Never calls the one-shot `decode(bytes)`: on Node 20 its windows-1252 fast path decodes as
 * ISO-8859-1 (0x80 → U+0080 instead of €); the streaming path is correct.
 */
export async function* decodeText(
  input: AsyncIterable<Uint8Array | string>,
  configured: RecordEncoding,
  flags: TextFlags,
  signal?: AbortSignal,
): AsyncGenerator<string, void, undefined> {
  let state: DecodeState | undefined;
  let head: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    signal?.throwIfAborted();
    if (typeof chunk === 'string') {
      throw new TypeError(
        'records input must yield bytes, not strings: do not call setEncoding() on the stream',
      );
    }
    let bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (state === undefined) {
      head = head.length > 0 ? Buffer.concat([head, bytes]) : bytes;
      if (head.length < sniffBytes) continue; // enough to see a byte order mark and to sniff for binary
      state = new DecodeState(encodingOf(head, configured), flags);
      bytes = head;
    }
    for (let start = 0; start < bytes.length; start += sliceBytes) {
      const text = state.decode(bytes.subarray(start, start + sliceBytes));
      if (text !== '') {
        yield text;
        signal?.throwIfAborted();
      }
    }
  }
  if (state === undefined) {
    state = new DecodeState(encodingOf(head, configured), flags);
    const text = state.decode(head);
    if (text !== '') yield text;
  }
  const tail = state.decode(undefined);
  if (tail !== '') yield tail;
}

/** The encoding a byte order mark announces, else the configured one. */
function encodingOf(head: Buffer, configured: RecordEncoding): RecordEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  return configured;
}

class DecodeState {
  bytesSeen = 0;
  private readonly decoder: TextDecoder;
  private readonly genuine: ReplacementCounter | undefined;
  private decodedReplacements = 0;

  constructor(
    readonly encoding: RecordEncoding,
    private readonly flags: TextFlags,
  ) {
    this.decoder = new TextDecoder(encoding, { ignoreBOM: false });
    flags.encoding = encoding;
    this.genuine = encoding === 'utf-8' ? new ReplacementCounter() : undefined;
  }

  /** Decodes the next slice; without one, flushes what an incomplete sequence at the end left behind. */
  decode(slice: Buffer | undefined): string {
    if (slice === undefined || slice.length === 0) {
      const tail = this.decoder.decode();
      if (tail.includes('\uFFFD')) this.flags.invalid = true; // the file ends inside a multi-byte sequence
      return tail;
    }
    if (this.bytesSeen < sniffBytes && this.encoding !== 'utf-16le') {
      const sniff = slice.subarray(0, sniffBytes - this.bytesSeen);
      if (sniff.includes(0)) throw new BinaryFileError(this.encoding);
    }
    this.bytesSeen += slice.length;
    if (this.encoding !== 'utf-16le' && !this.flags.nul && slice.includes(0)) this.flags.nul = true;
    this.genuine?.count(slice);
    const text = this.decoder.decode(slice, { stream: true });
    if (text.includes('\uFFFD')) {
      if (this.genuine === undefined) {
        this.flags.invalid = true; // UTF-16: an unpaired surrogate
      } else {
        // More U+FFFD out than EF BF BD in: some came from undecodable bytes.
        this.decodedReplacements += countChar(text, '\uFFFD');
        if (this.decodedReplacements > this.genuine.total) this.flags.invalid = true;
      }
    }
    return text;
  }
}

/** Counts genuine U+FFFD characters (EF BF BD) in UTF-8 input, including ones split across chunks. */
class ReplacementCounter {
  total = 0;
  private carry = Buffer.alloc(0);

  count(chunk: Buffer): void {
    const joined = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    for (let at = joined.indexOf(replacement); at !== -1; at = joined.indexOf(replacement, at + 3)) {
      this.total++;
    }
    this.carry = Buffer.from(joined.subarray(Math.max(0, joined.length - 2)));
  }
}

function countChar(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) n++;
  return n;
}
