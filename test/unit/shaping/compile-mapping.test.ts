// One mapping version run on single records: conversions, functions, the filter, and every way a record fails.
import { describe, expect, it } from 'vitest';
import { mappingSchema } from '../../../main/config/mapping-config.js';
import { compileMapping, type MapOutcome } from '../../../main/shaping/compile-mapping.js';
import { shapeChange } from '../../../main/shaping/connection-shaper.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const mapperOf = (config: Record<string, unknown>) =>
  compileMapping(mappingSchema.parse({ version: 4, ...config }));
const mapped = (outcome: MapOutcome) => {
  if (outcome.kind !== 'mapped') throw new Error(`not mapped: ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.payload.toString()) as unknown;
};

describe('compileMapping', () => {
  it('offers the conversions as functions inside the expression', async () => {
    const mapper = mapperOf({
      expression: `{
        "amount": $number(Betrag, 'de-DE'),
        "paid": $bool(Bezahlt),
        "active": $bool(Status, ['aktiv'], ['inaktiv']),
        "due": $date(Faellig, 'dd.MM.yyyy'),
        "at": $datetime(Zeit, 'dd.MM.yyyy HH:mm', 'Europe/Berlin'),
        "note": $text(Notiz),
        "missing": $number(Nichts, 'de-DE')
      }`,
    });
    const record = {
      Betrag: '1.234,56',
      Bezahlt: 'N',
      Status: 'aktiv',
      Faellig: '01.07.2026',
      Zeit: '01.07.2026 12:00',
      Notiz: '  ',
    };
    expect(mapped(await mapper.map({ payload: json(record), contentType: 'application/json' }))).toEqual({
      amount: 1234.56,
      paid: false,
      active: true,
      due: '2026-07-01',
      at: '2026-07-01T12:00:00.000+02:00',
      note: null,
    });
  });

  it('names the function, the position and the value when a function cannot convert', async () => {
    const mapper = mapperOf({ expression: `{ "amount": $number(Betrag, 'de-DE') }` });
    expect(await mapper.map({ payload: json({ Betrag: '1.2.3' }), contentType: 'application/json' })).toEqual(
      {
        kind: 'failed',
        reason: expect.stringMatching(
          /^mapping v4: expression at position \d+: '1\.2\.3' is not a number in de-DE$/,
        ),
      },
    );
  });

  it('applies the convert rules before the expression; a required empty field fails, an optional one is null', async () => {
    const mapper = mapperOf({
      expression: '$',
      convert: { amount: { type: 'number', locale: 'de-DE' }, no: { type: 'text', required: true } },
    });
    expect(
      mapped(await mapper.map({ payload: json({ amount: '', no: ' 7 ' }), contentType: 'application/json' })),
    ).toEqual({
      amount: null,
      no: '7',
    });
    expect(
      await mapper.map({ payload: json({ amount: '1', no: '' }), contentType: 'application/json' }),
    ).toEqual({
      kind: 'failed',
      reason: 'mapping v4: field no: is empty (required)',
    });
    expect(await mapper.map({ payload: json({ amount: '1' }), contentType: 'application/json' })).toEqual({
      kind: 'failed',
      reason: 'mapping v4: field no: is empty (required)',
    });
  });

  it('redacts the values of sensitive fields in every reason', async () => {
    const convert = mapperOf({ expression: '$', convert: { iban: { type: 'number' } }, sensitive: ['iban'] });
    const byRule = await convert.map({
      payload: json({ iban: 'DE89370400440532013000' }),
      contentType: 'application/json',
    });
    expect(byRule).toEqual({
      kind: 'failed',
      reason: "mapping v4: field iban: '[redacted]' is not a number in en-US",
    });
    const inline = mapperOf({ expression: '{ "x": $number(iban) }', sensitive: ['iban'] });
    const byFunction = await inline.map({
      payload: json({ iban: 'DE89370400440532013000' }),
      contentType: 'application/json',
    });
    expect(byFunction.kind).toBe('failed');
    expect(JSON.stringify(byFunction)).not.toContain('DE8937');
    expect(JSON.stringify(byFunction)).toContain('[redacted]');
  });

  it('skips records the filter refuses and fails ones for which it is not a boolean', async () => {
    const mapper = mapperOf({ expression: '$', filter: "status = 'open'" });
    expect(
      (await mapper.map({ payload: json({ status: 'open' }), contentType: 'application/json' })).kind,
    ).toBe('mapped');
    expect(await mapper.map({ payload: json({ status: 'void' }), contentType: 'application/json' })).toEqual({
      kind: 'skipped',
    });
    const odd = mapperOf({ expression: '$', filter: 'status' });
    expect(await odd.map({ payload: json({ status: 'open' }), contentType: 'application/json' })).toEqual({
      kind: 'failed',
      reason: 'mapping v4: the filter gave "open", not true or false',
    });
  });

  it('refuses payloads that are not JSON, and expressions that give nothing', async () => {
    const mapper = mapperOf({ expression: 'missing' });
    expect(await mapper.map({ payload: Buffer.from('a;b'), contentType: 'text/csv' })).toEqual({
      kind: 'failed',
      reason: expect.stringMatching(
        /^mapping v4: the payload is text\/csv, not JSON: only JSON records are mapped/,
      ),
    });
    expect(await mapper.map({ payload: Buffer.from('{oops'), contentType: 'application/json' })).toEqual({
      kind: 'failed',
      reason: expect.stringMatching(/^mapping v4: the payload is not valid JSON/),
    });
    expect(await mapper.map({ payload: json({ a: 1 }), contentType: 'application/json' })).toEqual({
      kind: 'failed',
      reason: 'mapping v4: the expression gave nothing for this record',
    });
    expect(
      await mapperOf({ expression: '$nope(a)' }).map({
        payload: json({ a: 1 }),
        contentType: 'application/vnd.x+json',
      }),
    ).toEqual({
      kind: 'failed',
      reason: expect.stringMatching(
        /^mapping v4: expression at position \d+: Attempted to invoke a non-function/,
      ),
    });
  });
});

describe('the fast path', () => {
  // A block around the object keeps the meaning and turns the shortcut off: both must give the same bytes.
  const expression = `{ "no": Nr, "amount": $number(Betrag, 'de-DE'), "paid": $bool(Bezahlt, ['aktiv']), "x": 1, "list": Liste, "gone": Fehlt, "note": $text(Notiz) }`;
  const records = [
    { Nr: 'A-1', Betrag: '1.234,56', Bezahlt: 'aktiv', Liste: 'a', Notiz: ' n ' },
    { Nr: 'A-2', Betrag: 5, Bezahlt: 'N', Liste: ['a', 'b'], Notiz: '' },
    { Nr: 'A-3', Betrag: '', Bezahlt: 'nein', Liste: { k: 1 } },
    { Nr: 'A-4', Betrag: '1.2.3', Bezahlt: 'aktiv' },
    { Nr: null, Betrag: null, Bezahlt: true },
  ];

  it('gives exactly what JSONata gives, failures included', async () => {
    const fast = mapperOf({ expression });
    const slow = mapperOf({ expression: `(${expression})` });
    for (const record of records) {
      const a = await fast.map({ payload: json(record), contentType: 'application/json' });
      const b = await slow.map({ payload: json(record), contentType: 'application/json' });
      if (a.kind === 'mapped' && b.kind === 'mapped') expect(a.payload.toString()).toBe(b.payload.toString());
      else expect(a.kind).toBe(b.kind);
    }
    expect(mapped(await fast.map({ payload: json(records[0]), contentType: 'application/json' }))).toEqual({
      no: 'A-1',
      amount: 1234.56,
      paid: true,
      x: 1,
      list: 'a',
      note: 'n',
    });
  });
});

describe('shapeChange', () => {
  const change = {
    idempotencyKey: 'k1',
    orderingKey: 'o1',
    businessKey: 'A-1',
    contentType: 'application/json',
    payload: json({ Betrag: '1.234,56' }),
    origin: { file: 'a.csv', row: 1 },
  };

  it('keeps the keys, stores the mapped JSON and the version', async () => {
    const mapper = mapperOf({ expression: `{ "amount": $number(Betrag, 'de-DE') }` });
    const shaped = await shapeChange(mapper, change);
    expect(shaped).toMatchObject({ idempotencyKey: 'k1', orderingKey: 'o1', businessKey: 'A-1' });
    expect(shaped?.payload.toString()).toBe('{"amount":1234.56}');
    expect(shaped?.origin).toEqual({ file: 'a.csv', row: 1, mappingVersion: 4 });
    expect(shaped?.rejected).toBeUndefined();
  });

  it('rejects a change that does not map with its source payload, and passes source rejections through', async () => {
    const mapper = mapperOf({ expression: `{ "amount": $number(Betrag) }` });
    const shaped = await shapeChange(mapper, change);
    expect(shaped?.payload).toBe(change.payload);
    expect(shaped?.rejected?.reason).toMatch(/'1\.234,56' is not a number in en-US/);
    const fromSource = { ...change, rejected: { reason: 'row has 3 fields' } };
    expect(await shapeChange(mapper, fromSource)).toBe(fromSource);
  });
});

describe('the source object handed along (CapturedChange.parsed)', () => {
  it('maps it as the payload would map, and leaves it unchanged', async () => {
    const mapper = mapperOf({
      convert: { Betrag: { type: 'number', locale: 'de-DE' } },
      expression: '{ "no": Nr, "amount": Betrag }',
    });
    const row = { Nr: 'A-1', Betrag: '1.234,56' };
    const fromObject = await mapper.map({ payload: json(row), contentType: 'application/json', parsed: row });
    expect(fromObject).toEqual(await mapper.map({ payload: json(row), contentType: 'application/json' }));
    expect(mapped(fromObject)).toEqual({ no: 'A-1', amount: 1234.56 });
    expect(row).toEqual({ Nr: 'A-1', Betrag: '1.234,56' });
    const shaped = await shapeChange(mapper, {
      idempotencyKey: 'k',
      orderingKey: 'o',
      contentType: 'application/json',
      payload: json(row),
      parsed: row,
    });
    expect(shaped).not.toHaveProperty('parsed');
  });
});
