// Config schema of PostgreSQL logical decoding (type postgres, mode logical): tables, publication, slot, slot alert.
import { z } from 'zod';
import { networkShape, postgresSourceSchema, retrySchema } from '../config.js';
import { identifierFix, tableNameProblem } from '../identifiers.js';

const GiB = 1024 * 1024 * 1024;

/** Slot names allow only these characters (PostgreSQL's rule); publications follow it too, so no quoting surprises. */
const objectName = (what: string) =>
  z
    .string()
    .regex(/^[a-z0-9_]{1,63}$/, {
      error: `${what} may hold only lower-case letters, digits and "_" (1 to 63 characters)`,
    })
    .describe(`Name of the ${what}`);

export const postgresLogicalSourceSchema = z
  .strictObject({
    type: z.literal('postgres'),
    mode: z
      .literal('logical')
      .describe('logical: read inserts, updates, deletes and truncates from the write-ahead log (pgoutput)'),
    ...networkShape,
    port: z.int().min(1).max(65535).default(5432).describe('Server port'),
    tables: z
      .array(
        z.string().superRefine((name, ctx) => {
          const problem = tableNameProblem(name);
          if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { fix: identifierFix } });
        }),
      )
      .min(1)
      .describe('The tables (table or schema.table) the publication holds'),
    publication: objectName('publication')
      .default('integration_agent')
      .describe('The publication listing the tables (created by `integration-agent capture setup`)'),
    slot: objectName('replication slot')
      .default('integration_agent')
      .describe('The replication slot; one per connection: two connections must not share a slot'),
    slotAlertBytes: z
      .int()
      .min(1024 * 1024)
      .default(GiB)
      .describe('Alert when the slot holds back more write-ahead log than this many bytes'),
    slotCheckIntervalMs: z
      .int()
      .min(500)
      .default(30_000)
      .describe('How often the slot’s retained WAL and lag are read for status'),
    queryTimeoutMs: z.int().min(100).default(30_000).describe('Longest time any one database call may take'),
    retry: retrySchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    if (new Set(config.tables).size !== config.tables.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['tables'],
        message: 'a table is listed twice',
        params: { fix: 'list each table once' },
      });
    }
  })
  .describe('Captures every change of PostgreSQL tables from the write-ahead log (logical decoding)');

/** Both PostgreSQL modes under `type: postgres`; without `mode` it is the polling source, as before. */
export const postgresCaptureSchema = z.discriminatedUnion('mode', [
  postgresSourceSchema,
  postgresLogicalSourceSchema,
]);

export type PostgresLogicalSourceConfig = z.output<typeof postgresLogicalSourceSchema>;
