// The mapping editor's pure parts: the draft text and its argument, field rows with problems, the wizard's Shape step.
import { describe, expect, it } from 'vitest';
import { capturedShape, shapeProblems, withShape } from '../../../renderer/src/connections/wizard-shape.js';
import { draftArg, draftFromConfig, versionOf } from '../../../renderer/src/mapping/mapping-draft.js';
import { fieldRows } from '../../../renderer/src/mapping/field-rows.js';

describe('mapping draft', () => {
  it('reads a saved mapping into editor text and back into the agent argument', () => {
    const saved = {
      version: 3,
      expression: '{ "a": x }',
      filter: 'x > 1',
      convert: { x: { type: 'number' } },
      history: [],
    };
    const draft = draftFromConfig(saved);
    expect(draft).toEqual({
      expression: '{ "a": x }',
      filter: 'x > 1',
      convert: '{\n  "x": {\n    "type": "number"\n  }\n}',
    });
    expect(draftArg(draft)).toEqual({
      mapping: { expression: '{ "a": x }', filter: 'x > 1', convert: { x: { type: 'number' } } },
    });
    expect(versionOf(saved)).toBe(3);
    expect(versionOf(undefined)).toBe(0);
    expect(draftFromConfig(undefined)).toEqual({ expression: '$', filter: '', convert: '' });
  });

  it('says what is wrong with the conversions text', () => {
    expect(draftArg({ expression: '$', filter: '', convert: '{ nope' })).toMatchObject({
      convertProblem: expect.stringMatching(/^is not JSON/),
    });
    expect(draftArg({ expression: '$', filter: '', convert: '[1]' })).toMatchObject({
      convertProblem: expect.stringMatching(/^must be a JSON object/),
    });
  });
});

describe('fieldRows', () => {
  it('flattens a payload to pointers and puts each problem on its row, or a missing row', () => {
    const rows = fieldRows({ a: 1, lines: [{ 'x/y': 'v' }], empty: {} }, [
      { side: 'payload', at: '/a', message: 'expected string, found number 1' },
      { side: 'payload', at: '/customer', message: 'expected property "customer", found nothing' },
    ]);
    expect(rows).toEqual([
      { pointer: '/a', value: '1', problem: 'expected string, found number 1' },
      { pointer: '/lines/0/x~1y', value: '"v"' },
      { pointer: '/empty', value: '{}' },
      { pointer: '/customer', value: '(missing)', problem: 'expected property "customer", found nothing' },
    ]);
    expect(fieldRows(undefined, [{ side: 'payload', at: '', message: 'expected object' }])).toEqual([
      { pointer: '/', value: '', problem: 'expected object' },
    ]);
  });
});

describe('wizard Shape step', () => {
  const config = { id: 'invoices', source: { type: 'folder', path: '/in' } };

  it('sends as captured by default: the config is unchanged', () => {
    expect(shapeProblems(capturedShape)).toEqual({});
    expect(withShape(config, capturedShape)).toBe(config);
  });

  it('adds mapping v1 and the contract when shaping, and checks the fields first', () => {
    const shape = {
      mode: 'mapping' as const,
      draft: { expression: '{ "n": Nr }', filter: '', convert: '{"Nr": {"type": "number"}}' },
      contractFile: '/etc/agent/invoice.schema.json',
    };
    expect(shapeProblems(shape)).toEqual({});
    expect(withShape(config, shape)).toEqual({
      ...config,
      mapping: { version: 1, expression: '{ "n": Nr }', convert: { Nr: { type: 'number' } } },
      contract: { schemaFile: '/etc/agent/invoice.schema.json' },
    });
    expect(
      shapeProblems({
        ...shape,
        draft: { ...shape.draft, expression: ' ', convert: '{' },
        contractFile: 'x.json',
      }),
    ).toEqual({
      expression: 'is required (use $ to send records as they are)',
      convert: expect.stringMatching(/^is not JSON/),
      contractFile: 'must be the absolute path of a JSON Schema file ending in .json',
    });
  });
});
