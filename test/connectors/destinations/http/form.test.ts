// The HTTP destination's wizard form: defaults, round trip, schema issues on their fields, edit mode keeps hidden fields.
import { describe, expect, it } from 'vitest';
import { checkForm, shownFields, type JsonObject } from '../../../../connectors/core/connector-form.js';
import { httpDestinationForm } from '../../../../connectors/destinations/http/form.js';

const saved: JsonObject = {
  type: 'http',
  url: 'https://erp.example/api/invoices',
  method: 'PUT',
  batch: { format: 'ndjson' },
  auth: { type: 'api-key', header: 'x-erp-key', value: { secretRef: 'erp-key' } },
};

const labels = (values: Record<string, string>) =>
  shownFields(httpDestinationForm, values).map((field) => field.label);

describe('HTTP destination form', () => {
  it('starts a new connection with POST, one record per request and no authentication', () => {
    const values = httpDestinationForm.fromConfig({});
    expect(values).toEqual({
      url: '',
      method: 'POST',
      batchFormat: 'none',
      authType: 'none',
      bearerSecret: '',
      apiKeySecret: '',
      apiKeyHeader: 'x-api-key',
    });
    expect(labels(values)).toEqual(['Endpoint URL', 'Method', 'Batching', 'Authentication']);
    expect(labels({ ...values, authType: 'api-key' })).toEqual([
      'Endpoint URL',
      'Method',
      'Batching',
      'Authentication',
      'Secret name',
      'Header name',
    ]);
  });

  it('reads a saved section into fields and writes the same section back', () => {
    const values = httpDestinationForm.fromConfig(saved);
    expect(values).toMatchObject({ authType: 'api-key', apiKeySecret: 'erp-key', apiKeyHeader: 'x-erp-key' });
    expect(httpDestinationForm.toConfig(values, {})).toEqual(saved);
    expect(checkForm(httpDestinationForm, values, {})).toEqual({ fields: {}, other: [] });
    const bearer = { type: 'bearer', token: { secretRef: 'erp-token' } };
    const withBearer = httpDestinationForm.fromConfig({ ...saved, auth: bearer });
    expect(httpDestinationForm.toConfig(withBearer, {}).auth).toEqual(bearer);
  });

  it("puts a URL that is not absolute on the URL field with the schema's message", () => {
    const values = { ...httpDestinationForm.fromConfig(saved), url: 'ingest.example' };
    expect(checkForm(httpDestinationForm, values, {})).toEqual({
      fields: { url: 'must be an absolute http:// or https:// URL' },
      other: [],
    });
  });

  it("puts the schema's batch-wide URL check on the URL field", () => {
    const values = { ...httpDestinationForm.fromConfig(saved), url: 'https://erp.example/{{businessKey}}' };
    expect(checkForm(httpDestinationForm, values, {}).fields).toEqual({
      url: 'placeholders {{businessKey}} have no single value in a batch of records',
    });
  });

  it('checks the secret and header of the chosen authentication only', () => {
    const values = { ...httpDestinationForm.fromConfig({}), url: 'https://erp.example/in' };
    expect(checkForm(httpDestinationForm, { ...values, authType: 'bearer' }, {}).fields).toEqual({
      bearerSecret: 'is required',
    });
    const badKey = { ...values, authType: 'api-key', apiKeySecret: 'erp key', apiKeyHeader: 'x key' };
    const { fields } = checkForm(httpDestinationForm, badKey, {});
    expect(Object.keys(fields).sort()).toEqual(['apiKeyHeader', 'apiKeySecret']);
    expect(fields.apiKeySecret).toMatch(/^is not a valid secret name/);
    expect(fields.apiKeyHeader).toBe('must be a valid HTTP header name');
  });

  it('keeps the fields of a saved section the form does not show in edit mode', () => {
    const base: JsonObject = {
      ...saved,
      headers: { 'x-tenant': 'north' },
      timeouts: { totalMs: 90_000 },
      batch: { format: 'ndjson', maxRecords: 50 },
    };
    const values = { ...httpDestinationForm.fromConfig(base), batchFormat: 'json-array', authType: 'none' };
    expect(httpDestinationForm.toConfig(values, base)).toEqual({
      ...base,
      batch: { format: 'json-array', maxRecords: 50 },
      auth: { type: 'none' },
    });
  });
});
