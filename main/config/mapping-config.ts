// Config of a connection's mapping: the JSONata expression, filter and conversions, versioned, checked when loaded.
import { jsonata } from './jsonata-module.js';
import { IANAZone } from 'luxon';
import { z } from 'zod';

const formats = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .describe("luxon format(s) the text is in, e.g. 'dd.MM.yyyy' or ['dd.MM.yyyy HH:mm', 'dd.MM.yyyy']");

const required = z
  .boolean()
  .default(false)
  .describe('Empty text is an error (otherwise empty text becomes null)');

const localeSchema = z.string().refine(
  (locale) => {
    try {
      return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0;
    } catch {
      return false;
    }
  },
  {
    error: 'is not a locale this agent knows',
    params: { fix: "use a BCP 47 tag such as 'de-DE' or 'en-US'" },
  },
);

const zoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  error: 'is not a time zone',
  params: { fix: "use an IANA zone name such as 'Europe/Berlin' or 'UTC'" },
});

/** One typed conversion of a source field's text, applied before the expression. */
export const conversionRuleSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('number'),
    locale: localeSchema.default('en-US').describe("Separators of the text: 'de-DE' reads 1.234,56"),
    required,
  }),
  z.strictObject({
    type: z.literal('boolean'),
    true: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('Words meaning true (default J, ja, yes, 1, true, x, …)'),
    false: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('Words meaning false (default N, nein, no, 0, false, …)'),
    required,
  }),
  z.strictObject({ type: z.literal('date'), format: formats, required }),
  z.strictObject({
    type: z.literal('datetime'),
    format: formats,
    zone: zoneSchema.describe('Time zone the local times are in'),
    required,
  }),
  z.strictObject({ type: z.literal('text'), required }),
]);

/** The position and message of a JSONata parse error, or undefined when the text parses. */
export function jsonataProblem(text: string): { position: number; message: string } | undefined {
  try {
    jsonata()(text);
    return undefined;
  } catch (error) {
    const e = error as { position?: number; message?: string };
    return { position: e.position ?? 0, message: e.message ?? String(error) };
  }
}

const jsonataText = (what: string) =>
  z
    .string()
    .min(1)
    .superRefine((text, ctx) => {
      const problem = jsonataProblem(text);
      if (!problem) return;
      const near = text.slice(Math.max(0, problem.position - 20), problem.position);
      ctx.addIssue({
        code: 'custom',
        message: `the ${what} does not parse at position ${problem.position} (after "${near}"): ${problem.message}`,
        params: {
          fix: 'correct the JSONata near that position (a missing value, bracket or quote is the usual cause); try it with a sample record at https://try.jsonata.org',
        },
      });
    });

const mappingBody = {
  version: z
    .int()
    .min(1)
    .describe('Version of this mapping; every record stores the version it was mapped with'),
  expression: jsonataText('expression').describe(
    'JSONata expression building the payload from the source record',
  ),
  filter: jsonataText('filter')
    .optional()
    .describe('JSONata condition: records for which it is false are skipped (counted, not sent)'),
  convert: z
    .record(z.string().min(1), conversionRuleSchema)
    .optional()
    .describe(
      "Typed conversions of source fields before the expression, e.g. { amount: { type: 'number', locale: 'de-DE' } }",
    ),
  sensitive: z
    .array(z.string().min(1))
    .optional()
    .describe('Source fields whose values are redacted in error messages'),
  apiVersion: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The API version this mapping is written for; the active mapping's must be the destination's apiVersion.value",
    ),
};

/** Why the active mapping does not fit the API version the destination declares, with the fix; undefined: it fits. */
export function apiVersionMismatch(
  mapping: { version: number; apiVersion?: string | undefined },
  declared: string | undefined,
): { message: string; fix: string } | undefined {
  if (mapping.apiVersion === undefined || mapping.apiVersion === declared) return undefined;
  if (declared === undefined)
    return {
      message: `mapping v${mapping.version} is written for API version ${mapping.apiVersion}, and the destination declares no API version`,
      fix: `add apiVersion: { value: "${mapping.apiVersion}" } to the destination (with via: header, media-type or path)`,
    };
  return {
    message: `mapping v${mapping.version} is written for API version ${mapping.apiVersion}, but the destination targets ${declared}`,
    fix: `to move to ${declared}, add a mapping version written for it (apiVersion: "${declared}") and keep v${mapping.version} under history; or set destination.apiVersion.value back to ${mapping.apiVersion}`,
  };
}

const mappingVersionSchema = z.strictObject({
  ...mappingBody,
  note: z.string().optional().describe('Why this version was replaced'),
});

export const mappingSchema = z
  .strictObject({
    ...mappingBody,
    history: z
      .array(mappingVersionSchema)
      .default([])
      .describe('Earlier versions, kept so the version stored on each record can be looked up'),
  })
  .superRefine((mapping, ctx) => {
    const seen = new Set([mapping.version]);
    mapping.history.forEach((old, index) => {
      if (seen.has(old.version))
        ctx.addIssue({
          code: 'custom',
          path: ['history', index, 'version'],
          message: `version ${old.version} is used twice`,
          params: {
            fix: 'give every mapping version its own number; an edited mapping gets a new, higher version',
          },
        });
      else if (old.version > mapping.version)
        ctx.addIssue({
          code: 'custom',
          path: ['history', index, 'version'],
          message: `the history holds version ${old.version}, newer than the active version ${mapping.version}`,
          params: {
            fix: `give the active mapping a version above ${old.version} (to go back to an old mapping, copy it as a new version)`,
          },
        });
      seen.add(old.version);
    });
  })
  .describe('Shapes each record before it is stored for sending (JSON records only)');

export type MappingConfig = z.output<typeof mappingSchema>;
export type ConversionRule = z.output<typeof conversionRuleSchema>;
