// Config schema of the file destination: drop folder, file-name template, NDJSON batches, folder creation and file mode.
import { z } from 'zod';
import { batchLimitsShape, deliveryPolicyShape } from '../../core/delivery-policy-config.js';
import { fileNameTemplateProblems, perRecordFields } from './file-name.js';

/** POSIX "/…", Windows "C:\…" or "C:/…", or a UNC share "\\server\share…". */
const absolutePath = /^(\/|[A-Za-z]:[\\/]|\\\\[^\\]+\\[^\\]+)/;
const octalMode = /^0?o?[0-7]{3}$/;

const batchSchema = z
  .strictObject({
    format: z
      .enum(['none', 'ndjson'])
      .default('none')
      .describe('none: one file per record; ndjson: one file per batch, one JSON record per line'),
    ...batchLimitsShape,
  })
  .describe('Write records in batches; each batch file is named from the batch idempotency key');

export const fileDestinationSchema = z
  .strictObject({
    type: z.literal('file'),
    folder: z
      .string()
      .min(1)
      .describe('Absolute path of the folder the files are written into (a drop folder or a synced share)'),
    fileName: z
      .string()
      .optional()
      .describe(
        'Name of each file: {{idempotencyKey}}, {{businessKey}}, {{date}} (UTC yyyy-mm-dd) or {{record.<field>}} of a JSON record; ' +
          'default {{idempotencyKey}}.json, or {{idempotencyKey}}.ndjson for batches',
      ),
    batch: batchSchema.prefault({}),
    createFolder: z
      .boolean()
      .default(false)
      .describe('Create the folder when it is missing; leave off for a share that must be mounted first'),
    mode: z
      .union([z.int().min(0).max(0o777), z.string().regex(octalMode)])
      .default(0o640)
      .describe('Permissions of each file: an octal text such as "0640" or the number 416 (default 0640)'),
    ...deliveryPolicyShape,
  })
  .superRefine((destination, ctx) => {
    if (!absolutePath.test(destination.folder)) {
      ctx.addIssue({
        code: 'custom',
        path: ['folder'],
        message: `${JSON.stringify(destination.folder)} is a relative path, which would depend on where the agent was started`,
        params: { fix: 'write the full path of the folder, e.g. /srv/drop or C:\\drop' },
      });
    }
    const template = fileNameTemplate(destination);
    for (const problem of fileNameTemplateProblems(template)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fileName'],
        message: problem,
        params: {
          fix: 'use a single file name such as "{{idempotencyKey}}.json"; see docs/file-destination.md',
        },
      });
    }
    const perRecord = perRecordFields(template);
    if (destination.batch.format !== 'none' && perRecord.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['fileName'],
        message: `placeholders ${perRecord.map((f) => `{{${f}}}`).join(', ')} have no single value in a batch of records`,
        params: {
          fix: 'name batch files with {{idempotencyKey}} and {{date}} only, or set batch.format to none',
        },
      });
    }
  })
  .describe('Writes each record, or each batch as NDJSON, atomically into a folder');

export type FileDestinationConfig = z.output<typeof fileDestinationSchema>;

/** The configured file-name template, or the default for the batch format. */
export function fileNameTemplate(config: Pick<FileDestinationConfig, 'fileName' | 'batch'>): string {
  if (config.fileName !== undefined) return config.fileName;
  return config.batch.format === 'ndjson' ? '{{idempotencyKey}}.ndjson' : '{{idempotencyKey}}.json';
}

/** The file mode as a number, from either spelling. */
export function fileModeOf(mode: FileDestinationConfig['mode']): number {
  return typeof mode === 'number' ? mode : Number.parseInt(mode.replace(/^0?o?/, ''), 8);
}
