// The contract's date formats give exactly ajv-formats' verdicts: hand-picked edge cases and many mutated values.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { addContractFormats } from '../../../main/shaping/contract-formats.js';

const library = new Ajv2020({ strict: false });
addFormats.default(library);
const ours = new Ajv2020({ strict: false });
addContractFormats(ours);

const formats = ['date', 'date-time', 'time'] as const;
const compiled = (ajv: Ajv2020) => formats.map((format) => ajv.compile({ type: 'string', format }));
const validators = new Map([
  [library, compiled(library)],
  [ours, compiled(ours)],
]);
const verdicts = (ajv: Ajv2020, text: string) =>
  (validators.get(ajv) ?? []).map((validate) => validate(text));

const edgeCases = [
  '2024-02-29',
  '2023-02-29',
  '2024-13-01',
  '2024-1-01',
  '2024-01-01T12:00:00Z',
  '2024-01-01t12:00:00z',
  '2024-01-01 12:00:00+01:00',
  '2024-01-01T12:00:00',
  '2024-01-01T12:00:00.123456+0100',
  '2024-01-01T23:59:60Z',
  '2024-01-01T23:59:60+01:00',
  '2024-06-30T22:59:60-01:00',
  '2024-01-01T24:00:00Z',
  '2024-01-01TT12:00:00Z',
  '2024-01-01T12:00:00Z ',
  ' 2024-01-01T12:00:00Z',
  '2024-01-01\t12:00:00Z',
  '2024-01-01\u00a012:00:00Z',
  '2024-01-01T12:00:00+24:00',
  '2024-01-01T12:00:00+01:60',
  '12:00:00Z',
  '',
  'T',
  '2024-01-01T',
];

/** Deterministic pseudo-random values: valid date-times with one or two characters replaced, dropped or doubled. */
function mutated(count: number): string[] {
  let seed = 20261203;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const alphabet = '0123456789-:+.TtZz \u2003x';
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const day = String(1 + next(31)).padStart(2, '0');
    const month = String(1 + next(13)).padStart(2, '0');
    let text = `20${String(next(100)).padStart(2, '0')}-${month}-${day}T${String(next(25)).padStart(2, '0')}:${String(next(61)).padStart(2, '0')}:${String(next(62)).padStart(2, '0')}${['Z', '+01:00', '-05:30', '.5Z', ''][next(5)]}`;
    for (let edits = next(3); edits > 0; edits--) {
      const at = next(text.length);
      const kind = next(3);
      const char = alphabet[next(alphabet.length)] ?? '0';
      text =
        kind === 0
          ? text.slice(0, at) + char + text.slice(at + 1)
          : kind === 1
            ? text.slice(0, at) + text.slice(at + 1)
            : text.slice(0, at) + char + text.slice(at);
    }
    out.push(text, text.slice(0, 10));
  }
  return out;
}

describe('contract date formats', () => {
  it('agree with ajv-formats on edge cases (leap days, leap seconds, separators, zones)', () => {
    for (const text of edgeCases)
      expect(verdicts(ours, text), JSON.stringify(text)).toEqual(verdicts(library, text));
  });

  it('agree with ajv-formats on 20,000 mutated values, asked twice (the second time from memory)', () => {
    const values = mutated(10_000);
    const accepted = values.filter((text) => verdicts(library, text).some(Boolean)).length;
    expect(accepted).toBeGreaterThan(1000); // the sample holds valid values too, not only rejects
    for (const round of [1, 2])
      for (const text of values)
        expect(verdicts(ours, text), `${JSON.stringify(text)} (round ${round})`).toEqual(
          verdicts(library, text),
        );
  });
});
