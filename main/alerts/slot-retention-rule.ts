// Alert rule "slot-retention": a logical decoding slot holds back more WAL than its connection's slotAlertBytes.
import type { Alert, AlertInput } from './alert-types.js';

/** Shaped like an AlertRuleDefinition of alert-rules.ts (which lists it), without importing it back. */
interface SlotRetentionRule {
  rule: 'slot-retention';
  needs: 'status';
  conditions(input: AlertInput): Pick<Alert, 'subject' | 'severity' | 'title' | 'message'>[];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const slotRetention: SlotRetentionRule = {
  rule: 'slot-retention',
  needs: 'status',
  conditions: (input) =>
    (input.status?.connections ?? []).flatMap((c) => {
      const slot = c.source?.replicationSlot;
      if (!slot || slot.retainedBytes <= slot.alertBytes) return [];
      return [
        {
          subject: c.id,
          severity: 'critical' as const,
          title: `Replication slot of ${c.name} holds ${mb(slot.retainedBytes)} of WAL`,
          message:
            `The PostgreSQL replication slot "${slot.name}" of "${c.name}" keeps ${mb(slot.retainedBytes)} of ` +
            `write-ahead log on the database server (alert past ${mb(slot.alertBytes)}; ${mb(slot.lagBytes)} not yet ` +
            `confirmed by the agent${slot.active ? '' : '; nothing streams from it now'}). The server's disk fills ` +
            `while this grows. Fix: get capture running again (check the source's state: paused, unreachable, outbox ` +
            `full); if the connection is gone for good, drop the slot as "Dropping the slot" in ` +
            `docs/logical-decoding.md says.`,
        },
      ];
    }),
};
