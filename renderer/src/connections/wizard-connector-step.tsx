// Wizard steps 1 and 2: the connector type of the source or the destination, then that connector's form.
import type { FormProblems, FormValues } from '../../../connectors/core/connector-form.js';
import { FormField } from '../common/form-field.js';
import { ConnectorFields } from './connector-fields.js';
import { formOf, formsOf, type Part, type WizardForm } from './wizard-form.js';

const legends: Record<Part, string> = {
  source: 'Source: where changes come from',
  destination: 'Destination: where records go',
};
const pickerLabels: Record<Part, string> = { source: 'Source type', destination: 'Destination type' };

interface StepProps {
  part: Part;
  form: WizardForm;
  problems: FormProblems;
  onValues: (values: FormValues) => void;
  onType: (type: string) => void;
}

export function WizardConnectorStep({ part, form, problems, onValues, onType }: StepProps) {
  const forms = formsOf[part];
  const connector = formOf(part, form[part].type);
  return (
    <fieldset>
      {/* With a single connector of this kind there is nothing to pick: the legend names it. */}
      <legend>{forms.length > 1 ? legends[part] : `${legends[part]} (${connector.title})`}</legend>
      {forms.length > 1 && (
        <FormField label={pickerLabels[part]}>
          {(p) => (
            <select {...p} value={connector.type} onChange={(e) => onType(e.target.value)}>
              {forms.map((f) => (
                <option key={f.type} value={f.type}>
                  {f.title}
                </option>
              ))}
            </select>
          )}
        </FormField>
      )}
      <ConnectorFields form={connector} values={form[part].values} problems={problems} onChange={onValues} />
    </fieldset>
  );
}
