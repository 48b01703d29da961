// The connection wizard's form of the HTTP destination: endpoint, method, batching and authentication.
import {
  objectAt,
  secretNameOf,
  secretRefOf,
  textOf,
  trimmed,
  withFields,
  type ConnectorForm,
  type ConnectorForms,
  type FormOption,
  type FormValues,
  type JsonObject,
  type JsonValue,
} from '../../core/connector-form.js';
import { httpDestinationSchema } from './config.js';

const methods: FormOption[] = ['POST', 'PUT', 'PATCH'].map((method) => ({ value: method, label: method }));
const batchFormats: FormOption[] = [
  { value: 'none', label: 'One record per request' },
  { value: 'json-array', label: 'JSON array batches' },
  { value: 'ndjson', label: 'NDJSON batches' },
];
const authTypes: FormOption[] = [
  { value: 'none', label: 'None' },
  { value: 'bearer', label: 'Bearer token' },
  { value: 'api-key', label: 'API key header' },
];

const secretHelp =
  'Name of the stored secret (set its value under Settings → Secrets); never the secret itself';
const authIs = (type: string) => (values: FormValues) => values.authType === type;
/** The saved value when the form offers it, else the first option. */
const offered = (options: FormOption[], value: JsonValue | undefined) =>
  options.find((option) => option.value === value)?.value ?? options[0]?.value ?? '';

function authSection(values: FormValues, base: JsonObject): JsonObject {
  const type = values.authType ?? 'none';
  const kept = base.type === type ? base : {};
  if (type === 'bearer') return withFields(kept, { type, token: secretRefOf(values, 'bearerSecret') });
  if (type === 'api-key') {
    return withFields(kept, {
      type,
      header: trimmed(values, 'apiKeyHeader'),
      value: secretRefOf(values, 'apiKeySecret'),
    });
  }
  return { type: 'none' };
}

export const httpDestinationForm: ConnectorForm = {
  kind: 'destination',
  type: 'http',
  title: 'HTTP API',
  order: 10,
  fields: [
    {
      name: 'url',
      label: 'Endpoint URL',
      kind: 'text',
      placeholder: 'https://',
      help: 'https:// (http:// only for this machine); every request carries an Idempotency-Key',
      path: ['url'],
    },
    { name: 'method', label: 'Method', kind: 'select', options: methods, path: ['method'] },
    {
      name: 'batchFormat',
      label: 'Batching',
      kind: 'select',
      options: batchFormats,
      help: 'Several JSON records per request, under one key derived from its members',
      path: ['batch', 'format'],
    },
    { name: 'authType', label: 'Authentication', kind: 'select', options: authTypes, path: ['auth', 'type'] },
    {
      name: 'bearerSecret',
      label: 'Secret name',
      kind: 'secret',
      required: true,
      help: secretHelp,
      showWhen: authIs('bearer'),
      path: ['auth', 'token'],
    },
    {
      name: 'apiKeySecret',
      label: 'Secret name',
      kind: 'secret',
      required: true,
      help: secretHelp,
      showWhen: authIs('api-key'),
      path: ['auth', 'value'],
    },
    {
      name: 'apiKeyHeader',
      label: 'Header name',
      kind: 'text',
      required: true,
      showWhen: authIs('api-key'),
      path: ['auth', 'header'],
    },
  ],
  fromConfig: (section) => {
    const auth = objectAt(section.auth);
    return {
      url: textOf(section.url),
      method: offered(methods, section.method),
      batchFormat: offered(batchFormats, objectAt(section.batch).format),
      authType: offered(authTypes, auth.type),
      bearerSecret: secretNameOf(auth.token),
      apiKeySecret: secretNameOf(auth.value),
      apiKeyHeader: textOf(auth.header, 'x-api-key'),
    };
  },
  toConfig: (values, base) =>
    withFields(base, {
      type: 'http',
      url: trimmed(values, 'url'),
      method: values.method ?? 'POST',
      batch: { ...objectAt(base.batch), format: values.batchFormat ?? 'none' },
      auth: authSection(values, objectAt(base.auth)),
    }),
  schema: httpDestinationSchema,
};

export const connectorForms: ConnectorForms = [httpDestinationForm];
