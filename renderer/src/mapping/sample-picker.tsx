// Where the preview's samples come from: recent captured records of the connection, or a pasted JSON / CSV sample.
import { useEffect } from 'react';
import { maxPreviewSamples } from '../../../preload/contract/mapping.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { ago } from '../common/format.js';
import { useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';

export type SampleChoice = { kind: 'records'; ids: number[] } | { kind: 'text'; text: string };

/** The sample as the agent's preview and suggestion take it; undefined while nothing is chosen. */
export function sampleArg(choice: SampleChoice): { text: string } | { recordIds: number[] } | undefined {
  if (choice.kind === 'text') return choice.text.trim() === '' ? undefined : { text: choice.text };
  return choice.ids.length === 0 ? undefined : { recordIds: choice.ids };
}

function RecentRecords({
  connection,
  choice,
  onChange,
}: {
  connection: string;
  choice: SampleChoice;
  onChange: (choice: SampleChoice) => void;
}) {
  const { api, now } = useAgent();
  const recent = useLoad(() => api.sourceSamples({ connection, limit: maxPreviewSamples }), connection);
  const samples = recent.result?.samples;
  useEffect(() => {
    // First load: the three newest records, or the paste box when there are none.
    if (!samples || choice.kind !== 'records' || choice.ids.length > 0) return;
    if (samples.length === 0) onChange({ kind: 'text', text: '' });
    else onChange({ kind: 'records', ids: samples.slice(0, 3).map((s) => s.id) });
    // Only when the list arrives.
  }, [samples]);
  if (recent.error) return <ErrorBox error={recent.error} title="Could not load recent records" />;
  if (!samples) return <p>Loading recent records…</p>;
  if (samples.length === 0)
    return (
      <p className="hint">No captured record of this connection holds source data yet: paste a sample.</p>
    );
  const ids = choice.kind === 'records' ? choice.ids : [];
  const toggle = (id: number) =>
    onChange({ kind: 'records', ids: ids.includes(id) ? ids.filter((i) => i !== id) : [...ids, id] });
  return (
    <ul className="plain-list" aria-label="Recent source records">
      {samples.map((s) => (
        <li key={s.id}>
          <label>
            <input type="checkbox" checked={ids.includes(s.id)} onChange={() => toggle(s.id)} /> #{s.id}{' '}
            {s.businessKey ?? ''}{' '}
            <span className="hint">
              {ago(s.capturedAt, now)}, {s.state}
            </span>
          </label>
        </li>
      ))}
    </ul>
  );
}

export function SamplePicker({
  connection,
  choice,
  onChange,
}: {
  connection?: string;
  choice: SampleChoice;
  onChange: (choice: SampleChoice) => void;
}) {
  return (
    <fieldset>
      <legend>Samples</legend>
      {connection !== undefined && (
        <div className="row" role="radiogroup" aria-label="Sample source">
          <label>
            <input
              type="radio"
              name="sample-kind"
              checked={choice.kind === 'records'}
              onChange={() => onChange({ kind: 'records', ids: [] })}
            />{' '}
            Recent captured records
          </label>
          <label>
            <input
              type="radio"
              name="sample-kind"
              checked={choice.kind === 'text'}
              onChange={() => onChange({ kind: 'text', text: '' })}
            />{' '}
            Paste a sample
          </label>
        </div>
      )}
      {choice.kind === 'records' && connection !== undefined ? (
        <RecentRecords connection={connection} choice={choice} onChange={onChange} />
      ) : (
        <FormField
          label="Sample"
          help={`One JSON object, an array of objects, or CSV lines under their header line (at most ${maxPreviewSamples} records)`}
        >
          {(p) => (
            <textarea
              {...p}
              className="code"
              rows={5}
              value={choice.kind === 'text' ? choice.text : ''}
              onChange={(e) => onChange({ kind: 'text', text: e.target.value })}
            />
          )}
        </FormField>
      )}
    </fieldset>
  );
}
