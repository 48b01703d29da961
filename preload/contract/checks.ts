// Check results shown by "Test connection" and the network doctor: one line per check with status, detail and fix.
import { z } from 'zod';

export const checkStatusSchema = z.enum(['pass', 'warn', 'fail', 'skip']);

export const checkResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: checkStatusSchema,
  detail: z.string(),
  fix: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const overallCheckSchema = z.enum(['pass', 'warn', 'fail']);

/** Worst status wins; skipped checks count as passed. */
export function overallOf(checks: readonly { status: z.infer<typeof checkStatusSchema> }[]) {
  if (checks.some((c) => c.status === 'fail')) return 'fail' as const;
  if (checks.some((c) => c.status === 'warn')) return 'warn' as const;
  return 'pass' as const;
}

export const connectionTestSchema = z.object({
  overall: overallCheckSchema,
  /** Source reachability first, then the destination's network checks. */
  checks: z.array(checkResultSchema),
});

export type CheckResult = z.infer<typeof checkResultSchema>;
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

/** The network doctor's report (interfaces item 3); preload/contract/doctor.ts holds the doctor's own schema. */
export const doctorReportResultSchema = z.object({
  destination: z.string(),
  startedAt: z.number(),
  checks: z.array(checkResultSchema),
  overall: overallCheckSchema,
});
