// Results of a pure text function remembered by text, bounded, and given up for texts that hardly repeat.
const memoLimit = 4096;
/** After this many lookups, a memory that hits less than a quarter of the time is dropped (unique values). */
const memoTrial = 2048;

/**
 * `compute` with its results remembered by text: office exports repeat dates, flags and codes on every row. Only
 * results are kept (a text that throws is computed, and throws, again); the memory is bounded, and given up for
 * inputs whose values hardly repeat (amounts, times to the minute).
 */
export function remembered<T>(compute: (text: string) => T): (text: string) => T {
  let results: Map<string, T> | undefined = new Map<string, T>();
  let lookups = 0;
  let hits = 0;
  return (text) => {
    if (!results) return compute(text);
    lookups += 1;
    const known = results.get(text);
    if (known !== undefined || results.has(text)) {
      hits += 1;
      return known as T;
    }
    if (lookups >= memoTrial && hits * 4 < lookups) results = undefined;
    const value = compute(text);
    if (results && results.size >= memoLimit) results.clear();
    results?.set(text, value);
    return value;
  };
}
