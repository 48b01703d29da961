// Zod schema for the agent's config file (version 1): outbox, logging, connections, with defaults.
import { z } from 'zod';
import { destinationSchemas, sourceSchemas } from '../../connectors/registry.js';
import { secretsConfigSchema } from './secrets-config.js';
import { consoleSettingsSchema } from './console-settings.js';
import { alertsConfigSchema } from './alerts-config.js';
import { diagnosticsConfigSchema } from './diagnostics-config.js';
import { apiVersionMismatch, mappingSchema } from './mapping-config.js';
import { contractSchema } from './contract-config.js';

export const currentConfigVersion = 1;

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

const retentionSchema = z
  .strictObject({
    compactAfterDays: z
      .number()
      .positive()
      .default(7)
      .describe('Delivered records drop their payload after this many days'),
    removeAfterDays: z
      .number()
      .positive()
      .default(90)
      .describe('Delivered records are removed entirely after this many days'),
  })
  .superRefine((retention, ctx) => {
    if (retention.removeAfterDays < retention.compactAfterDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['removeAfterDays'],
        message: `removeAfterDays (${retention.removeAfterDays}) is shorter than compactAfterDays (${retention.compactAfterDays}); records would be removed before they are compacted`,
        params: {
          fix: `set removeAfterDays to at least ${retention.compactAfterDays}, or lower compactAfterDays`,
        },
      });
    }
  });

const outboxSchema = z
  .strictObject({
    synchronous: z
      .enum(['FULL', 'NORMAL'])
      .default('FULL')
      .describe('SQLite synchronous mode: FULL survives power loss, NORMAL is faster'),
    busyTimeoutMs: z.int().min(0).default(5000).describe('How long a write waits for a locked database'),
    maxDatabaseBytes: z.int().positive().optional().describe('Hard cap on the outbox file size'),
    maxPendingRecords: z
      .int()
      .positive()
      .default(1_000_000)
      .describe('Sources pause when this many records wait for delivery'),
    maxPendingBytes: z
      .int()
      .positive()
      .default(2 * GiB)
      .describe('Sources pause when pending payloads reach this size'),
    minFreeDiskBytes: z
      .int()
      .min(0)
      .optional()
      .describe(
        'Sources pause when free disk space falls below this; default: 5 % of the data disk, at least 32 MiB and ' +
          'at most 512 MiB, and never more than a quarter of the disk',
      ),
    retention: retentionSchema.prefault({}),
    encryption: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe(
            'Encrypt payloads at rest (AES-256-GCM) under a data key per connection kept in the secret store ' +
              '(secret outbox-key.<connection id>); back those secrets up: without its key a record cannot be read',
          ),
      })
      .optional()
      .describe('Encryption of outbox payloads at rest (off when left out)'),
  })
  .describe('Durable SQLite outbox between sources and destinations');

const loggingSchema = z
  .strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    maxFileBytes: z
      .int()
      .positive()
      .default(10 * MiB)
      .describe('A log file is rotated when it reaches this size'),
    maxFiles: z.int().min(1).max(100).default(5).describe('How many rotated log files are kept'),
  })
  .describe('Log level and rotation');

const sourceSchema = z.discriminatedUnion('type', sourceSchemas);
const destinationSchema = z.discriminatedUnion('type', destinationSchemas);

const connectionIdPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const connectionSchema = z
  .strictObject({
    id: z
      .string()
      .regex(connectionIdPattern, {
        error:
          'must use only lowercase letters, digits, - and _, up to 63 chars, starting with a letter or digit',
      })
      .describe('Stable identifier; delivery history is keyed by it'),
    name: z.string().optional().describe('Display name'),
    enabled: z.boolean().default(true),
    source: sourceSchema,
    destination: destinationSchema,
    mapping: mappingSchema.optional(),
    contract: contractSchema.optional(),
  })
  .superRefine((connection, ctx) => {
    const versionProblem =
      connection.mapping &&
      apiVersionMismatch(
        connection.mapping,
        (connection.destination as { apiVersion?: { value: string } }).apiVersion?.value,
      );
    if (versionProblem)
      ctx.addIssue({
        code: 'custom',
        path: ['mapping', 'apiVersion'],
        message: versionProblem.message,
        params: { fix: versionProblem.fix },
      });
    if (connection.contract && !connection.mapping)
      ctx.addIssue({
        code: 'custom',
        path: ['contract'],
        message: 'a contract checks what the mapping made, and this connection has no mapping',
        params: {
          fix: 'add a mapping (one that sends records as they are is { version: 1, expression: "$" })',
        },
      });
  });

const connectionsSchema = z
  .array(connectionSchema)
  .default([])
  .superRefine((connections, ctx) => {
    const firstIndex = new Map<string, number>();
    connections.forEach((connection, index) => {
      const earlier = firstIndex.get(connection.id);
      if (earlier === undefined) {
        firstIndex.set(connection.id, index);
        return;
      }
      ctx.addIssue({
        code: 'custom',
        path: [index, 'id'],
        message: `duplicate connection id "${connection.id}" (also used by connections[${earlier}])`,
        params: { fix: 'give every connection its own id' },
      });
    });
    // Two logical decoding connections on one slot would confirm each other's positions: each change reaches only one.
    const slotOwner = new Map<string, number>();
    connections.forEach((connection, index) => {
      const source = connection.source;
      if (source.type !== 'postgres' || source.mode !== 'logical') return;
      const slot = `${source.host.toLowerCase()}:${source.port}/${source.database}/${source.slot}`;
      const earlier = slotOwner.get(slot);
      if (earlier === undefined) {
        slotOwner.set(slot, index);
        return;
      }
      ctx.addIssue({
        code: 'custom',
        path: [index, 'source', 'slot'],
        message: `replication slot "${source.slot}" on ${source.host}:${source.port}/${source.database} is also used by connections[${earlier}]`,
        params: { fix: 'give each logical decoding connection its own slot (source.slot)' },
      });
    });
  });

const agentIdentitySchema = z
  .strictObject({
    siteId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
        error:
          'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. plant-berlin-2)',
      })
      .optional()
      .describe(
        'Identity of this site or agent, unique in the fleet: records captured from now on are sent with the key ' +
          '"<siteId>:<key>" so keys stay unique across agents (records already in the outbox keep their key)',
      ),
  })
  .describe('Who this agent is among many (see docs/scale-out.md)');

export const agentConfigSchema = z
  .strictObject({
    configVersion: z.literal(currentConfigVersion).describe('Version of this file format'),
    dataDir: z
      .string()
      .min(1)
      .optional()
      .describe('Where the outbox and logs live; a per-user default when absent'),
    agent: agentIdentitySchema.optional(),
    outbox: outboxSchema.prefault({}),
    logging: loggingSchema.prefault({}),
    connections: connectionsSchema,
    secrets: secretsConfigSchema,
    console: consoleSettingsSchema.optional(),
    alerts: alertsConfigSchema,
    diagnostics: diagnosticsConfigSchema,
    sandbox: z.boolean().default(false).describe('Marks the embedded demo config'),
  })
  .describe('Integration agent configuration');

export type AgentConfig = z.output<typeof agentConfigSchema>;
export type AgentConfigInput = z.input<typeof agentConfigSchema>;
export type ConnectionConfig = AgentConfig['connections'][number];
