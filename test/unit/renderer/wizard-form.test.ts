// The wizard's state over the discovered connector forms: defaults, edit mode, switching types, validation per step.
import { describe, expect, it } from 'vitest';
import { destinationConnectors } from '../../../connectors/registry.js';
import type { JsonObject } from '../../../connectors/core/connector-form.js';
import { destinationForms, sourceForms } from '../../../renderer/src/connections/connector-forms.js';
import {
  configFromForm,
  emptyForm,
  formFromConfig,
  validateStep,
  withType,
} from '../../../renderer/src/connections/wizard-form.js';

const saved: JsonObject = {
  id: 'orders',
  name: 'Orders → ERP',
  enabled: false,
  source: {
    type: 'sqlite',
    file: '/data/shop.db',
    table: 'orders',
    primaryKey: ['id'],
    pollIntervalMs: 1000,
  },
  destination: {
    type: 'http',
    url: 'https://erp.example/orders',
    method: 'POST',
    batch: { format: 'none', maxRecords: 20 },
    auth: { type: 'none' },
    concurrency: 2,
  },
};

describe('connection wizard form', () => {
  it('finds every connectors/*/*/form.ts, in picker order, with the folder source as the default', () => {
    expect(sourceForms.map((form) => form.type)).toEqual(['folder', 'sqlite', 'postgres', 'mysql', 'odbc']);
    // Every registered destination has a form, HTTP (the default) first.
    expect(destinationForms.map((form) => form.type)[0]).toBe('http');
    expect(destinationForms.map((form) => form.type).sort()).toEqual(
      destinationConnectors.map((c) => c.type).sort(),
    );
    expect(emptyForm.source).toEqual({
      type: 'folder',
      values: {
        path: '',
        include: '**/*',
        quietPeriodMs: '2000',
        capture: 'file',
        delimiter: ',',
        header: 'yes',
        recordPath: '',
        encoding: 'utf-8',
        keyColumn: '',
      },
    });
    expect(emptyForm.destination.type).toBe('http');
  });

  it('gives back a saved connection unchanged in edit mode, fields the wizard does not show included', () => {
    const form = formFromConfig(saved);
    expect(form.source.values).toMatchObject({ file: '/data/shop.db', table: 'orders', primaryKey: 'id' });
    expect(configFromForm(form, saved)).toEqual(saved);
    expect(validateStep(form, 0, saved)).toEqual({ fields: {}, other: [] });
    expect(validateStep(form, 1, saved)).toEqual({ fields: {}, other: [] });
  });

  it('drops the saved section once its type changes, carrying over the fields both forms have', () => {
    const form = withType(formFromConfig(saved), 'source', 'postgres', saved);
    expect(form.source.type).toBe('postgres');
    expect(form.source.values).toMatchObject({ host: '', table: 'orders', primaryKey: 'id' });
    const config = configFromForm(
      {
        ...form,
        source: {
          ...form.source,
          values: { ...form.source.values, host: 'db', database: 'shop', user: 'reader' },
        },
      },
      saved,
    );
    expect(config.source).toEqual({
      type: 'postgres',
      host: 'db',
      database: 'shop',
      user: 'reader',
      table: 'orders',
      primaryKey: ['id'],
    });
    expect(validateStep(form, 0, saved).fields).toEqual({
      host: 'is required',
      database: 'is required',
      user: 'is required',
    });
  });

  it('checks only the fields of the current step', () => {
    expect(validateStep(emptyForm, 0)).toEqual({ fields: { path: 'is required' }, other: [] });
    expect(validateStep(emptyForm, 1).fields).toEqual({ url: 'must be an absolute http:// or https:// URL' });
    expect(validateStep({ ...emptyForm, id: 'Invoices!' }, 2).fields.id).toMatch(/^must be a connection id/);
    expect(validateStep({ ...emptyForm, id: 'invoices' }, 2)).toEqual({ fields: {}, other: [] });
  });
});
