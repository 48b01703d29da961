// The events the UI follows: status snapshots, log lines, alert transitions and new dead letters, in the contract's shapes.
import type { AgentEventName, AgentEventPayload } from '../../preload/contract/events.js';
import type { AlertTransition } from '../alerts/alert-types.js';
import type { Engine } from '../engine/engine.js';
import type { LogEvent as TailEvent } from '../observability/log-event.js';
import type { LogTail } from '../observability/log-tail.js';

export interface AlertSource {
  onTransition(listener: (transition: AlertTransition) => void): () => void;
}

/** The tail's event in the contract's shape: correlation and error fields go into `data`. */
export function toContractLogEvent(event: TailEvent): AgentEventPayload<'log'> {
  const { seq, time, level, msg, connection, recordId, fields, ...rest } = event;
  return {
    at: time,
    level,
    msg,
    ...(connection !== undefined ? { connection } : {}),
    ...(recordId !== undefined ? { recordId } : {}),
    data: { seq, ...fields, ...rest },
  };
}

export function toAlertEvent(transition: AlertTransition): AgentEventPayload<'alert'> {
  const { alert } = transition;
  return {
    id: alert.id,
    rule: alert.rule,
    severity: alert.severity,
    state: transition.kind === 'resolved' ? 'resolved' : 'firing',
    message: `${alert.title}: ${alert.message}`,
    ...(alert.subject !== 'agent' ? { connection: alert.subject } : {}),
    at: transition.at,
  };
}

/** Subscribes `listener` to every event source present; returns one function that ends them all. */
export function subscribeEvents(
  sources: { engine: Engine; logTail: LogTail | undefined; alerts: AlertSource | undefined },
  listener: (event: AgentEventName, payload: unknown) => void,
): () => void {
  const offs = [
    sources.engine.onStatus((status) => listener('status', status)),
    sources.engine.onActivity((activity) => {
      if (activity.kind !== 'dead-letter') return;
      const { connection, ids, reason } = activity;
      listener('deadLetter', { connection, ids, reason, at: Date.now() });
    }),
    ...(sources.logTail ? [sources.logTail.subscribe((e) => listener('log', toContractLogEvent(e)))] : []),
    ...(sources.alerts ? [sources.alerts.onTransition((t) => listener('alert', toAlertEvent(t)))] : []),
  ];
  return () => {
    for (const off of offs) off();
  };
}
