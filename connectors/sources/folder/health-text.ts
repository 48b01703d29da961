// The folder source's status texts: mode and guarantee in plain words (exactly as the code behaves), folder problems.
import type { SourceState } from '../../core/source.js';
import type { FolderSourceConfig } from './config.js';
import { formatMs, type FinishRule } from './finish-rule.js';
import type { FolderLayout } from './folder-layout.js';

type TextOptions = Pick<
  FolderSourceConfig,
  | 'rescanIntervalMs'
  | 'emitDeletes'
  | 'afterDelivery'
  | 'archiveDir'
  | 'quietPeriodMs'
  | 'recursive'
  | 'records'
>;

const formatNames = { csv: 'CSV', 'json-array': 'JSON array', ndjson: 'NDJSON', xml: 'XML' } as const;

export function folderMode(options: Pick<FolderSourceConfig, 'records'>, rule: FinishRule): string {
  const records = options.records;
  return records
    ? `records (${formatNames[records.format]}), ${rule.description}`
    : `whole file, ${rule.description}`;
}

/** How each record of a file version is identified, in plain words. */
function recordsGuarantee(records: NonNullable<FolderSourceConfig['records']>): string {
  const keyed = records.keyColumn
    ? `a record is identified by its ${records.keyColumn} value and content, so a row repeated unchanged in a ` +
      'later export is not sent again'
    : 'a record is identified by the file version and its position, so a changed file sends all its rows again';
  return (
    `every ${formatNames[records.format]} record of a new file version is sent once (${keyed}); rows that cannot be ` +
    'read become dead letters with file, line and reason and never stop the rest of the file; a capture cut off ' +
    'by a restart resumes at the last stored batch'
  );
}

export function folderGuarantee(options: TextOptions, layout: FolderLayout, rule: FinishRule): string {
  const folders = layout.roots.map((r) => r.dir).join(', ');
  const where = `${layout.roots.length === 1 ? 'the folder' : 'the folders'} ${folders}${options.recursive ? ' (with subfolders)' : ''}`;
  const parts = [
    `every file in ${where} is ${options.records ? 'read' : 'sent'} once per distinct content (SHA-256), once it ` +
      `counts as finished (${rule.description}); the same bytes written again are not ${options.records ? 'read' : 'sent'} again`,
    ...(options.records ? [recordsGuarantee(options.records)] : []),
    'files added or changed while the agent was off are caught up at start, and a full rescan every ' +
      `${formatMs(options.rescanIntervalMs)} catches anything the watcher missed`,
  ];
  if (options.emitDeletes)
    parts.push(
      `a captured file that disappears for ${formatMs(options.quietPeriodMs)} is sent as a delete record`,
    );
  if (options.afterDelivery === 'archive')
    parts.push(
      `a file is moved to ${options.archiveDir ?? 'the archive'} only after the server confirmed it`,
    );
  if (options.afterDelivery === 'delete') parts.push('a file is deleted only after the server confirmed it');
  return `${parts.join('; ')}.`;
}

/** Why a watched folder cannot be watched, and what to do about it. */
export function unavailableMessage(
  dir: string,
  error: NodeJS.ErrnoException,
  rescanIntervalMs: number,
): string {
  const why =
    error.code === 'ENOENT'
      ? 'it does not exist'
      : error.code === 'ENOTDIR'
        ? 'it is not a folder'
        : error.code === 'EACCES' || error.code === 'EPERM'
          ? `permission denied (${error.code})`
          : (error.code ?? error.message);
  return (
    `cannot watch ${dir}: ${why}. Fix: create the folder, correct the path or give the agent's account access; ` +
    `it is tried again every ${formatMs(rescanIntervalMs)}`
  );
}

/** What the folder source is doing now, worst first, and the detail line that says why. */
export function folderState(facts: {
  lifecycle: 'starting' | 'running' | 'stopped';
  allFoldersFailed: boolean;
  pausedReason: string | undefined;
  catchingUp: number;
  notes: readonly string[];
}): { state: SourceState; detail: string } {
  const { lifecycle, pausedReason, notes } = facts;
  const state: SourceState =
    lifecycle !== 'running'
      ? lifecycle
      : facts.allFoldersFailed
        ? 'failed'
        : pausedReason
          ? 'paused'
          : notes.length > 0
            ? 'degraded'
            : 'running';
  const catchUp =
    facts.catchingUp > 0 && lifecycle === 'running'
      ? [
          `catching up: looking at the ${facts.catchingUp} ${facts.catchingUp === 1 ? 'file' : 'files'} found at start`,
        ]
      : [];
  return { state, detail: [...(pausedReason ? [pausedReason] : []), ...catchUp, ...notes].join('; ') };
}
