// npm run bench:capture: folder records mode into the outbox, the records parser alone, database polling, logical decoding.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const parts = ['capture-folder.ts', 'capture-records.ts', 'capture-db.ts', 'capture-logical.ts'];
parts.push('capture-odbc.ts'); // ODBC rows/s vs the native pg driver (figure odbc-vs-native)
let exitCode = 0;
for (const part of parts) {
  const script = fileURLToPath(new URL(part, import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) exitCode = result.status ?? 1;
}
process.exitCode = exitCode;
