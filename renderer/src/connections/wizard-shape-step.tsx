// Wizard step 2, Shape: send records as captured (default), or start a mapping with a pasted sample and its preview.
import { FormField } from '../common/form-field.js';
import { MappingEditor } from '../mapping/mapping-editor.js';
import { href } from '../shell/use-route.js';
import type { ShapeState } from './wizard-shape.js';

interface ShapeStepProps {
  shape: ShapeState;
  /** The id of the connection being edited: its mapping is changed in the mapping editor, not here. */
  editing?: string;
  problems: Record<string, string>;
  onChange: (shape: ShapeState) => void;
}

export function WizardShapeStep({ shape, editing, problems, onChange }: ShapeStepProps) {
  if (editing !== undefined)
    return (
      <fieldset>
        <legend>Shape</legend>
        <p>
          The mapping of this connection is kept as it is. To change it (as a new version, with a preview on
          its captured records), open the{' '}
          <a href={href('connections', [editing, 'mapping'])}>mapping editor</a>.
        </p>
      </fieldset>
    );
  return (
    <fieldset>
      <legend>Shape</legend>
      <div role="radiogroup" aria-label="What is sent">
        <label>
          <input
            type="radio"
            name="shape-mode"
            checked={shape.mode === 'captured'}
            onChange={() => onChange({ ...shape, mode: 'captured' })}
          />{' '}
          Send as captured (each record as the source gave it)
        </label>
        <label>
          <input
            type="radio"
            name="shape-mode"
            checked={shape.mode === 'mapping'}
            onChange={() => onChange({ ...shape, mode: 'mapping' })}
          />{' '}
          Shape with a mapping (rename, convert, filter; checked against the API&apos;s contract)
        </label>
      </div>
      {shape.mode === 'mapping' && (
        <>
          <FormField
            label="Contract (JSON Schema file, optional)"
            help="Absolute path on the agent machine; every mapped payload must satisfy it before it is stored for sending"
            error={problems.contractFile}
          >
            {(p) => (
              <input
                {...p}
                value={shape.contractFile}
                onChange={(e) => onChange({ ...shape, contractFile: e.target.value })}
              />
            )}
          </FormField>
          {(problems.expression || problems.convert) && (
            <p className="error">
              {[
                problems.expression && `Expression ${problems.expression}`,
                problems.convert && `Conversions ${problems.convert}`,
              ]
                .filter(Boolean)
                .join('; ')}
            </p>
          )}
          <MappingEditor
            {...(problems.contractFile || shape.contractFile.trim() === ''
              ? {}
              : { contractFile: shape.contractFile.trim() })}
            draft={shape.draft}
            onDraft={(draft) => onChange({ ...shape, draft })}
          />
        </>
      )}
    </fieldset>
  );
}
