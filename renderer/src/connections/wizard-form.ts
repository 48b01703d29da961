// The connection wizard's form: its fields, conversion from and to a connection config, and inline validation (zod).
import { z } from 'zod';
import type { JsonObject } from '../../../preload/contract/json-value.js';
import { connectionIdSchema, secretNameSchema } from '../../../preload/contract/limits.js';

export type SourceType = 'folder' | 'sqlite' | 'postgres' | 'mysql';
export type AuthType = 'none' | 'bearer' | 'api-key';

export interface WizardForm {
  id: string;
  name: string;
  sourceType: SourceType;
  folderPath: string;
  include: string;
  quietPeriodMs: string;
  dbFile: string;
  host: string;
  port: string;
  database: string;
  user: string;
  passwordSecret: string;
  table: string;
  primaryKey: string;
  watermarkColumn: string;
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  authType: AuthType;
  authSecret: string;
  apiKeyHeader: string;
  batchFormat: 'none' | 'json-array' | 'ndjson';
}

export type FormErrors = Partial<Record<keyof WizardForm, string>>;

export const emptyForm: WizardForm = {
  id: '',
  name: '',
  sourceType: 'folder',
  folderPath: '',
  include: '**/*',
  quietPeriodMs: '2000',
  dbFile: '',
  host: '',
  port: '',
  database: '',
  user: '',
  passwordSecret: '',
  table: '',
  primaryKey: 'id',
  watermarkColumn: '',
  url: '',
  method: 'POST',
  authType: 'none',
  authSecret: '',
  apiKeyHeader: 'x-api-key',
  batchFormat: 'none',
};

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const str = (value: unknown, fallback = ''): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Fills the form from a saved connection config (edit mode). */
export function formFromConfig(config: Json): WizardForm {
  const source = obj(config.source);
  const destination = obj(config.destination);
  const auth = obj(destination.auth);
  const secretOf = (ref: unknown) => str(obj(ref).secretRef);
  const authType = (['none', 'bearer', 'api-key'] as const).find((t) => t === auth.type) ?? 'none';
  return {
    ...emptyForm,
    id: str(config.id),
    name: str(config.name),
    sourceType:
      (['folder', 'sqlite', 'postgres', 'mysql'] as const).find((t) => t === source.type) ?? 'folder',
    folderPath: str(source.path),
    include: Array.isArray(source.include) ? source.include.map((p) => str(p)).join(', ') : emptyForm.include,
    quietPeriodMs: str(source.quietPeriodMs, emptyForm.quietPeriodMs),
    dbFile: str(source.file),
    host: str(source.host),
    port: str(source.port),
    database: str(source.database),
    user: str(source.user),
    passwordSecret: secretOf(source.password),
    table: str(source.table),
    primaryKey: Array.isArray(source.primaryKey) ? source.primaryKey.map((p) => str(p)).join(', ') : 'id',
    watermarkColumn: str(obj(source.watermark).column),
    url: str(destination.url),
    method: destination.method === 'PUT' || destination.method === 'PATCH' ? destination.method : 'POST',
    authType,
    authSecret:
      authType === 'bearer' ? secretOf(auth.token) : authType === 'api-key' ? secretOf(auth.value) : '',
    apiKeyHeader: str(auth.header, emptyForm.apiKeyHeader),
    batchFormat:
      (['none', 'json-array', 'ndjson'] as const).find((f) => f === obj(destination.batch).format) ?? 'none',
  };
}

function sourceOf(form: WizardForm): Json {
  if (form.sourceType === 'folder') {
    return {
      type: 'folder',
      path: form.folderPath.trim(),
      include: list(form.include),
      quietPeriodMs: Number(form.quietPeriodMs),
    };
  }
  const capture: Json = {
    table: form.table.trim(),
    primaryKey: list(form.primaryKey),
    ...(form.watermarkColumn.trim() ? { watermark: { column: form.watermarkColumn.trim() } } : {}),
  };
  if (form.sourceType === 'sqlite') return { type: 'sqlite', file: form.dbFile.trim(), ...capture };
  return {
    type: form.sourceType,
    host: form.host.trim(),
    ...(form.port.trim() ? { port: Number(form.port) } : {}),
    database: form.database.trim(),
    user: form.user.trim(),
    ...(form.passwordSecret.trim() ? { password: { secretRef: form.passwordSecret.trim() } } : {}),
    ...capture,
  };
}

function authOf(form: WizardForm): Json {
  const secret = { secretRef: form.authSecret.trim() };
  if (form.authType === 'bearer') return { type: 'bearer', token: secret };
  if (form.authType === 'api-key')
    return { type: 'api-key', header: form.apiKeyHeader.trim(), value: secret };
  return { type: 'none' };
}

/** Builds the connection config; fields the wizard does not show are kept from `base` when the types match. */
export function configFromForm(form: WizardForm, base: Json = {}): JsonObject {
  const baseSource = obj(base.source);
  const baseDestination = obj(base.destination);
  const source = sourceOf(form);
  const keptSource = baseSource.type === source.type ? baseSource : {};
  const config = {
    ...base,
    id: form.id.trim(),
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    source: { ...keptSource, ...source },
    destination: {
      ...baseDestination,
      type: 'http',
      url: form.url.trim(),
      method: form.method,
      auth: authOf(form),
      batch: { ...obj(baseDestination.batch), format: form.batchFormat },
    },
  };
  // Built from form strings and a config that came from the agent as JSON: every value is JSON.
  return config as JsonObject;
}

const required = z.string().trim().min(1, { error: 'is required' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' });
const columnList = z
  .string()
  .refine((t) => list(t).length > 0, { error: 'list at least one column (comma-separated)' });
const wholeNumber = z.string().regex(/^\d+$/, { error: 'must be a whole number of milliseconds' });
const port = z.string().regex(/^$|^\d{1,5}$/, { error: 'must be a port number (1–65535) or empty' });

const firstError = (schema: z.ZodType, value: unknown): string | undefined => {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
};

/** Inline errors of the fields that belong to `step` (0 source, 1 destination, 2 name). */
export function validateStep(form: WizardForm, step: number): FormErrors {
  const errors: FormErrors = {};
  const check = (field: keyof WizardForm, schema: z.ZodType) => {
    const message = firstError(schema, form[field]);
    if (message) errors[field] = message;
  };
  if (step === 0) {
    if (form.sourceType === 'folder') {
      check('folderPath', required);
      check('include', required);
      check('quietPeriodMs', wholeNumber);
    } else {
      if (form.sourceType === 'sqlite') check('dbFile', required);
      else {
        check('host', required);
        check('database', required);
        check('user', required);
        check('port', port);
        if (form.passwordSecret.trim()) check('passwordSecret', secretNameSchema);
      }
      check('table', required);
      check('primaryKey', columnList);
    }
  }
  if (step === 1) {
    check('url', httpUrl);
    if (form.authType !== 'none') check('authSecret', secretNameSchema);
    if (form.authType === 'api-key') check('apiKeyHeader', required);
  }
  if (step === 2) check('id', connectionIdSchema);
  return errors;
}
