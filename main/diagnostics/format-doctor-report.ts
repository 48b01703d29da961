// Doctor reports as terminal text: one line per check with a symbol, then what to do for each warning and failure.
import type { DoctorCheck, DoctorReport } from '../../preload/contract/doctor.js';

const symbols: Record<DoctorCheck['status'], string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

/** Human-readable text of one report (ends with a newline). */
export function formatDoctorReport(report: DoctorReport): string {
  const name =
    report.connection === undefined ? report.destination : `${report.connection} → ${report.destination}`;
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = [`${name}`];
  for (const check of report.checks)
    lines.push(`  ${symbols[check.status]} ${check.title.padEnd(width)}  ${check.detail}`);
  const fixes = report.checks.filter(
    (check) => check.fix !== undefined && (check.status === 'fail' || check.status === 'warn'),
  );
  if (fixes.length > 0) {
    lines.push('', '  What to do:');
    for (const check of fixes) lines.push(`  ${symbols[check.status]} ${check.title}: ${check.fix ?? ''}`);
  }
  lines.push(
    '',
    `  Result: ${report.overall}${report.durationMs === undefined ? '' : ` (${report.durationMs} ms)`}`,
  );
  return `${lines.join('\n')}\n`;
}
