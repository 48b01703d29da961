// Config schema of the folder source.
import { z } from 'zod';

const MiB = 1024 * 1024;

export const folderSourceSchema = z
  .strictObject({
    type: z.literal('folder'),
    path: z.string().min(1).describe('Folder to watch for files dropped by other software'),
    include: z.array(z.string()).default(['**/*']).describe('Glob patterns of files to pick up'),
    exclude: z.array(z.string()).default([]).describe('Glob patterns of files to ignore'),
    recursive: z.boolean().default(true).describe('Also watch subfolders'),
    quietPeriodMs: z
      .int()
      .min(0)
      .default(2000)
      .describe('A file is picked up once it has not changed for this long'),
    maxFileBytes: z
      .int()
      .positive()
      .default(100 * MiB)
      .describe('Larger files are refused'),
    contentType: z.string().optional().describe('Content-Type sent with the file; guessed when absent'),
  })
  .describe('Picks up files written into a folder');

export type FolderSourceConfig = z.output<typeof folderSourceSchema>;
