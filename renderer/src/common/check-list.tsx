// A table of check results (Test connection, network doctor): status, what was checked, detail and fix.
import type { CheckResult } from '../agent-api.js';

const tone: Record<CheckResult['status'], string> = {
  pass: 'health-in-sync',
  warn: 'health-attention',
  fail: 'health-attention',
  skip: 'health-stopped',
};

export function CheckList({ checks, caption }: { checks: CheckResult[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Check</th>
            <th scope="col">Detail</th>
            <th scope="col">How to fix</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.id} data-testid={`check-${c.id}`}>
              <td>
                <span className={`badge ${c.status === 'fail' ? 'fail' : tone[c.status]}`}>{c.status}</span>
              </td>
              <th scope="row">{c.title}</th>
              <td className="wrap">{c.detail}</td>
              <td>{c.fix ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
