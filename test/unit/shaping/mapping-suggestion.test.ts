// Suggested mappings: field-name similarity (case, separators, abbreviations, German words) and the mapping built from it.
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { contractProperties } from '../../../main/shaping/contract-properties.js';
import { nameSimilarity, nameWords } from '../../../main/shaping/field-name-similarity.js';
import { fieldPath, suggestMapping } from '../../../main/shaping/mapping-suggestion.js';

describe('nameSimilarity', () => {
  it('treats case, separators and abbreviations as the same name', () => {
    for (const [a, b] of [
      ['invoice_no', 'invoiceNumber'],
      ['Invoice No.', 'invoice-number'],
      ['INVOICE_NR', 'InvoiceNo'],
      ['cust_name', 'customerName'],
      ['Rechnungsnr', 'invoiceNumber'],
      ['Betrag', 'amount'],
      ['qty', 'Quantity'],
    ])
      expect(nameSimilarity(a!, b!), `${a} ~ ${b}`).toBe(1);
  });

  it('scores partly shared names between 0 and 1, unrelated names low', () => {
    const partly = nameSimilarity('customer_name', 'customer');
    expect(partly).toBeGreaterThan(0.5);
    expect(partly).toBeLessThan(1);
    expect(nameSimilarity('amount', 'customer')).toBeLessThan(0.5);
    expect(nameSimilarity('', 'customer')).toBe(0);
  });

  it('splits camelCase, acronyms and known German compounds into words', () => {
    expect(nameWords('HTTPStatusCode')).toEqual(['http', 'status', 'code']);
    expect(nameWords('Kundenname')).toEqual(['customer', 'name']);
    expect(nameWords('Bestell-Nr')).toEqual(['bestell', 'number']);
  });
});

const invoiceSchema = {
  type: 'object',
  required: ['invoiceNo', 'amount'],
  properties: {
    invoiceNo: { type: 'string' },
    customer: { type: 'string' },
    amount: { $ref: '#/$defs/Money' },
    paid: { type: 'boolean' },
    issued: { type: 'string', format: 'date' },
    recordedAt: { type: 'string', format: 'date-time' },
    currency: { type: 'string' },
  },
};

describe('contractProperties', () => {
  it('lists the root properties with type, format and required, following local $refs', () => {
    expect(
      contractProperties({
        $ref: '#/$defs/Invoice',
        $defs: { Invoice: invoiceSchema, Money: { type: ['number', 'null'] } },
      }),
    ).toEqual([
      { name: 'invoiceNo', type: 'string', required: true },
      { name: 'customer', type: 'string', required: false },
      { name: 'amount', type: 'number', required: true },
      { name: 'paid', type: 'boolean', required: false },
      { name: 'issued', type: 'string', format: 'date', required: false },
      { name: 'recordedAt', type: 'string', format: 'date-time', required: false },
      { name: 'currency', type: 'string', required: false },
    ]);
    expect(contractProperties('not a schema')).toEqual([]);
    expect(contractProperties({ type: 'array' })).toEqual([]);
  });
});

describe('suggestMapping', () => {
  const columns = ['Rechnungsnr', 'Kunde', 'Betrag', 'Bezahlt', 'Datum', 'Erfasst', 'Status'];
  const sample = {
    Rechnungsnr: 'A-1',
    Kunde: 'Müller GmbH',
    Betrag: '1.234,56',
    Bezahlt: 'J',
    Datum: '31.03.2026',
    Erfasst: '31.03.2026 14:05',
    Status: 'offen',
  };

  it('pairs German CSV columns with the contract properties and suggests conversions from the sample', async () => {
    const schema = { ...invoiceSchema, $defs: { Money: { type: 'number' } } };
    const suggestion = suggestMapping(columns, contractProperties(schema), sample, 'Europe/Berlin');
    expect(suggestion.fields).toEqual([
      { property: 'invoiceNo', column: 'Rechnungsnr', score: 1 },
      { property: 'customer', column: 'Kunde', score: 1 },
      { property: 'amount', column: 'Betrag', score: 1 },
      { property: 'paid', column: 'Bezahlt', score: 1 },
      { property: 'issued', column: 'Datum', score: 1 },
      { property: 'recordedAt', column: 'Erfasst', score: 0.7 },
      { property: 'currency', column: null, score: 0 },
    ]);
    expect(suggestion.unusedColumns).toEqual(['Status']);
    expect(suggestion.convert).toEqual({
      Betrag: { type: 'number', locale: 'de-DE', required: false },
      Bezahlt: { type: 'boolean', required: false },
      Datum: { type: 'date', format: 'dd.MM.yyyy', required: false },
      Erfasst: { type: 'datetime', format: 'dd.MM.yyyy HH:mm', zone: 'Europe/Berlin', required: false },
    });
    // The expression parses and maps the (unconverted) sample; the unmatched property is a comment to fill in.
    expect(suggestion.expression).toContain('/* "currency": no column is alike; fill it in */');
    expect(await jsonata(suggestion.expression).evaluate(sample)).toEqual({
      invoiceNo: 'A-1',
      customer: 'Müller GmbH',
      amount: '1.234,56',
      paid: 'J',
      issued: '31.03.2026',
      recordedAt: '31.03.2026 14:05',
    });
  });

  it('gives each column to one property only, the best pair first', () => {
    const suggestion = suggestMapping(
      ['customer', 'customer_name'],
      [
        { name: 'customerName', required: false },
        { name: 'customer', required: false },
      ],
    );
    expect(suggestion.fields.map((f) => [f.property, f.column])).toEqual([
      ['customerName', 'customer_name'],
      ['customer', 'customer'],
    ]);
  });

  it('without a contract keeps every column under a camelCase name; odd column names are quoted', async () => {
    const suggestion = suggestMapping(['Rechnungsnr', 'Total amount', 'and'], []);
    expect(suggestion.fields.map((f) => f.property)).toEqual(['invoiceNumber', 'totalAmount', 'and']);
    expect(fieldPath('Total amount')).toBe('`Total amount`');
    expect(fieldPath('and')).toBe('`and`');
    expect(
      await jsonata(suggestion.expression).evaluate({ Rechnungsnr: 'A-1', 'Total amount': 3, and: true }),
    ).toEqual({ invoiceNumber: 'A-1', totalAmount: 3, and: true });
  });

  it('reads en-US numbers and ISO dates when the sample has them', () => {
    const suggestion = suggestMapping(
      ['amount', 'issued'],
      [
        { name: 'amount', type: 'number', required: true },
        { name: 'issued', type: 'string', format: 'date', required: true },
      ],
      { amount: '1,234.56', issued: '2026-03-31' },
    );
    expect(suggestion.convert).toEqual({
      amount: { type: 'number', locale: 'en-US', required: false },
      issued: { type: 'date', format: 'yyyy-MM-dd', required: false },
    });
  });
});
