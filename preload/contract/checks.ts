// Results of "Test connection": source reachability checks followed by the network doctor's checks, one line each.
import { z } from 'zod';
import { doctorCheckSchema } from './doctor.js';

export { doctorCheckSchema as checkResultSchema, doctorReportSchema, overallOf } from './doctor.js';

export const connectionTestSchema = z.object({
  overall: z.enum(['pass', 'warn', 'fail']),
  /** Source reachability first, then the destination's network checks. */
  checks: z.array(doctorCheckSchema),
});

export type ConnectionTest = z.infer<typeof connectionTestSchema>;
export type { DoctorCheck as CheckResult } from './doctor.js';
