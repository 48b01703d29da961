// One side of the preview (source or mapped payload) as field → value rows, problems shown at their field.
import type { FieldProblem } from '../../../preload/contract/mapping.js';
import { fieldRows } from './field-rows.js';

export function FieldTable({
  title,
  value,
  problems,
  testId,
}: {
  title: string;
  value: unknown;
  problems: FieldProblem[];
  testId: string;
}) {
  const rows = fieldRows(value, problems);
  return (
    <div className="table-scroll" data-testid={testId}>
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.pointer}
              data-testid={`${testId}-field-${row.pointer}`}
              className={row.problem ? 'health-attention' : undefined}
            >
              <th scope="row">
                <code>{row.pointer}</code>
              </th>
              <td className="wrap">
                <code>{row.value}</code>
                {row.problem && (
                  <div className="error" role="note">
                    {row.problem}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
