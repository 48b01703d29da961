// The contract check's words: JSON pointer, what the schema expects, what the payload holds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContract } from '../../../main/shaping/contract-check.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'contract-' });
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function contractOf(schema: unknown) {
  const file = join(tempDir(), 'schema.json');
  writeFileSync(file, JSON.stringify(schema));
  return compileContract(file);
}

describe('compileContract', () => {
  const check = () =>
    contractOf({
      type: 'object',
      required: ['no', 'lines'],
      additionalProperties: false,
      properties: {
        no: { type: 'string' },
        email: { type: 'string', format: 'email' },
        lines: { type: 'array', items: { type: 'object', properties: { amount: { type: 'number' } } } },
      },
    });

  it('accepts conforming payloads', () => {
    expect(check()(json({ no: 'A-1', lines: [{ amount: 1 }] }))).toBeUndefined();
  });

  it('names the pointer, the expectation and what was found', () => {
    const c = check();
    expect(c(json({ no: 'A-1', lines: [{ amount: 1 }, { amount: '2,50' }] }))).toBe(
      'contract: /lines/1/amount: expected number, found string "2,50"',
    );
    expect(c(json({ lines: [] }))).toBe('contract: /no: expected property "no", found nothing');
    expect(c(json({ no: 'A-1', lines: [], extra: 1 }))).toBe(
      'contract: /: unexpected property "extra", found object',
    );
    expect(c(json({ no: 'A-1', lines: [], email: 'not-an-address' }))).toBe(
      'contract: /email: expected format email, found string "not-an-address"',
    );
    expect(c(Buffer.from('a;b'))).toMatch(/^contract: the payload is not JSON/);
  });

  it('refuses a file that is not a schema, naming it', () => {
    expect(() => contractOf({ type: 'no-such-type' })).toThrow(
      /contract schema .*schema\.json is not a valid JSON Schema/,
    );
  });
});
