// A JSON value as rows of JSON pointer → value, with each problem placed on the row its pointer names.
import type { FieldProblem } from '../../../preload/contract/mapping.js';

export interface FieldRow {
  pointer: string;
  value: string;
  problem?: string;
}

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

function flatten(value: unknown, pointer: string, rows: FieldRow[]): void {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flatten(child, `${pointer}/${escape(key)}`, rows);
    return;
  }
  rows.push({ pointer: pointer || '/', value: value === undefined ? '' : JSON.stringify(value) });
}

/**
 * The leaves of `value` as rows. A problem whose pointer names a row is shown on it; one naming a field that is not
 * there (a missing required property) gets a row of its own, marked missing.
 */
export function fieldRows(value: unknown, problems: readonly FieldProblem[]): FieldRow[] {
  const rows: FieldRow[] = [];
  flatten(value, '', rows);
  for (const problem of problems) {
    const at = problem.at || '/';
    const row = rows.find((r) => r.pointer === at) ?? rows.find((r) => r.pointer.startsWith(`${at}/`));
    if (row) row.problem = problem.message;
    else rows.push({ pointer: at, value: '(missing)', problem: problem.message });
  }
  return rows;
}
