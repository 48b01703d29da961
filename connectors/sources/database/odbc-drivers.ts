// The ODBC drivers and data sources (DSNs) installed on this machine, as unixODBC's odbcinst lists them.
import { execFile } from 'node:child_process';

export interface OdbcInventory {
  drivers: string[];
  dsns: string[];
  /** Why the lists could not be read (odbcinst missing, …); undefined when they were. */
  problem?: string | undefined;
}

function odbcinst(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('odbcinst', args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout) => {
      // With nothing configured odbcinst -q -s exits non-zero and prints nothing useful: an empty list.
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
        reject(new Error('odbcinst is missing'));
      else resolve(stdout);
    });
  });
}

const sections = (text: string) =>
  [...text.matchAll(/^\[([^\]]+)\]\s*$/gm)].map((m) => m[1] ?? '').filter((name) => name !== 'ODBC');

/** `odbcinst -q -d` and `odbcinst -q -s`. */
export async function odbcInventory(timeoutMs = 5000): Promise<OdbcInventory> {
  try {
    const [drivers, dsns] = await Promise.all([
      odbcinst(['-q', '-d'], timeoutMs),
      odbcinst(['-q', '-s'], timeoutMs),
    ]);
    return { drivers: sections(drivers), dsns: sections(dsns) };
  } catch {
    return {
      drivers: [],
      dsns: [],
      problem:
        process.platform === 'win32'
          ? 'the list comes from odbcinst, which Windows does not have: see "ODBC Data Sources" in the Control Panel'
          : 'odbcinst is missing: apt-get install -y unixodbc',
    };
  }
}

/** The `Driver=` of a DSN as odbc.ini defines it (a driver name or a library path), or undefined. */
export async function driverOfDsn(dsn: string, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const text = await odbcinst(['-q', '-s', '-n', dsn], timeoutMs);
    return /^\s*Driver\s*=\s*(.+?)\s*$/im.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/** One line for "Test connection": what is installed. */
export function inventoryLine(inventory: OdbcInventory): string {
  if (inventory.problem) return inventory.problem;
  const list = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');
  return `installed ODBC drivers: ${list(inventory.drivers)}; data sources (DSNs): ${list(inventory.dsns)}`;
}
