// Config schema of the folder source: folders, filters, "export finished" rules, rescan, deletes, after-delivery, records mode.
import { z } from 'zod';
import { recordFormatSchema } from './records/record-format-schema.js';

const MiB = 1024 * 1024;

export const folderSourceSchema = z
  .strictObject({
    type: z.literal('folder'),
    path: z
      .string()
      .min(1)
      .describe(
        'Folder to watch for files dropped by other software; files are identified by their path in it',
      ),
    paths: z
      .array(z.string().min(1))
      .default([])
      .describe('More folders for the same connection; their files are identified by their full path'),
    include: z.array(z.string()).default(['**/*']).describe('Glob patterns of files to pick up'),
    exclude: z.array(z.string()).default([]).describe('Glob patterns of files and folders to ignore'),
    recursive: z.boolean().default(true).describe('Also watch subfolders'),
    finishedWhen: z
      .enum(['quiet', 'marker', 'trigger'])
      .default('quiet')
      .describe(
        'When a file counts as finished: quiet (unchanged for quietPeriodMs), marker (x.csv once x.csv.done ' +
          'exists) or trigger (every file of a folder once its trigger file is written)',
      ),
    quietPeriodMs: z
      .int()
      .min(0)
      .default(2000)
      .describe(
        'A file is picked up once it has not changed for this long; a deletion once it lasted this long',
      ),
    markerSuffix: z
      .string()
      .min(1)
      .default('.done')
      .describe('finishedWhen marker: the file name plus this suffix marks the file as finished'),
    triggerFile: z
      .string()
      .min(1)
      .regex(/^[^/\\]+$/, { error: 'must be a file name without a folder' })
      .default('READY')
      .describe(
        'finishedWhen trigger: writing this file releases every file of its folder written before it',
      ),
    minFileAgeMs: z
      .int()
      .min(0)
      .default(0)
      .describe('A file is picked up only once its last change is at least this old'),
    maxFileBytes: z
      .int()
      .positive()
      .default(100 * MiB)
      .describe('Whole-file mode: larger files are refused. Records mode streams files of any size'),
    contentType: z
      .string()
      .optional()
      .describe('Whole-file mode: Content-Type sent with the file; guessed when absent'),
    records: recordFormatSchema
      .optional()
      .describe(
        'Records mode: parse each file (CSV, JSON array, NDJSON or XML) and send every record as its own ' +
          'change; rows that cannot be read become dead letters with file, line and reason. Absent: whole-file mode',
      ),
    rescanIntervalMs: z
      .int()
      .min(100)
      .default(5 * 60 * 1000)
      .describe('A full rescan of the folders this often catches anything the watcher missed'),
    emitDeletes: z
      .boolean()
      .default(false)
      .describe('When a captured file disappears, send a small JSON delete record for it'),
    afterDelivery: z
      .enum(['leave', 'archive', 'delete'])
      .default('leave')
      .describe(
        'What to do with a file once the server confirmed it: leave it, move it to archiveDir, or delete it',
      ),
    archiveDir: z
      .string()
      .min(1)
      .optional()
      .describe('afterDelivery archive: where files go; a relative path is inside each watched folder'),
  })
  .refine((s) => s.afterDelivery !== 'archive' || s.archiveDir !== undefined, {
    path: ['archiveDir'],
    message: 'is required when afterDelivery is archive',
    params: { fix: 'add archiveDir (e.g. archiveDir: archive) or choose afterDelivery: leave or delete' },
  })
  .refine((s) => s.records === undefined || s.afterDelivery === 'leave', {
    path: ['afterDelivery'],
    message: 'archive and delete are available in whole-file mode only, not with records',
    params: {
      fix: 'use afterDelivery: leave with records, or let the exporting software clean up delivered files',
    },
  })
  .describe('Picks up files written into folders');

export type FolderSourceConfig = z.output<typeof folderSourceSchema>;
