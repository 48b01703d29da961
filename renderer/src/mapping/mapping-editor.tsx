// The mapping editor: samples, a suggested start, the draft's fields and the live preview (page and wizard share it).
import { useState } from 'react';
import type { MethodArgs } from '../../../preload/contract/api.js';
import { useLiveCall } from '../common/use-live-call.js';
import { draftArg, type DraftText } from './mapping-draft.js';
import { MappingFields } from './mapping-fields.js';
import { PreviewPanel } from './preview-panel.js';
import { SamplePicker, sampleArg, type SampleChoice } from './sample-picker.js';
import { SuggestionPanel } from './suggestion-panel.js';

interface EditorProps {
  /** The saved connection whose records and contract the preview uses; undefined in the wizard. */
  connection?: string;
  /** A JSON Schema file named in the wizard (a saved connection's own contract is used without it). */
  contractFile?: string;
  draft: DraftText;
  onDraft: (draft: DraftText) => void;
}

export function MappingEditor({ connection, contractFile, draft, onDraft }: EditorProps) {
  const [choice, setChoice] = useState<SampleChoice>(
    connection ? { kind: 'records', ids: [] } : { kind: 'text', text: '' },
  );
  const sample = sampleArg(choice);
  const arg = draftArg(draft);
  const args: MethodArgs<'previewMapping'> | undefined =
    sample && 'mapping' in arg
      ? {
          ...(connection ? { connection } : {}),
          ...(contractFile ? { contractFile } : {}),
          mapping: arg.mapping,
          sample,
        }
      : undefined;
  const preview = useLiveCall('previewMapping', args);
  return (
    <div className="mapping-editor">
      <SamplePicker {...(connection ? { connection } : {})} choice={choice} onChange={setChoice} />
      <SuggestionPanel
        {...(connection ? { connection } : {})}
        {...(contractFile ? { contractFile } : {})}
        sample={sample}
        onUse={onDraft}
      />
      <MappingFields
        draft={draft}
        problems={preview.result?.draftProblems ?? []}
        {...('convertProblem' in arg ? { convertProblem: arg.convertProblem } : {})}
        onChange={onDraft}
      />
      {sample === undefined ? (
        <p className="hint">Choose or paste a sample to see the preview.</p>
      ) : (
        <PreviewPanel report={preview.result} error={preview.error} pending={preview.pending} />
      )}
    </div>
  );
}
