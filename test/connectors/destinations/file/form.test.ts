// The file destination's wizard form: defaults, round trip, schema issues on their fields.
import { describe, expect, it } from 'vitest';
import { checkForm, type JsonObject } from '../../../../connectors/core/connector-form.js';
import { fileDestinationForm } from '../../../../connectors/destinations/file/form.js';

describe('file destination form', () => {
  it('round-trips a saved section and keeps fields the form does not show', () => {
    const saved: JsonObject = {
      type: 'file',
      folder: '/srv/drop',
      fileName: '{{businessKey}}.json',
      batch: { format: 'none', maxRecords: 50 },
      createFolder: true,
      mode: '600',
    };
    const values = fileDestinationForm.fromConfig(saved);
    expect(values).toEqual({
      folder: '/srv/drop',
      fileName: '{{businessKey}}.json',
      batchFormat: 'none',
      createFolder: 'yes',
    });
    expect(fileDestinationForm.toConfig(values, saved)).toEqual(saved);
    expect(checkForm(fileDestinationForm, values, saved)).toEqual({ fields: {}, other: [] });
  });

  it('an empty file name means the default; a relative folder is refused on the folder field', () => {
    const values = { ...fileDestinationForm.fromConfig({}), folder: 'drop' };
    expect(fileDestinationForm.toConfig(values, {})).not.toHaveProperty('fileName');
    const problems = checkForm(fileDestinationForm, values, {});
    expect(Object.keys(problems.fields)).toEqual(['folder']);
    expect(checkForm(fileDestinationForm, { ...values, folder: '' }, {}).fields.folder).toBe('is required');
  });
});
