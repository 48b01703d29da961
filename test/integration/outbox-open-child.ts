// Child process for the migration crash test: opens (and so migrates) the outbox file named in argv, then exits.
import { Outbox } from '../../main/outbox/outbox.js';

const file = process.argv[2];
if (!file) throw new Error('usage: outbox-open-child.ts OUTBOX_FILE');
process.stdout.write('ready\n');
const started = performance.now();
const outbox = Outbox.open(file, { synchronous: 'FULL', busyTimeoutMs: 1000 });
outbox.close();
process.stdout.write(`opened ${Math.round(performance.now() - started)}\n`);
