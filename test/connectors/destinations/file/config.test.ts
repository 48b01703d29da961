// File destination config: defaults, absolute folders only, safe file-name templates, batch names, each with a fix.
import { describe, expect, it } from 'vitest';
import {
  fileDestinationSchema,
  fileModeOf,
  fileNameTemplate,
} from '../../../../connectors/destinations/file/config.js';
import { agentConfigSchema } from '../../../../main/config/schema.js';
import { fromZodError } from '../../../../main/config/errors.js';

function issuesOf(destination: Record<string, unknown>) {
  const result = agentConfigSchema.safeParse({
    configVersion: 1,
    connections: [
      { id: 'a', source: { type: 'folder', path: '/in' }, destination: { type: 'file', ...destination } },
    ],
  });
  if (result.success) throw new Error('the config was accepted');
  return fromZodError('agent.yaml', result.error).issues;
}

describe('file destination config', () => {
  it('fills the defaults: one file per record named from its key, mode 0640, no folder creation', () => {
    const parsed = fileDestinationSchema.parse({ type: 'file', folder: '/srv/drop' });
    expect(parsed).toMatchObject({
      folder: '/srv/drop',
      batch: { format: 'none', maxRecords: 500, maxBytes: 1024 * 1024, lingerMs: 200 },
      createFolder: false,
      mode: 0o640,
      concurrency: 4,
    });
    expect(fileNameTemplate(parsed)).toBe('{{idempotencyKey}}.json');
    const batched = fileDestinationSchema.parse({
      type: 'file',
      folder: 'C:\\drop',
      batch: { format: 'ndjson' },
    });
    expect(fileNameTemplate(batched)).toBe('{{idempotencyKey}}.ndjson');
  });

  it('takes the mode as octal text or as a number', () => {
    const text = fileDestinationSchema.parse({ type: 'file', folder: '/d', mode: '0600' });
    expect(fileModeOf(text.mode)).toBe(0o600);
    const number = fileDestinationSchema.parse({ type: 'file', folder: '/d', mode: 0o644 });
    expect(fileModeOf(number.mode)).toBe(0o644);
    expect(fileDestinationSchema.safeParse({ type: 'file', folder: '/d', mode: '0999' }).success).toBe(false);
  });

  it('refuses a relative folder with a fix', () => {
    expect(issuesOf({ folder: 'drop/out' })).toEqual([
      {
        path: 'connections[0].destination.folder',
        problem: '"drop/out" is a relative path, which would depend on where the agent was started',
        fix: 'write the full path of the folder, e.g. /srv/drop or C:\\drop',
      },
    ]);
  });

  it('refuses unknown placeholders and names that are not a single safe file name', () => {
    expect(issuesOf({ folder: '/d', fileName: '{{customer}}.json' })).toEqual([
      {
        path: 'connections[0].destination.fileName',
        problem:
          'unknown placeholder {{customer}}: use {{idempotencyKey}}, {{businessKey}}, {{date}} or {{record.<field>}}',
        fix: 'use a single file name such as "{{idempotencyKey}}.json"; see docs/file-destination.md',
      },
    ]);
    expect(issuesOf({ folder: '/d', fileName: 'out/{{idempotencyKey}}.json' })[0]?.problem).toBe(
      'the name "out/{{idempotencyKey}}.json" contains a path separator (/ or \\)',
    );
    expect(issuesOf({ folder: '/d', fileName: '' })[0]?.problem).toBe('the name "" is empty');
  });

  it('refuses per-record placeholders in batch file names', () => {
    expect(issuesOf({ folder: '/d', fileName: '{{record.id}}.ndjson', batch: { format: 'ndjson' } })).toEqual(
      [
        {
          path: 'connections[0].destination.fileName',
          problem: 'placeholders {{record.id}} have no single value in a batch of records',
          fix: 'name batch files with {{idempotencyKey}} and {{date}} only, or set batch.format to none',
        },
      ],
    );
    expect(
      fileDestinationSchema.safeParse({
        type: 'file',
        folder: '/d',
        fileName: '{{date}}-{{idempotencyKey}}.ndjson',
        batch: { format: 'ndjson' },
      }).success,
    ).toBe(true);
  });
});
