// The network doctor's report (one per HTTP destination): schema and type, browser-safe, shared by the CLI, console and UI.
import { z } from 'zod';

export const doctorStatusSchema = z.enum(['pass', 'warn', 'fail', 'skip']);

export const doctorCheckSchema = z.object({
  /** dns | tcp | proxy | tls | interception | certificate | clock | oauth | dry-run | contract-pin (more may come). */
  id: z.string(),
  title: z.string(),
  status: doctorStatusSchema,
  /** One line: what was found. */
  detail: z.string(),
  /** What to do about it (warn and fail), in plain words with the exact setting or command. */
  fix: z.string().optional(),
  /** Measured facts (addresses, times, certificate chain…); never a secret. */
  data: z.record(z.string(), z.unknown()).optional(),
});

export const doctorReportSchema = z.object({
  /** The destination URL that was checked (scheme, host, port and path; no query). */
  destination: z.string(),
  /** The connection id, when the destination belongs to a connection of the config. */
  connection: z.string().optional(),
  startedAt: z.number(),
  durationMs: z.number().optional(),
  checks: z.array(doctorCheckSchema),
  overall: z.enum(['pass', 'warn', 'fail']),
});

export type DoctorStatus = z.infer<typeof doctorStatusSchema>;
export type DoctorCheck = z.infer<typeof doctorCheckSchema>;
export type DoctorReport = z.infer<typeof doctorReportSchema>;

/** The worst status of the checks: fail over warn over pass; skipped checks do not count. */
export function overallOf(checks: readonly Pick<DoctorCheck, 'status'>[]): DoctorReport['overall'] {
  if (checks.some((check) => check.status === 'fail')) return 'fail';
  if (checks.some((check) => check.status === 'warn')) return 'warn';
  return 'pass';
}
