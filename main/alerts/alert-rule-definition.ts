// What an alert rule is: the input it reads and the conditions it finds there.
import type { Alert, AlertInput, AlertRule, AlertThresholds } from './alert-types.js';

/** A condition that holds now; the engine turns it into an alert (fired, repeated or kept). */
export type Condition = Pick<Alert, 'subject' | 'severity' | 'title' | 'message'> & {
  /** When the condition started, where the input knows (else: when the engine first saw it). */
  since?: number;
};

export interface RuleContext {
  now: number;
  thresholds: AlertThresholds;
  /** Since when each connection's circuit has not been closed (tracked by the engine across re-opens). */
  circuitNotClosedSince: ReadonlyMap<string, number>;
}

export interface AlertRuleDefinition {
  rule: AlertRule;
  /** The input the rule reads; without it the rule's alerts stay as they are. */
  needs: keyof AlertInput;
  conditions(input: AlertInput, context: RuleContext): Condition[];
}
