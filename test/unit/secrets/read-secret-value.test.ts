// Piped secret values: all of stdin, minus exactly one trailing line break.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPipedValue } from '../../../main/secrets/read-secret-value.js';

const piped = (...chunks: string[]) => readPipedValue(Readable.from(chunks.map((c) => Buffer.from(c))));

describe('readPipedValue', () => {
  it.each([
    [['token'], 'token'],
    [['token\n'], 'token'],
    [['token\r\n'], 'token'],
    [['token\n\n'], 'token\n'],
    [['line1\nline2\n'], 'line1\nline2'],
    [['  spaced  \n'], '  spaced  '],
    [['tok', 'en', '\n'], 'token'],
    [['✓ ', Buffer.from('ü').toString()], '✓ ü'],
    [[], ''],
  ])('%j → %j', async (chunks, expected) => {
    expect(await piped(...chunks)).toBe(expected);
  });

  it('joins multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('€uro\n');
    const stream = Readable.from([bytes.subarray(0, 1), bytes.subarray(1)]);
    expect(await readPipedValue(stream)).toBe('€uro');
  });
});
