// The preview of each sample side by side: source → mapped payload → contract result, problems at the field.
import type { PreviewResult } from '../../../preload/contract/mapping.js';
import { ErrorBox } from '../common/error-box.js';
import { FieldTable } from './field-table.js';
import type { MethodResult } from '../../../preload/contract/api.js';

function Verdict({ result, contract }: { result: PreviewResult; contract?: string }) {
  if (result.outcome === 'skipped')
    return <p className="message">Skipped by the filter: not stored, not sent (counted in status).</p>;
  if (result.outcome === 'failed')
    return (
      <p className="message error">
        Rejected: stored as a dead letter with its source data, never sent. {result.reason}
      </p>
    );
  if (result.contract === 'none')
    return <p className="message">Mapped. No contract is named, so nothing is checked.</p>;
  if (result.contract === 'pass') return <p className="message ok">Passes the contract {contract}.</p>;
  return <p className="message error">Fails the contract: rejected as a dead letter. {result.reason}</p>;
}

export function PreviewPanel({
  report,
  error,
  pending,
}: {
  report: MethodResult<'previewMapping'> | undefined;
  error?: unknown;
  pending: boolean;
}) {
  return (
    <section aria-labelledby="preview-title" aria-busy={pending}>
      <h3 id="preview-title">
        Preview {report && <span className="hint">as mapping v{report.version}</span>}
      </h3>
      <ErrorBox error={error} title="No preview" />
      {report && report.draftProblems.length > 0 && (
        <p className="message error">The mapping has problems: see the marked fields above.</p>
      )}
      {report?.results.map((result, index) => (
        <article key={`${result.label}-${index}`} className="panel" data-testid={`preview-${index}`}>
          <h4>{result.label}</h4>
          <div className="mapping-grid">
            <FieldTable
              title="Source"
              value={result.source}
              problems={result.problems.filter((p) => p.side === 'source')}
              testId={`preview-${index}-source`}
            />
            <FieldTable
              title="Mapped payload"
              value={result.outcome === 'mapped' ? result.payload : undefined}
              problems={result.problems.filter((p) => p.side === 'payload')}
              testId={`preview-${index}-payload`}
            />
            <div data-testid={`preview-${index}-contract`}>
              <h5>Contract</h5>
              <Verdict result={result} {...(report.contract ? { contract: report.contract } : {})} />
            </div>
          </div>
        </article>
      ))}
    </section>
  );
}
