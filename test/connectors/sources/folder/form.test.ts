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

describe('folder source form', () => {
  it('starts a new connection with the default patterns and quiet period', () => {
    expect(folderSourceForm.fromConfig({})).toEqual({ path: '', include: '**/*', quietPeriodMs: '2000' });
  });

  it('reads a saved section into fields and writes the same section back', () => {
    const values = folderSourceForm.fromConfig(saved);
    expect(values).toEqual({ path: '/srv/inbox', include: '**/*.csv, orders/*.xml', quietPeriodMs: '500' });
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
});
