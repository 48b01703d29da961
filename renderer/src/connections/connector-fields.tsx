// Renders the shown fields of a connector form, each with its label, help and inline error.
import {
  shownFields,
  type ConnectorForm,
  type FormField as ConnectorField,
  type FormProblems,
  type FormValues,
} from '../../../connectors/core/connector-form.js';
import { FormField } from '../common/form-field.js';

interface FieldsProps {
  form: ConnectorForm;
  values: FormValues;
  problems: FormProblems;
  onChange: (values: FormValues) => void;
}

type InputProps = Parameters<Parameters<typeof FormField>[0]['children']>[0] & {
  field: ConnectorField;
  value: string;
  onChange: (value: string) => void;
};

function FieldInput({ field, value, onChange, ...props }: InputProps) {
  if (field.kind === 'select') {
    return (
      <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
        {field.options?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      {...props}
      type={field.kind === 'number' ? 'number' : 'text'}
      value={value}
      placeholder={field.placeholder}
      // A secret field holds the name of a stored secret, which the browser should neither guess nor remember.
      autoComplete={field.kind === 'secret' ? 'off' : undefined}
      spellCheck={field.kind === 'secret' || field.kind === 'list' ? false : undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function ConnectorFields({ form, values, problems, onChange }: FieldsProps) {
  return (
    <>
      {shownFields(form, values).map((field) => (
        <FormField key={field.name} label={field.label} help={field.help} error={problems.fields[field.name]}>
          {(props) => (
            <FieldInput
              {...props}
              field={field}
              value={values[field.name] ?? ''}
              onChange={(value) => onChange({ ...values, [field.name]: value })}
            />
          )}
        </FormField>
      ))}
      {problems.other.length > 0 && (
        <ul className="message error" role="alert" aria-label="Other problems">
          {problems.other.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </>
  );
}
