// Evaluates the alert rules at a given time: an alert fires once, repeats after the cooldown while active, then resolves.
import type { AlertsConfig } from '../config/alerts-config.js';
import type { AlertRuleDefinition, Condition } from './alert-rule-definition.js';
import { alertRuleDefinitions } from './alert-rules.js';
import {
  defaultAlertThresholds,
  type Alert,
  type AlertInput,
  type AlertThresholds,
  type AlertTransition,
} from './alert-types.js';

const minute = 60_000;
const day = 24 * 60 * minute;

/** Thresholds from the `alerts` config section; the disk floor defaults to the outbox's backpressure floor. */
export function alertThresholdsFrom(alerts: AlertsConfig, outboxMinFreeDiskBytes: number): AlertThresholds {
  return {
    cooldownMs: alerts.cooldownMinutes * minute,
    pendingAgeMs: alerts.oldestPendingMinutes * minute,
    circuitOpenMs: alerts.circuitOpenMinutes * minute,
    sourceLagMs: alerts.sourceLagMinutes * minute,
    minFreeDiskBytes: alerts.minFreeDiskBytes ?? outboxMinFreeDiskBytes,
    certificateExpiryMs: alerts.certificateExpiryDays * day,
    diskForecastMs: alerts.diskForecastHours * 60 * minute,
  };
}

/**
 * Deterministic: the same inputs at the same `now` give the same transitions; no clock, timer or I/O inside.
 * It remembers the active alerts (to fire once and repeat at the cooldown) and when each circuit left `closed`
 * (a failed probe re-opens the breaker with a new openedAt, yet the outage goes on).
 */
export class AlertEngine {
  private readonly alerts = new Map<string, Alert>();
  private readonly circuitNotClosedSince = new Map<string, number>();
  readonly thresholds: AlertThresholds;

  constructor(
    thresholds: Partial<AlertThresholds> = {},
    private readonly rules: readonly AlertRuleDefinition[] = alertRuleDefinitions,
  ) {
    this.thresholds = { ...defaultAlertThresholds, ...thresholds };
  }

  evaluate(input: AlertInput, now: number): AlertTransition[] {
    if (input.status) this.trackCircuits(input, now);
    const context = { now, thresholds: this.thresholds, circuitNotClosedSince: this.circuitNotClosedSince };
    const transitions: AlertTransition[] = [];
    for (const rule of this.rules) {
      if (input[rule.needs] === undefined) continue;
      const holding = new Set<string>();
      for (const condition of rule.conditions(input, context)) {
        const id = `${rule.rule}:${condition.subject}`;
        holding.add(id);
        const transition = this.hold(rule, id, condition, now);
        if (transition) transitions.push(transition);
      }
      for (const [id, alert] of this.alerts) {
        if (alert.rule !== rule.rule || holding.has(id)) continue;
        this.alerts.delete(id);
        transitions.push({ kind: 'resolved', at: now, alert: { ...alert } });
      }
    }
    return transitions;
  }

  /** The alerts active now, oldest first. */
  active(): Alert[] {
    return [...this.alerts.values()].sort((a, b) => a.since - b.since).map((a) => ({ ...a }));
  }

  private hold(
    rule: AlertRuleDefinition,
    id: string,
    condition: Condition,
    now: number,
  ): AlertTransition | undefined {
    const known = this.alerts.get(id);
    if (!known) {
      const alert: Alert = {
        id,
        rule: rule.rule,
        subject: condition.subject,
        severity: condition.severity,
        title: condition.title,
        message: condition.message,
        since: Math.min(condition.since ?? now, now),
        notifiedAt: now,
      };
      this.alerts.set(id, alert);
      return { kind: 'fired', at: now, alert: { ...alert } };
    }
    // the message follows the condition (counts, ages) even between notifications
    Object.assign(known, {
      severity: condition.severity,
      title: condition.title,
      message: condition.message,
    });
    if (now - known.notifiedAt < this.thresholds.cooldownMs) return undefined;
    known.notifiedAt = now;
    return { kind: 'repeated', at: now, alert: { ...known } };
  }

  private trackCircuits(input: AlertInput, now: number): void {
    const seen = new Set<string>();
    for (const c of input.status?.connections ?? []) {
      const circuit = c.destination?.circuit;
      if (!circuit || circuit.state === 'closed') continue;
      seen.add(c.id);
      const start = Math.min(this.circuitNotClosedSince.get(c.id) ?? now, circuit.openedAt ?? now);
      this.circuitNotClosedSince.set(c.id, start);
    }
    for (const id of this.circuitNotClosedSince.keys())
      if (!seen.has(id)) this.circuitNotClosedSince.delete(id);
  }
}
