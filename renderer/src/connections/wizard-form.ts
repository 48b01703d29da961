// The connection wizard's state: id and name plus the values of one connector form each for source and destination.
import {
  checkForm,
  objectAt,
  type ConnectorForm,
  type FormProblems,
  type FormValues,
  type JsonObject,
} from '../../../connectors/core/connector-form.js';
import { connectionIdSchema } from '../../../preload/contract/limits.js';
import { destinationForms, sourceForms } from './connector-forms.js';

export type Part = 'source' | 'destination';

export interface PartValues {
  type: string;
  values: FormValues;
}

export interface WizardForm {
  id: string;
  name: string;
  source: PartValues;
  destination: PartValues;
}

export const formsOf: Record<Part, readonly ConnectorForm[]> = {
  source: sourceForms,
  destination: destinationForms,
};

/** A saved connection as the agent sent it: parsed JSON, so every value is JSON. */
export const savedConfig = (config: Record<string, unknown> | undefined): JsonObject =>
  (config ?? {}) as JsonObject;

/** The form of `type`, or the first one (the default) when no form has that type. */
export function formOf(part: Part, type: unknown): ConnectorForm {
  const form = formsOf[part].find((f) => f.type === type) ?? formsOf[part][0];
  if (!form) throw new Error(`no connectors/${part}s/*/form.ts was found`);
  return form;
}

/** The saved section of `part` when its type is `type` (edit mode), else `{}`. */
function savedSection(base: JsonObject, part: Part, type: string): JsonObject {
  const section = objectAt(base[part]);
  return section.type === type ? section : {};
}

const partFrom = (base: JsonObject, part: Part, type: unknown): PartValues => {
  const form = formOf(part, type);
  return { type: form.type, values: form.fromConfig(savedSection(base, part, form.type)) };
};

/** Fills the wizard from a saved connection config (edit mode), or with defaults from `{}`. */
export function formFromConfig(config: JsonObject): WizardForm {
  return {
    id: typeof config.id === 'string' ? config.id : '',
    name: typeof config.name === 'string' ? config.name : '',
    source: partFrom(config, 'source', objectAt(config.source).type),
    destination: partFrom(config, 'destination', objectAt(config.destination).type),
  };
}

export const emptyForm: WizardForm = formFromConfig({});

/** Switches `part` to another type; values of fields both forms have are carried over. */
export function withType(form: WizardForm, part: Part, type: string, base: JsonObject = {}): WizardForm {
  const next = partFrom(base, part, type);
  const current = form[part].values;
  for (const field of formOf(part, next.type).fields) {
    const value = current[field.name];
    if (value !== undefined) next.values[field.name] = value;
  }
  return { ...form, [part]: next };
}

const sectionOf = (form: WizardForm, part: Part, base: JsonObject): JsonObject => {
  const connector = formOf(part, form[part].type);
  return connector.toConfig(form[part].values, savedSection(base, part, connector.type));
};

/** Builds the connection config; fields the wizard does not show are kept from `base` when the types match. */
export function configFromForm(form: WizardForm, base: JsonObject = {}): JsonObject {
  return {
    ...base,
    id: form.id.trim(),
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    source: sectionOf(form, 'source', base),
    destination: sectionOf(form, 'destination', base),
  };
}

export const noProblems: FormProblems = { fields: {}, other: [] };

export const hasProblems = (problems: FormProblems) =>
  Object.keys(problems.fields).length > 0 || problems.other.length > 0;

/** Problems of the fields of `step` (0 source, 1 destination, 2 name), checked by the connector's own schema. */
export function validateStep(form: WizardForm, step: number, base: JsonObject = {}): FormProblems {
  if (step === 0 || step === 1) {
    const part: Part = step === 0 ? 'source' : 'destination';
    const connector = formOf(part, form[part].type);
    return checkForm(connector, form[part].values, savedSection(base, part, connector.type));
  }
  if (step === 2) {
    const result = connectionIdSchema.safeParse(form.id);
    if (!result.success)
      return { fields: { id: result.error.issues[0]?.message ?? 'is invalid' }, other: [] };
  }
  return noProblems;
}
