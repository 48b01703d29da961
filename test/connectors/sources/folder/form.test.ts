// The folder source's wizard form: defaults, round trip, schema issues on their fields, edit mode keeps hidden fields.
import { describe, expect, it } from 'vitest';
import { checkForm, type JsonObject } from '../../../../connectors/core/connector-form.js';
import { folderSourceForm } from '../../../../connectors/sources/folder/form.js';

const saved: JsonObject = {
  type: 'folder',
  path: '/srv/inbox',
  include: ['**/*.csv', 'orders/*.xml'],
  quietPeriodMs: 500,
};

/** The records-mode fields of a whole-file connection: capture 'file' and the defaults of the hidden fields. */
const wholeFile = {
  capture: 'file',
  delimiter: ',',
  header: 'yes',
  recordPath: '',
  encoding: 'utf-8',
  keyColumn: '',
};

describe('folder source form', () => {
  it('starts a new connection with the default patterns and quiet period', () => {
    expect(folderSourceForm.fromConfig({})).toEqual({
      path: '',
      include: '**/*',
      quietPeriodMs: '2000',
      ...wholeFile,
    });
  });

  it('reads a saved section into fields and writes the same section back', () => {
    const values = folderSourceForm.fromConfig(saved);
    expect(values).toEqual({
      path: '/srv/inbox',
      include: '**/*.csv, orders/*.xml',
      quietPeriodMs: '500',
      ...wholeFile,
    });
    expect(folderSourceForm.toConfig(values, {})).toEqual(saved);
    expect(checkForm(folderSourceForm, values, {})).toEqual({ fields: {}, other: [] });
  });

  it('asks for the folder when it is empty and leaves an empty quiet period to the schema default', () => {
    const values = { path: ' ', include: '**/*', quietPeriodMs: '' };
    expect(folderSourceForm.toConfig(values, {})).toEqual({ type: 'folder', path: '', include: ['**/*'] });
    expect(checkForm(folderSourceForm, values, {})).toEqual({ fields: { path: 'is required' }, other: [] });
  });

  it("puts the schema's message for a fractional quiet period on the quiet period field", () => {
    const values = { path: '/in', include: '**/*', quietPeriodMs: '1.5' };
    expect(checkForm(folderSourceForm, values, {}).fields).toEqual({
      quietPeriodMs: 'Invalid input: expected int, received number',
    });
  });

  it('keeps the fields of a saved section the form does not show, and reports their problems apart', () => {
    const base: JsonObject = {
      ...saved,
      finishedWhen: 'marker',
      exclude: ['tmp/**'],
      afterDelivery: 'archive',
    };
    const values = { ...folderSourceForm.fromConfig(base), quietPeriodMs: '900' };
    expect(folderSourceForm.toConfig(values, base)).toEqual({ ...base, quietPeriodMs: 900 });
    expect(checkForm(folderSourceForm, values, base)).toEqual({
      fields: {},
      other: ['archiveDir: is required when afterDelivery is archive'],
    });
  });

  it('offers records mode: CSV rows with delimiter, header, encoding and key column, round trip included', () => {
    const values = {
      ...folderSourceForm.fromConfig(saved),
      capture: 'csv',
      delimiter: ';',
      header: 'yes',
      encoding: 'windows-1252',
      keyColumn: 'invoice_no',
    };
    const section = folderSourceForm.toConfig(values, {});
    expect(section.records).toEqual({
      format: 'csv',
      encoding: 'windows-1252',
      keyColumn: 'invoice_no',
      delimiter: ';',
      header: true,
    });
    expect(checkForm(folderSourceForm, values, {})).toEqual({ fields: {}, other: [] });
    expect(folderSourceForm.fromConfig(section)).toMatchObject({
      capture: 'csv',
      delimiter: ';',
      keyColumn: 'invoice_no',
    });
    // A tab is typed as \t and stored as the tab character.
    expect(folderSourceForm.toConfig({ ...values, delimiter: '\\t' }, {}).records).toMatchObject({
      delimiter: '\t',
    });
    // Back to whole files: the records section goes.
    expect(folderSourceForm.toConfig({ ...values, capture: 'file' }, section)).not.toHaveProperty('records');
  });

  it('asks for the element path in XML records mode, on its own field', () => {
    const values = { ...folderSourceForm.fromConfig(saved), capture: 'xml', recordPath: '' };
    expect(checkForm(folderSourceForm, values, {}).fields).toHaveProperty('recordPath');
    const fixed = { ...values, recordPath: 'Export/Invoices/Invoice' };
    expect(checkForm(folderSourceForm, fixed, {})).toEqual({ fields: {}, other: [] });
  });
});
