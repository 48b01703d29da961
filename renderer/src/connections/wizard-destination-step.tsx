// Wizard step 2: where records go (an HTTP endpoint) and how requests authenticate.
import { FormField } from '../common/form-field.js';
import type { AuthType, FormErrors, WizardForm } from './wizard-form.js';
import { TextField } from './wizard-source-step.js';

interface StepProps {
  form: WizardForm;
  errors: FormErrors;
  set: (patch: Partial<WizardForm>) => void;
}

export function WizardDestinationStep(props: StepProps) {
  const { form, set } = props;
  return (
    <fieldset>
      <legend>Destination: the HTTP API that receives the records</legend>
      <TextField
        {...props}
        field="url"
        label="Endpoint URL"
        help="https:// (http:// only for this machine); every request carries an Idempotency-Key"
        type="url"
      />
      <FormField label="Method">
        {(p) => (
          <select
            {...p}
            value={form.method}
            onChange={(e) => set({ method: e.target.value as WizardForm['method'] })}
          >
            <option>POST</option>
            <option>PUT</option>
            <option>PATCH</option>
          </select>
        )}
      </FormField>
      <FormField
        label="Batching"
        help="Several JSON records per request, under one key derived from its members"
      >
        {(p) => (
          <select
            {...p}
            value={form.batchFormat}
            onChange={(e) => set({ batchFormat: e.target.value as WizardForm['batchFormat'] })}
          >
            <option value="none">One record per request</option>
            <option value="json-array">JSON array batches</option>
            <option value="ndjson">NDJSON batches</option>
          </select>
        )}
      </FormField>
      <FormField label="Authentication">
        {(p) => (
          <select
            {...p}
            value={form.authType}
            onChange={(e) => set({ authType: e.target.value as AuthType })}
          >
            <option value="none">None</option>
            <option value="bearer">Bearer token</option>
            <option value="api-key">API key header</option>
          </select>
        )}
      </FormField>
      {form.authType !== 'none' && (
        <TextField
          {...props}
          field="authSecret"
          label="Secret name"
          help="Name of the stored secret (set its value under Settings → Secrets); never the secret itself"
        />
      )}
      {form.authType === 'api-key' && <TextField {...props} field="apiKeyHeader" label="Header name" />}
    </fieldset>
  );
}
