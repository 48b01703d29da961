// Admin changes made on the command line (secrets, the admin passphrase) go into the outbox audit log, actor = OS user.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AuditLog } from '../outbox/audit-log.js';
import { errorMessage } from '../shared/error-message.js';
import { outboxFile } from '../shared/data-dir.js';
import { cliActor } from './dlq-arguments.js';

const busyTimeoutMs = 5_000;

/**
 * Records the change (made already) in `<dataDir>/outbox.db` through a second SQLite connection, which waits out a
 * running agent's writes. Never fails the command: without an outbox (the agent never ran there) or when the log
 * cannot be written, it says so on stderr.
 */
export function auditCliChange(
  dataDir: string,
  action: string,
  target: string | null,
  detail?: unknown,
): void {
  const file = outboxFile(dataDir);
  if (!existsSync(file)) {
    process.stderr.write(
      `note: not written to the audit log: there is no outbox in ${dataDir} yet (the agent creates it on its first start)\n`,
    );
    return;
  }
  try {
    const db = new Database(file, { fileMustExist: true, timeout: busyTimeoutMs });
    try {
      new AuditLog(db).record(Date.now(), cliActor(), action, target, detail);
    } finally {
      db.close();
    }
  } catch (error) {
    process.stderr.write(
      `warning: the change was made, but it could not be written to the audit log in ${file} (${errorMessage(error)}); run the command as the account that runs the agent\n`,
    );
  }
}
