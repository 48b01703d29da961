// Shared fast-check settings of the fuzz suite: few runs per property (CI stays fast), a time cap per case and per property.
import fc from 'fast-check';

/** Runs per property; FUZZ_RUNS raises it for a long local session (e.g. FUZZ_RUNS=20000). */
export const fuzzRuns = (ciRuns: number): number => Number(process.env['FUZZ_RUNS'] ?? ciRuns);

/** Every property: a case that takes over 2 s fails as a hang; the whole property stops after 8 s (in CI). */
export function fuzzParameters<T>(ciRuns: number): fc.Parameters<T> {
  const long = process.env['FUZZ_RUNS'] !== undefined;
  return {
    numRuns: fuzzRuns(ciRuns),
    timeout: 2_000,
    interruptAfterTimeLimit: long ? 600_000 : 8_000,
    markInterruptAsFailure: false,
  };
}

/** Text that stresses parsers: mostly the format's own punctuation, some odd code points, now and then raw noise. */
export function hostileText(alphabet: readonly string[], maxLength = 400): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...alphabet) },
    { weight: 2, arbitrary: fc.string({ maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('\u0000', '\uFEFF', '\uFFFD', '\uD800', '\r', '\n', '\r\n', '\t'),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  );
  return fc.array(piece, { maxLength }).map((parts) => parts.join(''));
}
