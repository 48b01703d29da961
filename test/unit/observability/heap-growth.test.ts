// The agent's heap growth limit: under a load that promotes garbage, the old generation stays near what is live.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const load = fileURLToPath(new URL('./heap-growth-load.ts', import.meta.url));

/** The old space's largest size (bytes) in a fresh process running the load, with or without the limit. */
function largestOldSpace(mode: 'limited' | 'default'): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', load, mode], { encoding: 'utf8' });
  return Number(out.trim());
}

describe('heap growth limit', () => {
  it('keeps the old generation well below what V8 grows it to by default, set after the process started', () => {
    const byDefault = largestOldSpace('default');
    const limited = largestOldSpace('limited');
    expect(byDefault).toBeGreaterThan(40 * 1024 * 1024); // the load does grow V8's default heap (65–70 MiB seen)
    expect(limited).toBeLessThan(byDefault * 0.75); // 38–39 MiB seen
  }, 60_000);
});
