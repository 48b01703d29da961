// The wizard's records preview: a source config in records mode, read on a real file or a pasted sample (browser-safe).
import { z } from 'zod';
import { connectionConfigArgSchema } from './limits.js';

/** At most this many records (and as many rejected rows) come back to be shown. */
export const maxPreviewRecords = 20;
/** A pasted sample of at most 64 KiB. */
export const maxPreviewSampleLength = 65_536;

export const recordsPreviewArgsSchema = z.strictObject({
  /** The source section as the wizard builds it (`records` set); the agent validates it with the connector's schema. */
  source: connectionConfigArgSchema,
  /** Read this file (a path the preview listed) instead of the newest matching one. */
  file: z.string().min(1).max(4096).optional(),
  /** Parse this text instead of a file of the folder. */
  sample: z.string().max(maxPreviewSampleLength).optional(),
  limit: z.int().min(1).max(maxPreviewRecords).default(5),
});

export const previewedRecordSchema = z.object({
  /** 1-based line where the record starts; 0 when unknown. */
  line: z.number(),
  value: z.union([z.record(z.string(), z.unknown()), z.array(z.string())]),
});

export const previewedRejectionSchema = z.object({
  line: z.number(),
  /** What is wrong (with line and column where the parser knows them) and how to fix it. */
  reason: z.string(),
  excerpt: z.string(),
});

export const recordsPreviewSchema = z.object({
  /** What was read, in words: "invoices-0412.csv (2.1 KB)" or "the pasted sample". */
  input: z.string(),
  /** The file read, when one was; files that match the patterns, newest first, to pick another. */
  file: z.string().optional(),
  files: z.array(z.string()),
  /** Column names of the records shown, in order of first appearance. */
  columns: z.array(z.string()),
  records: z.array(previewedRecordSchema),
  rejected: z.array(previewedRejectionSchema),
  /** Records and rejected rows in what was read (all of it, unless `partial` says why not). */
  counts: z.object({ records: z.number(), rejected: z.number() }),
  /** Only part of the input was read (size or time bound), in words; the counts cover that part. */
  partial: z.string().optional(),
  /** Nothing could be previewed and why, with the fix (no matching file, folder missing). */
  problem: z.string().optional(),
});

export type RecordsPreview = z.infer<typeof recordsPreviewSchema>;
export type RecordsPreviewArgs = z.input<typeof recordsPreviewArgsSchema>;
