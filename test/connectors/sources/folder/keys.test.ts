// Keys of re-created file versions and of delete records: deterministic, pinned, and apart from each other.
import { describe, expect, it } from 'vitest';
import {
  checkpointKey,
  contentHash,
  deleteRecordKey,
  fileVersionKey,
  pathOfCheckpointKey,
} from '../../../../connectors/sources/folder/file-version.js';

const hash = contentHash(Buffer.from('abc'));

describe('file version keys across deletions', () => {
  it('keeps generation 0 on the original two-part key', () => {
    expect(fileVersionKey('a.csv', hash, 0)).toBe(fileVersionKey('a.csv', hash));
    expect(fileVersionKey('a.csv', hash)).toBe(
      '2b2cc9bdff32f4b7267129d4383b986cd9d84c0569df3bf963c9108706ecf621',
    );
  });

  it('gives a file re-created after a delete record a new key per generation', () => {
    const keys = [0, 1, 2].map((g) => fileVersionKey('a.csv', hash, g));
    expect(new Set(keys).size).toBe(3);
    expect(fileVersionKey('a.csv', hash, 1)).toBe(fileVersionKey('a.csv', hash, 1));
  });
});

describe('deleteRecordKey', () => {
  it('is deterministic, pinned, and never equal to a version key', () => {
    const key = deleteRecordKey('a.csv', hash, 0);
    expect(key).toBe(deleteRecordKey('a.csv', hash, 0));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toBe(fileVersionKey('a.csv', hash, 0));
    expect(deleteRecordKey('a.csv', hash, 1)).not.toBe(key);
    expect(deleteRecordKey('b.csv', hash, 0)).not.toBe(key);
  });
});

describe('checkpoint keys', () => {
  it('round-trips the file path and ignores other entries', () => {
    expect(pathOfCheckpointKey(checkpointKey('/srv/in/a.csv'))).toBe('/srv/in/a.csv');
    expect(pathOfCheckpointKey('watermark')).toBeUndefined();
  });
});
