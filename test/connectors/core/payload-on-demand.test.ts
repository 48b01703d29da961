// withPayloadOnDemand: the payload is the object's JSON, built once on first read, and a spread copy keeps it.
import { describe, expect, it } from 'vitest';
import { withPayloadOnDemand } from '../../../connectors/core/payload-on-demand.js';

const fields = {
  idempotencyKey: 'file:abc:row:1',
  orderingKey: 'file:abc',
  businessKey: 'R-1',
  contentType: 'application/json',
  origin: { file: 'rechnungen.csv', row: 1 },
};

describe('withPayloadOnDemand', () => {
  it('carries the fields and the object, and serialises the object once, on first read', () => {
    const value = { Rechnungsnr: 'R-1', Betrag: '1.234,56' };
    const change = withPayloadOnDemand(fields, value);
    expect(change).toMatchObject(fields);
    expect(change.parsed).toBe(value);
    const first = change.payload;
    expect(JSON.parse(first.toString('utf8'))).toEqual(value);
    expect(change.payload).toBe(first);
  });

  it('keeps the payload in a spread copy (it is an own enumerable property)', () => {
    const change = withPayloadOnDemand(fields, { a: 1 });
    expect(Object.keys(change)).toContain('payload');
    const copy = { ...change, origin: { ...change.origin, mappingVersion: 2 } };
    expect(copy.payload.toString('utf8')).toBe('{"a":1}');
    expect(copy.idempotencyKey).toBe(fields.idempotencyKey);
  });
});
