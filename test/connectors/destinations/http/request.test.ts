// The HTTP destination's request shape: URL templates, batch bodies (JSON array, NDJSON) and server ids in answers.
import { describe, expect, it } from 'vitest';
import type { OutgoingRecord } from '../../../../connectors/core/destination.js';
import { encodeBody } from '../../../../connectors/destinations/http/request-body.js';
import {
  serverIdsFrom,
  summarizeResponse,
} from '../../../../connectors/destinations/http/response-summary.js';
import {
  renderUrl,
  templateProblems,
  UrlTemplateError,
} from '../../../../connectors/destinations/http/url-template.js';

function record(id: number, payload: string, overrides: Partial<OutgoingRecord> = {}): OutgoingRecord {
  return {
    id,
    idempotencyKey: `key-${id}`,
    businessKey: `INV-${id}`,
    contentType: 'application/json',
    payload: Buffer.from(payload),
    attempts: 1,
    ...overrides,
  };
}

describe('URL templates', () => {
  it('fills keys and JSON payload fields, percent-encoding every value', () => {
    const r = record(7, JSON.stringify({ customer: { id: 'A/B?x=1' }, n: 42 }), { businessKey: 'INV 7' });
    expect(
      renderUrl('https://api.example.com/c/{{record.customer.id}}/inv/{{businessKey}}?n={{record.n}}', r),
    ).toBe('https://api.example.com/c/A%2FB%3Fx%3D1/inv/INV%207?n=42');
    expect(renderUrl('https://api.example.com/{{ idempotencyKey }}', r)).toBe(
      'https://api.example.com/key-7',
    );
  });

  it('refuses a record without the field, or with a non-JSON payload, in plain words', () => {
    const r = record(1, '{"other":1}');
    expect(() => renderUrl('https://x.example/{{record.customerId}}', r)).toThrow(
      /needs \{\{record\.customerId\}\}, but this record has no value/,
    );
    const csv = record(2, 'a,b', { contentType: 'text/csv' });
    expect(() => renderUrl('https://x.example/{{record.id}}', csv)).toThrow(
      /payload is not JSON \(text\/csv\)/,
    );
    expect(() =>
      renderUrl('https://x.example/{{businessKey}}', record(3, '{}', { businessKey: null })),
    ).toThrow(UrlTemplateError);
  });

  it('refuses a value that makes a path segment "." or "..", which would move the request to another path', () => {
    const template = 'https://api.example.com/v1/customers/{{record.id}}/invoices';
    for (const id of ['..', '.']) {
      expect(() => renderUrl(template, record(1, JSON.stringify({ id })))).toThrow(
        /becomes ".*" for this record, which would send it to another path/,
      );
    }
    expect(() =>
      renderUrl('https://x.example/{{record.a}}{{record.b}}', record(2, '{"a":".","b":"."}')),
    ).toThrow(UrlTemplateError);
    expect(() => renderUrl('https://x.example/%2E{{record.a}}', record(2, '{"a":"."}'))).toThrow(
      UrlTemplateError,
    );
    expect(renderUrl(template, record(3, '{"id":"%2e%2e"}'))).toBe(
      'https://api.example.com/v1/customers/%252e%252e/invoices',
    );
    expect(renderUrl(template, record(3, '{"id":"..x"}'))).toBe(
      'https://api.example.com/v1/customers/..x/invoices',
    );
    expect(renderUrl('https://x.example/a/../b?q={{record.id}}', record(4, '{"id":".."}'))).toBe(
      'https://x.example/a/../b?q=..',
    );
  });

  it('config validation rejects unknown placeholders and placeholders in the host', () => {
    expect(templateProblems('https://api.example.com/{{record.id}}')).toEqual([]);
    expect(templateProblems('https://api.example.com/{{customer}}')[0]).toMatch(
      /unknown placeholder \{\{customer\}\}/,
    );
    expect(templateProblems('https://{{record.tenant}}.example.com/x')).toContain(
      'placeholders are only allowed in the path and query, not in the host',
    );
  });
});

describe('request bodies', () => {
  const a = record(1, '{"n":1}');
  const b = record(2, '{\n  "n": 2\n}');
  const csv = record(3, 'id;name\n1;x', { contentType: 'text/csv' });

  it('format none sends the payload as it is with its own content type', () => {
    const body = encodeBody([csv], 'none');
    expect(body.body.toString()).toBe('id;name\n1;x');
    expect(body.contentType).toBe('text/csv');
  });

  it('json-array joins the payloads in capture order into one JSON array', () => {
    const body = encodeBody([a, b], 'json-array');
    expect(body.contentType).toBe('application/json');
    expect(JSON.parse(body.body.toString())).toEqual([{ n: 1 }, { n: 2 }]);
    expect(body.sent.map((r) => r.id)).toEqual([1, 2]);
  });

  it('ndjson writes one line per record, re-serialising payloads that span lines', () => {
    const body = encodeBody([a, b], 'ndjson');
    expect(body.contentType).toBe('application/x-ndjson');
    expect(body.body.toString()).toBe('{"n":1}\n{"n":2}\n');
  });

  it('sets aside records that are not JSON, saying why and how to fix it, and sends the rest', () => {
    const body = encodeBody([a, csv, b], 'json-array');
    expect(body.sent.map((r) => r.id)).toEqual([1, 2]);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]?.id).toBe(3);
    expect(body.rejected[0]?.error).toMatch(/not valid JSON \(text\/csv[^]*batch\.format to none/);
  });
});

describe('response summaries', () => {
  it('keeps a subset of headers and a bounded body excerpt', () => {
    const summary = summarizeResponse(
      503,
      { 'retry-after': '5', 'set-cookie': ['secret=1'], 'x-request-id': 'r1' },
      Buffer.alloc(2000, 'x'),
    );
    expect(summary.headers).toEqual({ 'retry-after': '5', 'x-request-id': 'r1' });
    expect(summary.bodyExcerpt).toHaveLength(512);
  });

  it('maps server ids member by member when a batch answer lists one per record', () => {
    const sent = [record(1, '{}'), record(2, '{}')];
    expect(serverIdsFrom(Buffer.from('[{"id":"s1"},{"id":9}]'), {}, sent)).toEqual({ 1: 's1', 2: '9' });
    expect(serverIdsFrom(Buffer.from('{"items":[{"id":"s1"},{"id":"s2"}]}'), {}, sent)).toEqual({
      1: 's1',
      2: 's2',
    });
  });

  it('uses one id (body id, else Location) for every record otherwise', () => {
    const sent = [record(1, '{}')];
    expect(serverIdsFrom(Buffer.from('{"data":{"id":"inv-1"}}'), {}, sent)).toEqual({ 1: 'inv-1' });
    expect(serverIdsFrom(Buffer.from('created'), { location: '/invoices/77' }, sent)).toEqual({
      1: '/invoices/77',
    });
    expect(serverIdsFrom(Buffer.from(''), {}, sent)).toBeUndefined();
  });
});
