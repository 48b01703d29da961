// "Test connection" for a file destination: exists, is a folder, may write (probe file removed), free space, each with a fix.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileConnector } from '../../../../connectors/destinations/file/connector.js';
import { fileDestinationSchema } from '../../../../connectors/destinations/file/config.js';
import { findDestinationConnector } from '../../../../connectors/registry.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { useSmallDisk } from '../../../support/small-disk.js';

const tempDir = useTempDir({ prefix: 'file-check-' });
const smallDisk = useSmallDisk({ size: '64k' });
const readOnlyDisk = useSmallDisk({ size: '64k', readOnly: true });

const options = { secrets: () => '', timeoutMs: 1000, connection: 'drop' };
const check = (folder: string, extra: Record<string, unknown> = {}) =>
  fileConnector.check(fileDestinationSchema.parse({ type: 'file', folder, ...extra }), options);
const statuses = (report: Awaited<ReturnType<typeof check>>) =>
  Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

describe('file destination checks', () => {
  it('is registered as a destination with batching and no network or certificates', () => {
    const found = findDestinationConnector('file');
    expect(found).toBe(fileConnector);
    expect(found).toMatchObject({ title: 'Folder (files)', capabilities: { batching: true } });
    expect(found?.network).toBeUndefined();
    expect(found !== undefined && 'certificates' in found).toBe(false);
    expect(fileConnector.label(fileDestinationSchema.parse({ type: 'file', folder: '/srv/x' }))).toBe(
      'files into /srv/x',
    );
  });

  it('passes a writable folder and leaves no probe file behind', async () => {
    const folder = tempDir();
    const report = await check(folder);
    expect(report).toMatchObject({ destination: folder, connection: 'drop' });
    expect(statuses(report)).toMatchObject({ folder: 'pass', directory: 'pass', write: 'pass' });
    expect(report.checks.find((c) => c.id === 'free-space')?.data).toHaveProperty('freeBytes');
    expect(readdirSync(folder)).toEqual([]);
  });

  it('warns about little free space with a fix', async () => {
    const report = await check(smallDisk());
    const space = report.checks.find((c) => c.id === 'free-space');
    expect(space).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('free space or move the folder'),
    });
    expect(report.overall).toBe('warn');
  });

  it('fails a missing folder with a fix, unless the agent may create it', async () => {
    const folder = join(tempDir(), 'missing');
    const missing = await check(folder);
    expect(missing.overall).toBe('fail');
    expect(missing.checks[0]).toMatchObject({
      id: 'folder',
      status: 'fail',
      fix: 'create the folder or mount the share, or set createFolder: true',
    });
    expect(statuses(missing)).toMatchObject({ directory: 'skip', write: 'skip', 'free-space': 'skip' });

    const creatable = await check(folder, { createFolder: true });
    expect(creatable.overall).toBe('pass');
    expect(creatable.checks[0]?.detail).toContain('the agent creates it with the first file');
  });

  it('fails a folder path that is a file', async () => {
    const folder = join(tempDir(), 'file');
    writeFileSync(folder, 'x');
    const report = await check(folder);
    expect(report.checks.find((c) => c.id === 'directory')).toMatchObject({
      status: 'fail',
      detail: `${folder} is a file, not a folder`,
      fix: 'point folder at a directory, or move the file away',
    });
  });

  it('fails the write probe on a read-only disk with a fix', async () => {
    const folder = readOnlyDisk();
    const report = await check(folder);
    expect(report.checks.find((c) => c.id === 'write')).toMatchObject({
      status: 'fail',
      detail: `${folder} is on a read-only filesystem`,
      fix: 'remount it read-write or choose another folder, then replay',
    });
  });
});
