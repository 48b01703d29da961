// SQLite sessions (better-sqlite3): the file opened read-only, a busy timeout, integers as exact bigints.
import Database from 'better-sqlite3';
import type { ClientOptions, ConnectClient, DatabaseClient } from './database-client.js';

/** better-sqlite3 is synchronous: its result or error as a promise, like the network drivers. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export function sqliteConnector(file: string): ConnectClient {
  return (options: ClientOptions): Promise<DatabaseClient> =>
    settle(() => {
      const db = new Database(file, {
        readonly: options.readOnly,
        fileMustExist: true,
        timeout: options.queryTimeoutMs, // how long a read waits for a writer's lock
      });
      const statements = new Map<string, Database.Statement>();
      const prepare = (sql: string) => {
        let statement = statements.get(sql);
        if (!statement) {
          statement = db.prepare(sql).safeIntegers(true);
          if (statements.size > 100) statements.clear();
          statements.set(sql, statement);
        }
        return statement;
      };
      return {
        query: (sql, params) =>
          settle(() => ({
            rows: prepare(sql).all(...params) as Record<string, unknown>[],
            kinds: new Map(),
          })),
        execute: (sql) => settle(() => void db.exec(sql)),
        close: () => settle(() => void db.close()),
      };
    });
}
