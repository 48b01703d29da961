// The suggested starting mapping: each contract property and the column picked for it, to use or ignore.
import type { MappingSuggestionView } from '../../../preload/contract/mapping.js';
import { AdminButton } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { useAction } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import type { DraftText } from './mapping-draft.js';

interface SuggestionProps {
  connection?: string;
  contractFile?: string;
  sample: { text: string } | { recordIds: number[] } | undefined;
  onUse: (draft: DraftText) => void;
}

function SuggestionTable({ suggestion }: { suggestion: MappingSuggestionView }) {
  return (
    <div className="table-scroll">
      <table data-testid="suggestion">
        <caption>Suggested fields</caption>
        <thead>
          <tr>
            <th scope="col">Property</th>
            <th scope="col">From column</th>
            <th scope="col">Similarity</th>
          </tr>
        </thead>
        <tbody>
          {suggestion.fields.map((f) => (
            <tr key={f.property}>
              <th scope="row">{f.property}</th>
              <td>{f.column ?? <span className="error">no column is alike: fill it in</span>}</td>
              <td>{f.column ? `${Math.round(f.score * 100)} %` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {suggestion.unusedColumns.length > 0 && (
        <p className="hint">Not used: {suggestion.unusedColumns.join(', ')}</p>
      )}
    </div>
  );
}

export function SuggestionPanel({ connection, contractFile, sample, onUse }: SuggestionProps) {
  const { api } = useAgent();
  const suggest = useAction(() =>
    api.suggestMapping({
      ...(connection ? { connection } : {}),
      ...(contractFile ? { contractFile } : {}),
      sample: sample ?? { text: '' },
    }),
  );
  const suggestion = suggest.result;
  return (
    <section aria-labelledby="suggest-title">
      <h3 id="suggest-title">Suggest a mapping</h3>
      <p className="hint">
        From the sample&apos;s column names and the contract&apos;s properties (names compared without case,
        separators and common abbreviations). Check it before you use it.
      </p>
      <AdminButton onClick={() => void suggest.run()} disabled={suggest.pending || sample === undefined}>
        Suggest from the columns
      </AdminButton>
      <ErrorBox error={suggest.error} title="No suggestion" />
      {suggestion && (
        <>
          <SuggestionTable suggestion={suggestion} />
          <button
            type="button"
            onClick={() =>
              onUse({
                expression: suggestion.mapping.expression,
                filter: '',
                convert:
                  Object.keys(suggestion.mapping.convert).length > 0
                    ? JSON.stringify(suggestion.mapping.convert, null, 2)
                    : '',
              })
            }
          >
            Use this mapping
          </button>
        </>
      )}
    </section>
  );
}
