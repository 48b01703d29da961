// Wraps the outbox a dispatcher settles through, so every settle becomes 'settled' and 'dead-letter' activity events.
import type { Outbox } from '../outbox/outbox.js';
import type { SettleGroup, SettleResult, Settlement } from '../outbox/settle.js';
import type { ActivityHub } from './engine-activity.js';

/** Summarises one committed settle: stale settlements were ignored by the outbox and are not counted. */
function report(
  connection: string,
  destination: string,
  settlements: Settlement[],
  result: SettleResult,
  hub: ActivityHub,
): void {
  const stale = new Set(result.stale);
  const counted = settlements.filter((s) => !stale.has(s.id));
  if (counted.length === 0) return;
  const dead = counted.filter((s) => s.kind === 'dead');
  hub.emit({
    kind: 'settled',
    connection,
    destination,
    delivered: counted.filter((s) => s.kind === 'delivered').length,
    retried: counted.filter((s) => s.kind === 'retry').length,
    dead: dead.length,
    latencyMs: Math.max(...counted.map((s) => s.latencyMs)),
  });
  if (dead.length > 0) {
    hub.emit({
      kind: 'dead-letter',
      connection,
      ids: dead.map((s) => s.id),
      reason: dead[0]?.kind === 'dead' ? dead[0].error : 'dead-lettered',
    });
  }
}

/** The same outbox, with `settle` and `settleGroups` reporting what they committed; every other member is the outbox's own. */
export function observeSettlements(
  outbox: Outbox,
  connection: string,
  destination: string,
  hub: ActivityHub,
): Outbox {
  const settle = (token: string, settlements: Settlement[]): SettleResult => {
    const result = outbox.settle(token, settlements);
    report(connection, destination, settlements, result, hub);
    return result;
  };
  // The dispatcher group-commits the settles of one tick (GroupSettle): each group is reported like a settle.
  const settleGroups = (groups: readonly SettleGroup[], durability?: 'now' | 'deferred'): SettleResult[] => {
    const results = outbox.settleGroups(groups, durability);
    groups.forEach((group, index) => {
      const result = results[index];
      if (result) report(connection, destination, group.settlements, result, hub);
    });
    return results;
  };
  return new Proxy(outbox, {
    get(target, property) {
      if (property === 'settle') return settle;
      if (property === 'settleGroups') return settleGroups;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
