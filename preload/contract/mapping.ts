// The mapping editor's part of the contract: samples, the live preview, suggestions and saving a version (browser-safe).
import { z } from 'zod';
import { boundedJsonObject } from './json-value.js';
import { recordIdSchema } from './limits.js';

/** At most this many sample records in one preview. */
export const maxPreviewSamples = 20;
/** A pasted sample (JSON or CSV lines) of at most 64 KiB. */
export const maxSampleTextLength = 65_536;

/** A draft mapping: expression, filter, convert, sensitive (the agent checks it as the config loader would). */
export const mappingDraftSchema = boundedJsonObject({
  maxDepth: 6,
  maxNodes: 1000,
  maxStringLength: 16_384,
  maxKeyLength: 256,
});

/** The sample to run: pasted text (a JSON object or array, or CSV lines with a header), or stored records by id. */
export const previewSampleSchema = z.union([
  z.strictObject({ text: z.string().max(maxSampleTextLength) }),
  z.strictObject({ recordIds: z.array(recordIdSchema).min(1).max(maxPreviewSamples) }),
]);

/** A JSON Schema file on the agent machine (the wizard names one before the connection exists). */
export const contractFileSchema = z
  .string()
  .max(1024)
  .regex(/^(\/|[A-Za-z]:[\\/]).*\.json$/i, {
    error: 'must be the absolute path of a JSON Schema file ending in .json',
  });

export const sourceSampleSchema = z.object({
  id: z.number(),
  capturedAt: z.number(),
  businessKey: z.string().nullable(),
  state: z.string(),
  mappingVersion: z.number().optional(),
  record: z.record(z.string(), z.unknown()),
});

export const fieldProblemSchema = z.object({
  side: z.enum(['draft', 'source', 'payload']),
  /** A draft field ("expression", "convert.Betrag") or a JSON pointer ("/amount"; "" is the whole payload). */
  at: z.string(),
  message: z.string(),
});

export const previewResultSchema = z.object({
  label: z.string(),
  source: z.record(z.string(), z.unknown()),
  outcome: z.enum(['mapped', 'skipped', 'failed']),
  payload: z.unknown().optional(),
  contract: z.enum(['pass', 'fail', 'none']),
  reason: z.string().optional(),
  problems: z.array(fieldProblemSchema),
});

export const previewReportSchema = z.object({
  /** The version the draft would get when saved. */
  version: z.number(),
  /** Where the contract came from, in words; undefined: no contract is named. */
  contract: z.string().optional(),
  draftProblems: z.array(fieldProblemSchema),
  results: z.array(previewResultSchema),
});

export const mappingSuggestionSchema = z.object({
  columns: z.array(z.string()),
  properties: z.array(
    z.object({
      name: z.string(),
      type: z.string().optional(),
      format: z.string().optional(),
      required: z.boolean(),
    }),
  ),
  fields: z.array(z.object({ property: z.string(), column: z.string().nullable(), score: z.number() })),
  unusedColumns: z.array(z.string()),
  mapping: z.object({ expression: z.string(), convert: z.record(z.string(), z.unknown()) }),
});

export const savedMappingSchema = z.object({
  connection: z.string(),
  version: z.number(),
  /** The version moved to history, if there was one. */
  previousVersion: z.number().optional(),
});

export type FieldProblem = z.infer<typeof fieldProblemSchema>;
export type PreviewResult = z.infer<typeof previewResultSchema>;
export type PreviewReport = z.infer<typeof previewReportSchema>;
export type MappingSuggestionView = z.infer<typeof mappingSuggestionSchema>;
export type SourceSampleView = z.infer<typeof sourceSampleSchema>;
