// Config of HTTP status classification: which statuses are retried and which are dead-lettered, beyond the defaults.
import { z } from 'zod';

const httpStatusSchema = z.int().min(100).max(599).describe('An HTTP status code');

function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

const classificationObjectSchema = z
  .strictObject({
    retryOn: z
      .array(httpStatusSchema)
      .default([])
      .describe('HTTP statuses to retry later, in addition to 408, 409, 425, 429 and 5xx'),
    deadOn: z
      .array(httpStatusSchema)
      .default([])
      .describe('HTTP statuses to dead-letter at once, even ones retried by default (such as 501)'),
  })
  .superRefine((lists, ctx) => {
    for (const list of ['retryOn', 'deadOn'] as const) {
      lists[list].forEach((status, index) => {
        if (!isSuccessStatus(status)) return;
        ctx.addIssue({
          code: 'custom',
          path: [list, index],
          message: `${status} is a success status; a 2xx answer always counts as delivered`,
          params: { fix: `remove ${status} from ${list}` },
        });
      });
    }
    const retried = new Set(lists.retryOn);
    lists.deadOn.forEach((status, index) => {
      if (!retried.has(status)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['deadOn', index],
        message: `${status} is in both retryOn and deadOn`,
        params: { fix: `keep ${status} in only one of the two lists` },
      });
    });
  })
  .describe('Overrides which HTTP statuses are retried and which are dead-lettered');

/** Embed as a field: absent means the default classification. */
export const classificationConfigSchema = classificationObjectSchema.prefault({});
export type ClassificationConfig = z.output<typeof classificationConfigSchema>;
