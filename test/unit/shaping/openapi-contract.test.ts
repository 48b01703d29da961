// OpenAPI contracts: the operation's request body from real 3.0 and 3.1 documents, nullable, oneOf, formats and the pin.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractSchema } from '../../../main/config/contract-config.js';
import {
  ContractPinError,
  compileOpenApiContract,
  loadContract,
  sha256Of,
} from '../../../main/shaping/openapi-contract.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'openapi');
const v30 = join(fixtures, 'invoices-3.0.yaml');
const v31 = join(fixtures, 'invoices-3.1.json');
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const invoice = {
  number: 'A-1',
  issued: '2026-03-31',
  due: '2026-04-30',
  status: 'open',
  customer: { name: 'Müller GmbH', email: null },
  total: { amount: 1234.56, currency: 'EUR' },
  note: null,
  payment: { method: 'bank-transfer', iban: 'DE89370400440532013000' },
  lines: [{ description: 'Beratung', quantity: 2 }],
};

describe('OpenAPI 3.0 contract', () => {
  const check = () =>
    loadContract(contractSchema.parse({ openapi: v30, operation: { method: 'POST', path: '/v1/invoices' } }));

  it('accepts a conforming invoice, with nullable fields null', async () => {
    expect((await check())(json(invoice))).toBeUndefined();
  });

  it('names the pointer, the expected type, format or value, and what was found', async () => {
    const c = await check();
    expect(c(json({ ...invoice, total: { amount: '1.234,56', currency: 'EUR' } }))).toBe(
      'contract: /total/amount: expected number, found string "1.234,56"',
    );
    expect(c(json({ ...invoice, issued: '31.03.2026' }))).toBe(
      'contract: /issued: expected format date, found string "31.03.2026"',
    );
    expect(c(json({ ...invoice, status: 'offen' }))).toBe(
      'contract: /status: expected one of "open", "paid", "cancelled", found string "offen"',
    );
    expect(c(json({ ...invoice, customer: { email: 'x@example.com' } }))).toBe(
      'contract: /customer/name: expected property "name", found nothing',
    );
    expect(c(json({ ...invoice, payment: { method: 'cheque' } }))).toBe(
      'contract: /payment: expected one of the oneOf alternatives, none matches, found object',
    );
    expect(c(json({ ...invoice, lines: [{ description: 'x', quantity: 1.5 }] }))).toBe(
      'contract: /lines/0/quantity: expected integer, found number 1.5',
    );
  });

  it('refuses an operation the document does not have, listing what it has', async () => {
    await expect(
      loadContract(
        contractSchema.parse({ openapi: v30, operation: { method: 'post', path: '/v1/invoice' } }),
      ),
    ).rejects.toThrow(/has no path \/v1\/invoice \(paths: \/v1\/invoices, \/v1\/invoices\/\{id\}\)/);
    await expect(
      loadContract(
        contractSchema.parse({ openapi: v30, operation: { method: 'PUT', path: '/v1/invoices' } }),
      ),
    ).rejects.toThrow('has no PUT /v1/invoices (the path has post)');
    await expect(
      loadContract(
        contractSchema.parse({ openapi: v30, operation: { method: 'get', path: '/v1/invoices/{id}' } }),
      ),
    ).rejects.toThrow(/GET \/v1\/invoices\/\{id\} has no JSON request body schema/);
  });
});

describe('OpenAPI 3.1 contract', () => {
  it('validates with JSON Schema 2020-12 types (null in the type list, numeric exclusiveMinimum)', async () => {
    const c = await loadContract(
      contractSchema.parse({ openapi: v31, operation: { method: 'post', path: '/v2/invoices' } }),
    );
    expect(c(json(invoice))).toBeUndefined();
    expect(c(json({ ...invoice, total: { amount: 0, currency: 'EUR' } }))).toBe(
      'contract: /total/amount: expected: must be > 0, found number 0',
    );
    const { due: _due, ...withoutDue } = invoice;
    expect(c(json(withoutDue))).toBe('contract: /due: expected property "due", found nothing');
  });
});

describe('contract config', () => {
  const issues = (raw: unknown) =>
    contractSchema.safeParse(raw).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

  it('says what is missing or contradictory', () => {
    expect(issues({})).toEqual([': a contract needs schemaFile (JSON Schema) or openapi (OpenAPI document)']);
    expect(issues({ openapi: 'api.yaml' })).toEqual([
      'operation: an OpenAPI contract names the operation whose request body the payloads are',
    ]);
    expect(
      issues({ openapi: 'https://api.example.com/openapi.json', operation: { method: 'post', path: '/x' } }),
    ).toEqual([
      'sha256: a contract fetched from a URL must be pinned: the published document could change under you',
    ]);
    expect(issues({ schemaFile: 'a.json', sha256: 'ab' })).toEqual([
      'sha256: must be 64 lowercase hex digits (the SHA-256 of the document)',
      'sha256: sha256 belongs to an OpenAPI contract, and this contract is a JSON Schema file',
    ]);
  });
});

describe('a contract fetched from a URL', () => {
  let server: Server;
  let body = readFileSync(v30);
  let url = '';
  beforeAll(async () => {
    server = createServer((_req, res) => res.end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.yaml`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is used when its hash matches the pin, and refused with the new hash to pin when it changed', async () => {
    const operation = { method: 'post' as const, path: '/v1/invoices' };
    const pinned = sha256Of(body);
    const c = await compileOpenApiContract({ openapi: url, operation, sha256: pinned });
    expect(c(json(invoice))).toBeUndefined();
    body = Buffer.concat([body, Buffer.from('\n# a comment the publisher added\n')]);
    const error = await compileOpenApiContract({ openapi: url, operation, sha256: pinned }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContractPinError);
    expect((error as Error).message).toBe(
      `contract ${url} has changed: its SHA-256 is ${sha256Of(body)}, the config pins ${pinned}. ` +
        `Fix: read what changed in the API, adjust the mapping if needed, then set contract.sha256 to ${sha256Of(body)}`,
    );
  });
});
