// The wizard's records preview: the first rows of a folder file (or a pasted sample) as capture will parse them.
import { useState } from 'react';
import type { JsonObject } from '../../../preload/contract/json-value.js';
import {
  maxPreviewRecords,
  maxPreviewSampleLength,
  type RecordsPreview,
} from '../../../preload/contract/records-preview.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { plural } from '../common/format.js';
import { useLiveCall } from '../common/use-live-call.js';

type Input = { kind: 'file'; file?: string } | { kind: 'sample'; text: string };

const limits = [5, 10, maxPreviewRecords];

/** A shown cell: text as it is, other values as JSON, a missing field as nothing. */
function cellText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function valueAt(value: RecordsPreview['records'][number]['value'], column: string): unknown {
  return Array.isArray(value) ? value[Number(column) - 1] : value[column];
}

function RecordTable({ preview }: { preview: RecordsPreview }) {
  if (preview.records.length === 0) return null;
  return (
    <div className="table-scroll">
      <table data-testid="records-preview-table">
        <caption>
          The first {plural(preview.records.length, 'record')} as they will be captured (each is sent as its
          own change)
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            {preview.columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.records.map((record, index) => (
            <tr key={`${record.line}-${index}`}>
              <th scope="row">{record.line || '—'}</th>
              {preview.columns.map((column) => (
                <td key={column}>{cellText(valueAt(record.value, column))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Rejections({ preview }: { preview: RecordsPreview }) {
  if (preview.rejected.length === 0) return null;
  return (
    <div className="message error" data-testid="records-preview-rejected">
      <p>
        {plural(preview.counts.rejected, 'row')} would be rejected: each becomes a dead letter with file, line
        and reason, while the other rows are still sent.
      </p>
      <ul>
        {preview.rejected.map((row, index) => (
          <li key={`${row.line}-${index}`}>
            Line {row.line}: {row.reason} <code>{row.excerpt}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Summary({ preview }: { preview: RecordsPreview }) {
  if (preview.problem) return <p className="message error">Nothing to preview: {preview.problem}.</p>;
  const { records, rejected } = preview.counts;
  return (
    <p data-testid="records-preview-summary">
      Read {preview.input}: {plural(records, 'record')}
      {rejected > 0 ? `, ${plural(rejected, 'rejected row')}` : ', no rejected rows'}.
      {preview.partial && ` Only ${preview.partial} was read here; capture reads the whole file.`}
    </p>
  );
}

export function RecordsPreviewPanel({ source, ready }: { source: JsonObject; ready: boolean }) {
  const [input, setInput] = useState<Input>({ kind: 'file' });
  const [limit, setLimit] = useState(5);
  const args =
    ready && !(input.kind === 'sample' && input.text.trim() === '')
      ? {
          source,
          limit,
          ...(input.kind === 'file' && input.file ? { file: input.file } : {}),
          ...(input.kind === 'sample' ? { sample: input.text } : {}),
        }
      : undefined;
  const call = useLiveCall('previewRecords', args);
  const preview = call.result;
  const files = preview?.files ?? [];
  return (
    <section aria-labelledby="records-preview-title" aria-busy={call.pending} className="panel">
      <h3 id="records-preview-title">Preview</h3>
      {!ready && (
        <p className="hint">Fill in the fields above to see the first records as they will be captured.</p>
      )}
      <div role="radiogroup" aria-label="Preview from">
        <label>
          <input
            type="radio"
            name="preview-from"
            checked={input.kind === 'file'}
            onChange={() => setInput({ kind: 'file' })}
          />{' '}
          A file of the folder
        </label>
        <label>
          <input
            type="radio"
            name="preview-from"
            checked={input.kind === 'sample'}
            onChange={() => setInput({ kind: 'sample', text: '' })}
          />{' '}
          A pasted sample
        </label>
      </div>
      {input.kind === 'file' && files.length > 0 && (
        <FormField label="File" help="Files that match the patterns, newest first">
          {(p) => (
            <select
              {...p}
              value={input.file ?? preview?.file ?? ''}
              onChange={(e) => setInput({ kind: 'file', file: e.target.value })}
            >
              {files.map((file) => (
                <option key={file} value={file}>
                  {file}
                </option>
              ))}
            </select>
          )}
        </FormField>
      )}
      {input.kind === 'sample' && (
        <FormField
          label="Sample text"
          help="A few lines of an export, parsed with the options above (as UTF-8)"
        >
          {(p) => (
            <textarea
              {...p}
              rows={6}
              maxLength={maxPreviewSampleLength}
              spellCheck={false}
              value={input.text}
              onChange={(e) => setInput({ kind: 'sample', text: e.target.value })}
            />
          )}
        </FormField>
      )}
      <FormField label="Records shown">
        {(p) => (
          <select {...p} value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {limits.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <ErrorBox error={call.error} title="No preview" />
      {preview && !call.error && (
        <>
          <Summary preview={preview} />
          <RecordTable preview={preview} />
          <Rejections preview={preview} />
        </>
      )}
    </section>
  );
}
