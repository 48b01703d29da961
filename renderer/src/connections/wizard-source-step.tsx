// Wizard step 1: where changes come from (a folder or a database table).
import { FormField } from '../common/form-field.js';
import type { FormErrors, SourceType, WizardForm } from './wizard-form.js';

interface StepProps {
  form: WizardForm;
  errors: FormErrors;
  set: (patch: Partial<WizardForm>) => void;
}

export function TextField({
  form,
  errors,
  set,
  field,
  label,
  help,
  type = 'text',
}: StepProps & { field: keyof WizardForm; label: string; help?: string; type?: string }) {
  return (
    <FormField label={label} help={help} error={errors[field]}>
      {(props) => (
        <input
          {...props}
          type={type}
          value={form[field]}
          onChange={(e) => set({ [field]: e.target.value })}
        />
      )}
    </FormField>
  );
}

export function WizardSourceStep(props: StepProps) {
  const { form, set } = props;
  const network = form.sourceType === 'postgres' || form.sourceType === 'mysql';
  return (
    <fieldset>
      <legend>Source: where changes come from</legend>
      <FormField label="Source type">
        {(p) => (
          <select
            {...p}
            value={form.sourceType}
            onChange={(e) => set({ sourceType: e.target.value as SourceType })}
          >
            <option value="folder">Folder (files dropped by other software)</option>
            <option value="sqlite">SQLite database file</option>
            <option value="postgres">PostgreSQL table</option>
            <option value="mysql">MySQL / MariaDB table</option>
          </select>
        )}
      </FormField>
      {form.sourceType === 'folder' && (
        <>
          <TextField
            {...props}
            field="folderPath"
            label="Folder"
            help="The folder other software writes files into"
          />
          <TextField
            {...props}
            field="include"
            label="Files to pick up"
            help="Glob patterns, comma-separated, e.g. **/*.csv"
          />
          <TextField
            {...props}
            field="quietPeriodMs"
            label="Quiet period (ms)"
            help="A file counts as finished once unchanged this long"
            type="number"
          />
        </>
      )}
      {form.sourceType === 'sqlite' && (
        <TextField {...props} field="dbFile" label="Database file" help="Opened read-only" />
      )}
      {network && (
        <>
          <TextField {...props} field="host" label="Host" />
          <TextField {...props} field="port" label="Port" help="Empty: the default port" type="number" />
          <TextField {...props} field="database" label="Database" />
          <TextField {...props} field="user" label="Login" help="A read-only login is recommended" />
          <TextField
            {...props}
            field="passwordSecret"
            label="Password secret name"
            help="Name of the secret holding the password (set it under Settings → Secrets)"
          />
        </>
      )}
      {form.sourceType !== 'folder' && (
        <>
          <TextField {...props} field="table" label="Table" />
          <TextField {...props} field="primaryKey" label="Primary key columns" help="Comma-separated" />
          <TextField
            {...props}
            field="watermarkColumn"
            label="Watermark column"
            help="A column that grows with every change (updated_at); empty: compare whole rows (small tables only)"
          />
        </>
      )}
    </fieldset>
  );
}
