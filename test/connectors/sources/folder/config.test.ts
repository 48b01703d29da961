// Folder source config: existing configs keep working, new fields default sensibly, archive needs a folder.
import { describe, expect, it } from 'vitest';
import { folderSourceSchema } from '../../../../connectors/sources/folder/config.js';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { fromZodError } from '../../../../main/config/errors.js';

describe('folder source config', () => {
  it('reads a config written before several folders and the new options existed, with the defaults', () => {
    expect(folderSourceSchema.parse({ type: 'folder', path: '/in', quietPeriodMs: 500 })).toEqual({
      type: 'folder',
      path: '/in',
      paths: [],
      include: ['**/*'],
      exclude: [],
      recursive: true,
      finishedWhen: 'quiet',
      quietPeriodMs: 500,
      markerSuffix: '.done',
      triggerFile: 'READY',
      minFileAgeMs: 0,
      maxFileBytes: 100 * 1024 * 1024,
      rescanIntervalMs: 300_000,
      emitDeletes: false,
      afterDelivery: 'leave',
    });
  });

  it('takes more folders, marker mode, deletes and an archive', () => {
    const parsed = folderSourceSchema.parse({
      type: 'folder',
      path: '/in',
      paths: ['/in2', '/in3'],
      finishedWhen: 'marker',
      markerSuffix: '.ok',
      emitDeletes: true,
      afterDelivery: 'archive',
      archiveDir: 'archive',
    });
    expect(parsed).toMatchObject({ paths: ['/in2', '/in3'], finishedWhen: 'marker', archiveDir: 'archive' });
  });

  it('explains what to do when afterDelivery archive has no archiveDir', () => {
    const result = agentConfigSchema.safeParse({
      configVersion: 1,
      connections: [
        {
          id: 'a',
          source: { type: 'folder', path: '/in', afterDelivery: 'archive' },
          destination: { type: 'http', url: 'https://api.example.com/in' },
        },
      ],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fromZodError('agent.yaml', result.error).issues).toEqual([
      {
        path: 'connections[0].source.archiveDir',
        problem: 'is required when afterDelivery is archive',
        fix: 'add archiveDir (e.g. archiveDir: archive) or choose afterDelivery: leave or delete',
      },
    ]);
  });

  it('refuses a trigger file name with a folder in it', () => {
    expect(
      folderSourceSchema.safeParse({ type: 'folder', path: '/in', triggerFile: 'x/READY' }).success,
    ).toBe(false);
  });
});
