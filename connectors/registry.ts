// The one list of connectors: config unions, building connections, status, checks, certificates and the CLI follow it.
import type { z } from 'zod';
import type { CheckOptions, DestinationConnector, SourceConnector } from './core/connector.js';
import type { DoctorReport } from '../preload/contract/doctor.js';
import { amqpConnector } from './destinations/amqp/connector.js';
import { fileConnector } from './destinations/file/connector.js';
import { httpConnector } from './destinations/http/connector.js';
import { mqttConnector } from './destinations/mqtt/connector.js';
import { mysqlConnector, postgresConnector, sqliteConnector } from './sources/database/connector.js';
import { odbcConnector } from './sources/database/odbc-connector.js';
import { folderConnector } from './sources/folder/connector.js';

export const sourceConnectors = [
  folderConnector,
  sqliteConnector,
  postgresConnector,
  mysqlConnector,
  odbcConnector,
] as const;

export const destinationConnectors = [httpConnector, fileConnector, amqpConnector, mqttConnector] as const;

type Schemas<T extends readonly { schema: z.ZodType }[]> = { [K in keyof T]: T[K]['schema'] };

/** The config schemas of every source, for the connection schema's `source` union. */
export const sourceSchemas = sourceConnectors.map((c) => c.schema) as unknown as Schemas<
  typeof sourceConnectors
>;

/** The config schemas of every destination, for the connection schema's `destination` union. */
export const destinationSchemas = destinationConnectors.map((c) => c.schema) as unknown as Schemas<
  typeof destinationConnectors
>;

export type SourceConfig = z.output<(typeof sourceConnectors)[number]['schema']>;
export type DestinationConfig = z.output<(typeof destinationConnectors)[number]['schema']>;

/** The source definition registered for `type`, if any. */
export function findSourceConnector(type: unknown): SourceConnector | undefined {
  return sourceConnectors.find((c) => c.type === type);
}

/** The destination definition registered for `type`, if any. */
export function findDestinationConnector(type: unknown): DestinationConnector | undefined {
  return destinationConnectors.find((c) => c.type === type);
}

/** The source definition of a parsed config (the config schema admits only registered types). */
export function sourceConnectorFor(config: SourceConfig): SourceConnector {
  const found = findSourceConnector(config.type);
  if (!found) throw new Error(`no source connector of type "${config.type}" is registered`);
  return found;
}

export function destinationConnectorFor(config: DestinationConfig): DestinationConnector {
  const found = findDestinationConnector(config.type);
  if (!found) throw new Error(`no destination connector of type "${config.type}" is registered`);
  return found;
}

/** "Test connection" and `doctor` for one destination: its connector's own checks. */
export function checkDestination(config: DestinationConfig, options: CheckOptions): Promise<DoctorReport> {
  return destinationConnectorFor(config).check(config, options);
}
