// The mapping editor's preview: the engine's mapping and contract on samples, problems at the field, and the limits.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContract } from '../../../main/shaping/contract-check.js';
import { previewMapping, problemOf } from '../../../main/shaping/mapping-preview.js';

const schemaFile = join(mkdtempSync(join(tmpdir(), 'preview-')), 'invoice.schema.json');
writeFileSync(
  schemaFile,
  JSON.stringify({
    type: 'object',
    required: ['invoiceNo', 'amount'],
    properties: {
      invoiceNo: { type: 'string' },
      amount: { type: 'number' },
      issued: { type: 'string', format: 'date' },
    },
  }),
);
const contract = compileContract(schemaFile);
const row = { Rechnungsnr: 'A-1', Betrag: '1.234,56', Datum: '31.03.2026', Status: 'offen' };
const sample = (record: Record<string, unknown>, label = 'sample 1') => ({ label, record });

describe('previewMapping', () => {
  it('shows the mapped payload and a passing contract check', async () => {
    const report = await previewMapping(
      {
        expression: '{ "invoiceNo": Rechnungsnr, "amount": Betrag, "issued": Datum }',
        convert: {
          Betrag: { type: 'number', locale: 'de-DE' },
          Datum: { type: 'date', format: 'dd.MM.yyyy' },
        },
      },
      [sample(row)],
      { version: 3, contract },
    );
    expect(report).toEqual({
      version: 3,
      draftProblems: [],
      results: [
        {
          label: 'sample 1',
          source: row,
          outcome: 'mapped',
          payload: { invoiceNo: 'A-1', amount: 1234.56, issued: '2026-03-31' },
          contract: 'pass',
          problems: [],
        },
      ],
    });
  });

  it('points contract failures at the payload field and conversion failures at the source field', async () => {
    const report = await previewMapping(
      {
        expression: '{ "invoiceNo": Rechnungsnr, "amount": Betrag }',
        convert: { Betrag: { type: 'number', locale: 'de-DE' } },
        filter: "Status != 'storniert'",
      },
      [
        sample({ ...row, Betrag: '' }, 'empty amount'),
        sample({ ...row, Betrag: '1.2.3' }, 'bad amount'),
        sample({ ...row, Status: 'storniert' }, 'cancelled'),
      ],
      { version: 2, contract },
    );
    const [empty, bad, cancelled] = report.results;
    expect(empty).toMatchObject({
      outcome: 'mapped',
      payload: { invoiceNo: 'A-1', amount: null },
      contract: 'fail',
      reason: 'mapping v2: contract: /amount: expected number, found null',
      problems: [{ side: 'payload', at: '/amount', message: 'expected number, found null' }],
    });
    expect(bad).toMatchObject({
      outcome: 'failed',
      contract: 'none',
      problems: [{ side: 'source', at: '/Betrag', message: "'1.2.3' is not a number in de-DE" }],
    });
    expect(cancelled).toMatchObject({ outcome: 'skipped', problems: [] });
  });

  it('reports a draft that does not parse at its field, and runs no sample', async () => {
    const report = await previewMapping(
      { expression: '{ "a": Betrag + }', convert: { Betrag: { type: 'number', locale: 'xx-nope-1234' } } },
      [sample(row)],
      { version: 1 },
    );
    expect(report.results).toEqual([]);
    expect(report.draftProblems.map((p) => [p.side, p.at])).toEqual([
      ['draft', 'expression'],
      ['draft', 'convert.Betrag.locale'],
    ]);
    expect(report.draftProblems[0]?.message).toMatch(/^the expression does not parse at position/);
  });

  it('stops expressions that loop, recurse or build huge sequences, naming the limit', async () => {
    const limits = { timeoutMs: 200, stack: 100, sequence: 1000 };
    const reasonOf = async (expression: string) => {
      const report = await previewMapping({ expression }, [sample(row)], { version: 1, limits });
      return report.results[0]?.reason;
    };
    expect(await reasonOf('($f := function($x){ $f($x + 1) }; $f(1))')).toBe(
      'mapping v1: expression: stopped after 200 ms (a loop that does not end?)',
    );
    expect(await reasonOf('($f := function($x){ 1 + $f($x + 1) }; $f(1))')).toBe(
      'mapping v1: expression: stopped after 100 nested steps (a recursion that does not end?)',
    );
    expect(await reasonOf('[1..5000].($ * 2)')).toBe(
      'mapping v1: expression: stopped: it builds a sequence longer than 1000 items',
    );
    expect(await reasonOf('$pad("", 100000)')).toMatch(
      /the payload is 100002 bytes; the preview shows payloads up to/,
    );
  });

  it('reads where a reason points', () => {
    expect(problemOf('mapping v4: contract: /: expected object, found array')).toEqual({
      side: 'payload',
      at: '',
      message: 'expected object, found array',
    });
    expect(problemOf('mapping v4: field a/b: x')).toEqual({ side: 'source', at: '/a~1b', message: 'x' });
    expect(problemOf('mapping v4: filter at position 3: boom')).toEqual({
      side: 'draft',
      at: 'filter',
      message: 'filter at position 3: boom',
    });
  });
});
