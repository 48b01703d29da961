// Child process for heap-growth.test.ts: promotes and drops a 16 MiB live set, prints the old space's largest size.
import { getHeapSpaceStatistics } from 'node:v8';
import { limitHeapGrowth } from '../../../main/observability/heap-growth.js';

if (process.argv[2] === 'limited') limitHeapGrowth();
const oldSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_size ?? 0;
// Each slot is replaced 64 steps after it was filled: long enough to be promoted, then it dies.
const ring: unknown[] = new Array(64).fill(null);
let largest = 0;
for (let step = 0; step < 6000; step += 1) {
  ring[step % 64] = Array.from({ length: 2000 }, (_, j) => ({ step, j, text: `x${j}` }));
  if (step % 50 === 0) largest = Math.max(largest, oldSpace());
}
process.stdout.write(`${largest}\n`);
