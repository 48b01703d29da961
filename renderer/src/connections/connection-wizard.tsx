// The add / edit connection wizard: source, destination, name, then test and save; each step validates inline.
import { useState, type FormEvent } from 'react';
import type { FormProblems } from '../../../connectors/core/connector-form.js';
import type { ConnectionView } from '../agent-api.js';
import { AdminHint } from '../common/admin-button.js';
import { FormField } from '../common/form-field.js';
import { href, navigate } from '../shell/use-route.js';
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
import { WizardTestStep } from './wizard-test-step.js';

const steps = ['Source', 'Destination', 'Name', 'Test and save'];

export function ConnectionWizard({ existing }: { existing?: ConnectionView }) {
  const base = savedConfig(existing?.config);
  const [form, setForm] = useState<WizardForm>(() => (existing ? formFromConfig(base) : emptyForm));
  const [step, setStep] = useState(0);
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  const update = (next: WizardForm) => {
    setForm(next);
    // Once a step showed problems, re-check as the user types so fixed fields clear at once.
    if (hasProblems(problems)) setProblems(validateStep(next, step, base));
  };
  const forward = (event: FormEvent) => {
    event.preventDefault();
    const found = validateStep(form, step, base);
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
      {step < 3 ? (
        <form onSubmit={forward} noValidate aria-label={steps[step]}>
          {step === 0 && connectorStep('source')}
          {step === 1 && connectorStep('destination')}
          {step === 2 && (
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
            connection={configFromForm(form, base)}
            editing={existing !== undefined}
            onSaved={() => navigate(href('overview'))}
          />
          <div className="row">
            <button type="button" onClick={() => back(2)}>
              Back
            </button>
            <a href={href('connections')}>Cancel</a>
          </div>
        </>
      )}
    </section>
  );
}
