// The add / edit connection wizard: source, destination, name, then test and save; each step validates inline.
import { useState, type FormEvent } from 'react';
import type { ConnectionView } from '../agent-api.js';
import { AdminHint } from '../common/admin-button.js';
import { FormField } from '../common/form-field.js';
import { href, navigate } from '../shell/use-route.js';
import { WizardDestinationStep } from './wizard-destination-step.js';
import {
  configFromForm,
  emptyForm,
  formFromConfig,
  validateStep,
  type FormErrors,
  type WizardForm,
} from './wizard-form.js';
import { WizardSourceStep } from './wizard-source-step.js';
import { WizardTestStep } from './wizard-test-step.js';

const steps = ['Source', 'Destination', 'Name', 'Test and save'];

export function ConnectionWizard({ existing }: { existing?: ConnectionView }) {
  const [form, setForm] = useState<WizardForm>(() =>
    existing ? formFromConfig(existing.config) : emptyForm,
  );
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<FormErrors>({});
  const set = (patch: Partial<WizardForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    // Once a step showed errors, re-check as the user types so fixed fields clear at once.
    if (Object.keys(errors).length > 0) setErrors(validateStep(next, step));
  };
  const forward = (event: FormEvent) => {
    event.preventDefault();
    const found = validateStep(form, step);
    setErrors(found);
    if (Object.keys(found).length === 0) setStep(step + 1);
  };
  const stepProps = { form, errors, set };
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
          {step === 0 && <WizardSourceStep {...stepProps} />}
          {step === 1 && <WizardDestinationStep {...stepProps} />}
          {step === 2 && (
            <fieldset>
              <legend>Name</legend>
              <FormField
                label="Connection id"
                help="Stable: delivery history is keyed by it (lowercase letters, digits, - and _)"
                error={errors.id}
              >
                {(p) => (
                  <input
                    {...p}
                    value={form.id}
                    readOnly={existing !== undefined}
                    onChange={(e) => set({ id: e.target.value })}
                  />
                )}
              </FormField>
              <FormField label="Display name" help="Shown on the overview, e.g. Invoices → ERP">
                {(p) => <input {...p} value={form.name} onChange={(e) => set({ name: e.target.value })} />}
              </FormField>
            </fieldset>
          )}
          <div className="row">
            {step > 0 && (
              <button type="button" onClick={() => setStep(step - 1)}>
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
            connection={configFromForm(form, existing?.config)}
            editing={existing !== undefined}
            onSaved={() => navigate(href('overview'))}
          />
          <div className="row">
            <button type="button" onClick={() => setStep(2)}>
              Back
            </button>
            <a href={href('connections')}>Cancel</a>
          </div>
        </>
      )}
    </section>
  );
}
