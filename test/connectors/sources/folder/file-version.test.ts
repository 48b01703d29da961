// Folder source file identity: deterministic idempotency keys per path + content, and content types by extension.
import { describe, expect, it } from 'vitest';
import {
  checkpointKey,
  contentHash,
  contentTypeFor,
  fileVersionKey,
  parseFileState,
} from '../../../../connectors/sources/folder/file-version.js';

describe('contentHash', () => {
  it('is the SHA-256 hex of the bytes', () => {
    expect(contentHash(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('fileVersionKey', () => {
  const hashA = contentHash(Buffer.from('id,amount\n1,10\n'));
  const hashB = contentHash(Buffer.from('id,amount\n1,11\n'));

  it('is the same for the same path and content, every time', () => {
    const key = fileVersionKey('in/invoices.csv', hashA);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(fileVersionKey('in/invoices.csv', contentHash(Buffer.from('id,amount\n1,10\n')))).toBe(key);
  });

  it('is pinned, so an upgrade never re-keys (and re-sends) files already captured', () => {
    expect(fileVersionKey('a.csv', contentHash(Buffer.from('abc')))).toBe(
      '2b2cc9bdff32f4b7267129d4383b986cd9d84c0569df3bf963c9108706ecf621',
    );
  });

  it('differs when the path differs', () => {
    expect(fileVersionKey('in/invoices.csv', hashA)).not.toBe(fileVersionKey('in/orders.csv', hashA));
  });

  it('differs when the content differs', () => {
    expect(fileVersionKey('in/invoices.csv', hashA)).not.toBe(fileVersionKey('in/invoices.csv', hashB));
  });

  it('keeps path and hash apart, so shifting characters between them changes the key', () => {
    expect(fileVersionKey('ab', 'c')).not.toBe(fileVersionKey('a', 'bc'));
  });
});

describe('checkpointKey and parseFileState', () => {
  it('prefixes the relative path', () => {
    expect(checkpointKey('in/invoices.csv')).toBe('file:in/invoices.csv');
  });

  it('round-trips a file state and passes undefined through', () => {
    const state = { hash: 'abc', size: 12, mtimeMs: 1_700_000_000_000 };
    expect(parseFileState(JSON.stringify(state))).toEqual(state);
    expect(parseFileState(undefined)).toBeUndefined();
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['in/invoices.csv', 'text/csv'],
    ['INVOICES.CSV', 'text/csv'],
    ['a/b/data.json', 'application/json'],
    ['events.ndjson', 'application/x-ndjson'],
    ['order.XML', 'application/xml'],
    ['note.txt', 'text/plain'],
    ['scan.pdf', 'application/pdf'],
    ['archive.tar.gz', 'application/octet-stream'],
    ['README', 'application/octet-stream'],
    ['.csv', 'application/octet-stream'],
  ])('%s → %s', (path, type) => {
    expect(contentTypeFor(path)).toBe(type);
  });
});
