// The add / edit connection wizard: source, shape, destination, name, then test and save; each step validates inline.
import { useState, type FormEvent } from 'react';
import { objectAt, type FormProblems, type JsonObject } from '../../../connectors/core/connector-form.js';
import type { ConnectionView } from '../agent-api.js';
import { AdminHint } from '../common/admin-button.js';
import { FormField } from '../common/form-field.js';
import { href, navigate } from '../shell/use-route.js';
import { RecordsPreviewPanel } from './records-preview-panel.js';
import { WizardConnectorStep } from './wizard-connector-step.js';
import {
  configFromForm,
  emptyForm,
  formFromConfig,
  hasProblems,
  noProblems,
  savedConfig,
  validateStep,
  withType,
  type Part,
  type WizardForm,
} from './wizard-form.js';
import { WizardShapeStep } from './wizard-shape-step.js';
import { capturedShape, shapeProblems, withShape, type ShapeState } from './wizard-shape.js';
import { WizardTestStep } from './wizard-test-step.js';

/** Under the source step of a source in records mode: the first records as they will be captured. */
function SourcePreview({ form, base }: { form: WizardForm; base: JsonObject }) {
  const source = objectAt(configFromForm(form, base).source);
  if (source.records === undefined) return null;
  return <RecordsPreviewPanel source={source} ready={!hasProblems(validateStep(form, 0, base))} />;
}

const steps = ['Source', 'Shape', 'Destination', 'Name', 'Test and save'];
/** The wizard-form step (0 source, 1 destination, 2 name) each wizard step checks; the Shape step checks itself. */
const formStep = [0, undefined, 1, 2];
const lastFormStep = 4;

export function ConnectionWizard({ existing }: { existing?: ConnectionView }) {
  const base = savedConfig(existing?.config);
  const [form, setForm] = useState<WizardForm>(() => (existing ? formFromConfig(base) : emptyForm));
  const [step, setStep] = useState(0);
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const [shape, setShape] = useState<ShapeState>(capturedShape);
  const check = (next: WizardForm, nextShape: ShapeState): FormProblems => {
    const part = formStep[step];
    if (part !== undefined) return validateStep(next, part, base);
    return existing ? noProblems : { fields: shapeProblems(nextShape), other: [] };
  };
  const update = (next: WizardForm) => {
    setForm(next);
    // Once a step showed problems, re-check as the user types so fixed fields clear at once.
    if (hasProblems(problems)) setProblems(check(next, shape));
  };
  const updateShape = (next: ShapeState) => {
    setShape(next);
    if (hasProblems(problems)) setProblems(check(form, next));
  };
  const forward = (event: FormEvent) => {
    event.preventDefault();
    const found = check(form, shape);
    setProblems(found);
    if (!hasProblems(found)) setStep(step + 1);
  };
  const back = (to: number) => {
    setProblems(noProblems);
    setStep(to);
  };
  const connectorStep = (part: Part) => (
    <WizardConnectorStep
      part={part}
      form={form}
      problems={problems}
      onValues={(values) => update({ ...form, [part]: { ...form[part], values } })}
      onType={(type) => update(withType(form, part, type, base))}
    />
  );
  return (
    <section aria-labelledby="wizard-title">
      <h2 id="wizard-title">{existing ? `Edit ${existing.name}` : 'Add a connection'}</h2>
      <AdminHint action="saving a connection" />
      <ol className="steps" aria-label="Steps">
        {steps.map((title, index) => (
          <li key={title} aria-current={index === step ? 'step' : undefined}>
            {index + 1}. {title}
          </li>
        ))}
      </ol>
      {step < lastFormStep ? (
        <form onSubmit={forward} noValidate aria-label={steps[step]}>
          {step === 0 && connectorStep('source')}
          {step === 0 && <SourcePreview form={form} base={base} />}
          {step === 1 && (
            <WizardShapeStep
              shape={shape}
              {...(existing ? { editing: existing.id } : {})}
              problems={problems.fields}
              onChange={updateShape}
            />
          )}
          {step === 2 && connectorStep('destination')}
          {step === 3 && (
            <fieldset>
              <legend>Name</legend>
              <FormField
                label="Connection id"
                help="Stable: delivery history is keyed by it (lowercase letters, digits, - and _)"
                error={problems.fields.id}
              >
                {(p) => (
                  <input
                    {...p}
                    value={form.id}
                    readOnly={existing !== undefined}
                    onChange={(e) => update({ ...form, id: e.target.value })}
                  />
                )}
              </FormField>
              <FormField label="Display name" help="Shown on the overview, e.g. Invoices → ERP">
                {(p) => (
                  <input
                    {...p}
                    value={form.name}
                    onChange={(e) => update({ ...form, name: e.target.value })}
                  />
                )}
              </FormField>
            </fieldset>
          )}
          <div className="row">
            {step > 0 && (
              <button type="button" onClick={() => back(step - 1)}>
                Back
              </button>
            )}
            <button type="submit" className="primary">
              Next
            </button>
            <a href={href('connections')}>Cancel</a>
          </div>
        </form>
      ) : (
        <>
          <WizardTestStep
            connection={withShape(configFromForm(form, base), shape)}
            editing={existing !== undefined}
            onSaved={() => navigate(href('overview'))}
          />
          <div className="row">
            <button type="button" onClick={() => back(lastFormStep - 1)}>
              Back
            </button>
            <a href={href('connections')}>Cancel</a>
          </div>
        </>
      )}
    </section>
  );
}
