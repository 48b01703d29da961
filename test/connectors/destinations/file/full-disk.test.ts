// A full disk delays delivery (retry, nothing half-written is left); a read-only disk is dead with a fix.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileDestination } from '../../../../connectors/destinations/file/destination.js';
import { useSmallDisk } from '../../../support/small-disk.js';

const fullDisk = useSmallDisk({ size: '64k' });

function destinationIn(folder: string): FileDestination {
  return new FileDestination({
    folder,
    fileName: '{{idempotencyKey}}.json',
    batch: { format: 'none', maxRecords: 1, maxBytes: 1024, lingerMs: 0 },
    createFolder: false,
    mode: 0o640,
  });
}

function request(key: string, bytes: number) {
  const payload = Buffer.from(JSON.stringify({ fill: 'x'.repeat(bytes) }));
  const record = {
    id: 1,
    idempotencyKey: key,
    businessKey: null,
    contentType: 'application/json',
    payload,
    attempts: 1,
  };
  return { idempotencyKey: key, records: [record] };
}

describe('file destination on a full disk', () => {
  it('retries a record bigger than the free space, says what to do, and leaves no partial file', async () => {
    const folder = fullDisk();
    const result = await destinationIn(folder).send(request('big', 200 * 1024));
    expect(result).toMatchObject({ kind: 'retry', code: 'ENOSPC', signal: 'failure' });
    expect(result.kind === 'retry' && result.error).toBe(
      `the disk holding ${folder} is full; free space or move the folder`,
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it('still writes a record that fits', async () => {
    const folder = fullDisk();
    const result = await destinationIn(folder).send(request('small', 100));
    expect(result).toMatchObject({ kind: 'delivered', code: 'written' });
    expect(readdirSync(folder)).toEqual(['small.json']);
  });
});

describe('file destination on a read-only disk', () => {
  const readOnly = useSmallDisk({ size: '64k', readOnly: true });

  it('dead-letters with EROFS and a fix (root cannot write there either)', async () => {
    const folder = readOnly();
    const result = await destinationIn(folder).send(request('k', 10));
    expect(result).toMatchObject({ kind: 'dead', code: 'EROFS' });
    expect(result.kind === 'dead' && result.error).toBe(
      `${folder} is on a read-only filesystem; remount it read-write or choose another folder, then replay`,
    );
  });
});
