// Config schema of the diagnostic bundle: extra redaction patterns (regular expressions) for site-specific data.
import { z } from 'zod';
import { errorMessage } from '../shared/error-message.js';

const redactPatternSchema = z.string().superRefine((pattern, ctx) => {
  try {
    new RegExp(pattern, 'g');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `the pattern ${JSON.stringify(pattern)} is not a valid regular expression (${errorMessage(error)})`,
      params: {
        fix: 'write a JavaScript regular expression source, e.g. "CUST-[0-9]{6}" (escape \\ as \\\\ in JSON and double-quoted YAML)',
      },
    });
  }
});

export const diagnosticsConfigSchema = z
  .strictObject({
    redactPatterns: z
      .array(redactPatternSchema)
      .default([])
      .describe('Extra regular expressions whose matches are removed from diagnostic bundles'),
    hashFileNames: z
      .boolean()
      .default(true)
      .describe('Replace captured file names by their hash in diagnostic bundles, as business keys are'),
  })
  .prefault({})
  .describe('Diagnostic bundle settings');

export type DiagnosticsConfig = z.output<typeof diagnosticsConfigSchema>;
