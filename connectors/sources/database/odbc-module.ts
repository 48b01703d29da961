// Loads the optional npm odbc package on first use; when it cannot load, says which system packages to install.
import type odbcModule from 'odbc';

export type Odbc = typeof odbcModule;

export const odbcInstallHint =
  'install unixODBC and rebuild the driver binding: apt-get install -y unixodbc unixodbc-dev, then npm rebuild odbc ' +
  '(on Windows the ODBC driver manager is built in: npm rebuild odbc)';

let loading: Promise<Odbc> | undefined;

/** The odbc package; rejects with the install commands when it (or libodbc.so.2) is missing. */
export function loadOdbc(): Promise<Odbc> {
  loading ??= import('odbc').then(
    (m: { default?: Odbc } & Odbc) => m.default ?? m,
    (error: unknown) => {
      loading = undefined;
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new Error(
        `the ODBC binding (npm package odbc) could not be loaded: ${reason}. Fix: ${odbcInstallHint}`,
        {
          cause: error,
        },
      );
    },
  );
  return loading;
}
