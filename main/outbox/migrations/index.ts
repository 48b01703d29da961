// The ordered list of outbox migrations; the last one's version is the current schema version.
import type { Migration } from './migration.js';
import { recordsAndCheckpoints } from './0001-records-and-checkpoints.js';
import { timelineAndAudit } from './0002-timeline-and-audit.js';
import { openRecordsBySettledAt } from './0003-open-records-by-settled-at.js';
import { batchMembership } from './0004-batch-membership.js';
import { keySite } from './0005-key-site.js';
import { recordPayloads } from './0006-record-payloads.js';
import { orderingQueues } from './0007-ordering-queues.js';
import { keyHashIndex } from './0008-key-hash-index.js';
import { sendOutcomes } from './0009-send-outcomes.js';
import { stateCheckWithoutList } from './0010-state-check-without-list.js';

export type { Migration } from './migration.js';

export const outboxMigrations: readonly Migration[] = [
  recordsAndCheckpoints,
  timelineAndAudit,
  openRecordsBySettledAt,
  batchMembership,
  keySite,
  recordPayloads,
  orderingQueues,
  keyHashIndex,
  sendOutcomes,
  stateCheckWithoutList,
];

export const currentSchemaVersion = outboxMigrations.length;
