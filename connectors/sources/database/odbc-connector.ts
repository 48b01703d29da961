// The ODBC source definition: the database capture of the other types over any ODBC driver, and its "Test connection".
import type { DoctorCheck } from '../../../preload/contract/doctor.js';
import { defineSource } from '../../core/connector.js';
import { checkDatabaseSource } from './checks.js';
import { odbcSourceSchema, type OdbcSourceConfig } from './config.js';
import { createDatabaseSource } from './create-source.js';
import { inventoryLine, odbcInventory } from './odbc-drivers.js';
import { driverOf } from './odbc-dialect.js';

/** "Test connection": what is installed (drivers, DSNs), then a read-only session running a test query. */
export async function checkOdbcSource(
  config: OdbcSourceConfig,
  options: Parameters<typeof checkDatabaseSource>[1],
): Promise<DoctorCheck[]> {
  const inventory = await odbcInventory();
  const wanted = config.dsn ?? driverOf(config.connectionString ?? '');
  const listed = config.dsn === undefined ? inventory.drivers : inventory.dsns;
  const missing = !inventory.problem && wanted !== undefined && !listed.includes(wanted);
  const installed: DoctorCheck = {
    id: 'odbc-drivers',
    title: 'ODBC drivers and data sources',
    status: inventory.problem || missing ? 'warn' : 'pass',
    detail: inventoryLine(inventory),
    ...(missing
      ? {
          fix: `${config.dsn === undefined ? 'the driver' : 'the DSN'} "${wanted}" is not in the list: check its spelling, or install and register it (docs/odbc-sources.md)`,
        }
      : {}),
    data: { drivers: inventory.drivers, dsns: inventory.dsns },
  };
  return [installed, ...(await checkDatabaseSource(config, options))];
}

export const odbcConnector = defineSource({
  kind: 'source',
  type: 'odbc',
  title: 'ODBC database',
  schema: odbcSourceSchema,
  label: (config) =>
    config.dsn === undefined
      ? `odbc ${driverOf(config.connectionString ?? '') ?? 'connection string'}`
      : `odbc DSN ${config.dsn}`,
  create: (config, { secrets }) => createDatabaseSource(config, secrets),
  check: (config, options) => checkOdbcSource(config, options),
});
