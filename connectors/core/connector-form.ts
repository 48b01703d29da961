// The form-module contract: how the connection wizard shows, fills and checks one connector's config section (browser-safe).
import type { z } from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What the user typed, by field name; every value is the text of an input or the value of a select. */
export type FormValues = Record<string, string>;

export interface FormOption {
  value: string;
  label: string;
}

/** One input of a connector form. */
export interface FormField {
  /** Key of the field in FormValues. */
  name: string;
  label: string;
  /** secret: the name of a value in the secret store (never the secret); list: comma-separated values. */
  kind: 'text' | 'number' | 'select' | 'secret' | 'list';
  /** select only. */
  options?: readonly FormOption[];
  placeholder?: string;
  help?: string;
  /** Left empty, the field shows "is required" instead of what the schema says. */
  required?: boolean;
  /** The field is shown (and checked) only while this holds; always when absent. */
  showWhen?: (values: FormValues) => boolean;
  /** Where in the config section the field's value lives: schema issues at or below it are shown on the field. */
  path: readonly (string | number)[];
}

/** The form of one connector type, found by the wizard in connectors/<kind>s/<name>/form.ts. */
export interface ConnectorForm {
  kind: 'source' | 'destination';
  /** The section's `type`. */
  type: string;
  /** Shown in the type picker. */
  title: string;
  /** Place in the type picker, lowest first; the first source and destination are the defaults of a new connection. */
  order: number;
  fields: readonly FormField[];
  /** The form's values for a saved section; `{}` gives the values of a new connection. */
  fromConfig(section: JsonObject): FormValues;
  /** The section for `values`; fields of `base` (a saved section of the same type, or `{}`) the form does not show stay. */
  toConfig(values: FormValues, base: JsonObject): JsonObject;
  /** The connector's own config schema for the section. */
  schema: z.ZodType;
}

/** Problems of a filled-in form: the first message per field, and those no shown field owns. */
export interface FormProblems {
  fields: Record<string, string>;
  other: string[];
}

/** Every form.ts exports its forms under this name. */
export type ConnectorForms = readonly ConnectorForm[];

const requiredMessage = 'is required';

/** The fields shown for `values` (their showWhen holds). */
export function shownFields(form: ConnectorForm, values: FormValues): FormField[] {
  return form.fields.filter((field) => field.showWhen?.(values) ?? true);
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  prefix.length <= path.length && prefix.every((key, i) => key === path[i]);

/** Checks `values` with the connector's schema and puts each issue on the shown field with the longest matching path. */
export function checkForm(form: ConnectorForm, values: FormValues, base: JsonObject): FormProblems {
  const shown = shownFields(form, values);
  const problems: FormProblems = { fields: {}, other: [] };
  for (const field of shown) {
    if (field.required && (values[field.name] ?? '').trim() === '')
      problems.fields[field.name] = requiredMessage;
  }
  const result = form.schema.safeParse(form.toConfig(values, base));
  if (result.success) return problems;
  for (const issue of result.error.issues) {
    const owner = shown
      .filter((field) => startsWith(issue.path, field.path))
      .reduce<FormField | undefined>(
        (best, f) => (best && best.path.length >= f.path.length ? best : f),
        undefined,
      );
    if (owner) problems.fields[owner.name] ??= issue.message;
    else
      problems.other.push(
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      );
  }
  return problems;
}

/** The object at `value`, or `{}` when it is none. */
export function objectAt(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** A text or number value as the text of an input. */
export function textOf(value: JsonValue | undefined, fallback = ''): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

/** A list as the text of a `list` field. */
export function listText(value: JsonValue | undefined, fallback = ''): string {
  return Array.isArray(value) ? value.map((item) => textOf(item)).join(', ') : fallback;
}

/** The name a secret reference points at. */
export function secretNameOf(value: JsonValue | undefined): string {
  return textOf(objectAt(value).secretRef);
}

/** The trimmed text of a field. */
export function trimmed(values: FormValues, name: string): string {
  return (values[name] ?? '').trim();
}

/** The items of a `list` field. */
export function listOf(values: FormValues, name: string): string[] {
  return trimmed(values, name)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A `number` field: undefined when empty, the text itself when it is no number (so the schema names the problem). */
export function numberOf(values: FormValues, name: string): number | string | undefined {
  const text = trimmed(values, name);
  if (text === '') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : text;
}

/** A `secret` field as a secret reference, undefined when empty. */
export function secretRefOf(values: FormValues, name: string): JsonObject | undefined {
  const secret = trimmed(values, name);
  return secret ? { secretRef: secret } : undefined;
}

/** `base` with `fields` set, and removed where they are undefined (an optional field the user cleared). */
export function withFields(base: JsonObject, fields: Record<string, JsonValue | undefined>): JsonObject {
  const section: JsonObject = { ...base };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete section[key];
    else section[key] = value;
  }
  return section;
}
