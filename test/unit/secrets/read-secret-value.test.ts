// Piped secret values: all of stdin, minus exactly one trailing line break.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { passphraseProblem } from '../../../main/api/admin-passphrase.js';
import { readPipedLine, readPipedValue } from '../../../main/secrets/read-secret-value.js';

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

describe('readPipedLine (the admin passphrase)', () => {
  const line = (text: string) => readPipedLine(Readable.from([Buffer.from(text)]));

  it('takes exactly one line, without its line break', async () => {
    expect(await line('correct horse battery\n')).toBe('correct horse battery');
    expect(await line('correct horse battery\r\n\n')).toBe('correct horse battery');
  });

  it('refuses a second non-empty line instead of folding it into the passphrase', async () => {
    await expect(line('first words here\nsecond line\n')).rejects.toThrow(/more than one line/);
  });
});

describe('passphraseProblem', () => {
  it('refuses control characters, such as a tab', () => {
    expect(passphraseProblem('correct\thorse battery')).toMatch(/control character/);
    expect(passphraseProblem('correct horse battery')).toBeUndefined();
  });
});
