// Status notices about the outbox file's integrity: a damaged file set aside at open, the check after open and its finding.
import type { Logger } from 'pino';
import type { Notice } from '../../preload/contract/status.js';
import type { Outbox } from '../outbox/outbox.js';

export interface NoticeBoard {
  addNotice(notice: Notice): void;
  removeNotice(notice: Notice): void;
}

/** While the check of a big outbox file runs, status says so; afterwards only damage (or a check that failed) stays. */
export function watchOutboxIntegrity(outbox: Outbox, board: NoticeBoard, logger: Logger): void {
  const check = outbox.integrityCheck;
  if (!check) return;
  const checking: Notice = {
    level: 'info',
    at: Date.now(),
    message:
      'Checking the outbox file for damage (SQLite quick_check) in the background; capture and delivery run meanwhile',
  };
  board.addNotice(checking);
  void check.then((outcome) => {
    board.removeNotice(checking);
    if (outcome.kind === 'healthy') return;
    const message =
      outcome.kind === 'damaged'
        ? `The outbox file is damaged (${outcome.reason}). Restart the agent: it then moves the file aside and starts a ` +
          'fresh outbox; `integration-agent outbox salvage FILE` re-enqueues what can still be read from the moved file'
        : `The outbox file could not be checked for damage (${outcome.reason}); it is checked again at the next start`;
    if (outcome.kind === 'damaged') logger.error({ reason: outcome.reason }, 'the outbox file is damaged');
    else logger.warn({ reason: outcome.reason }, 'the outbox integrity check did not run');
    board.addNotice({ level: outcome.kind === 'damaged' ? 'error' : 'warn', at: Date.now(), message });
  });
}

/** A damaged outbox file that open moved aside (and started afresh): one error notice each, saying what to keep. */
export function quarantineNotices(outbox: Outbox): Notice[] {
  return outbox.quarantineNotices().map((q) => ({
    level: 'error',
    at: q.at,
    message:
      `The outbox file was damaged (${q.reason}) and was moved aside to ${q.movedTo}; a fresh outbox was started. ` +
      `Records still in the damaged file were not delivered: keep that file and contact support.`,
  }));
}
