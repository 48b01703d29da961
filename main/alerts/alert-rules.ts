// The alert rules: each turns its input into the conditions that hold now, with plain-words messages and fixes.
import type { ConnectionStatus } from '../../preload/contract/status.js';
import type { AlertRuleDefinition, Condition } from './alert-rule-definition.js';
import type { AlertInput } from './alert-types.js';
import { slotRetention } from './slot-retention-rule.js';
import { apiDeprecation } from './api-deprecation-rule.js';
import { diskForecast } from './disk-forecast-rule.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export function formatDuration(ms: number): string {
  if (ms >= 2 * day) return `${Math.floor(ms / day)} days`;
  if (ms >= 2 * hour) return `${(ms / hour).toFixed(1)} h`;
  if (ms >= minute) return `${Math.round(ms / minute)} min`;
  return `${Math.round(ms / 1000)} s`;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function perConnection(
  input: AlertInput,
  condition: (c: ConnectionStatus) => Omit<Condition, 'subject'> | undefined,
): Condition[] {
  const found: Condition[] = [];
  for (const c of input.status?.connections ?? []) {
    const holds = condition(c);
    if (holds) found.push({ subject: c.id, ...holds });
  }
  return found;
}

const deadLetters: AlertRuleDefinition = {
  rule: 'dead-letters',
  needs: 'status',
  conditions: (input) =>
    perConnection(input, (c) =>
      c.dead > 0
        ? {
            severity: 'critical',
            title: `Dead letters on ${c.name}`,
            message:
              `${c.dead} record${c.dead === 1 ? '' : 's'} of "${c.name}" could not be delivered and wait in the dead-letter queue. ` +
              `Fix: read the reason on the Dead letters page, correct the data or the destination, then replay them.`,
          }
        : undefined,
    ),
};

const pendingAge: AlertRuleDefinition = {
  rule: 'pending-age',
  needs: 'status',
  conditions: (input, { now, thresholds }) =>
    perConnection(input, (c) => {
      if (c.oldestPendingAt === undefined || now - c.oldestPendingAt <= thresholds.pendingAgeMs)
        return undefined;
      return {
        severity: 'warning',
        since: c.oldestPendingAt + thresholds.pendingAgeMs,
        title: `Records of ${c.name} are waiting`,
        message:
          `The oldest pending record of "${c.name}" has waited ${formatDuration(now - c.oldestPendingAt)} ` +
          `(alert after ${formatDuration(thresholds.pendingAgeMs)})${c.reason ? `: ${c.reason}` : ''}. ` +
          `Fix: check the destination's state and last error on the connection page.`,
      };
    }),
};

const circuitOpen: AlertRuleDefinition = {
  rule: 'circuit-open',
  needs: 'status',
  conditions: (input, { now, thresholds, circuitNotClosedSince }) =>
    perConnection(input, (c) => {
      const since = circuitNotClosedSince.get(c.id);
      if (since === undefined || now - since <= thresholds.circuitOpenMs) return undefined;
      const reason = c.destination?.circuit?.reason;
      return {
        severity: 'critical',
        since,
        title: `Delivery to ${c.destination?.label ?? c.name} is stopped`,
        message:
          `The circuit breaker of "${c.name}" has held deliveries back for ${formatDuration(now - since)}` +
          `${reason ? ` (${reason})` : ''}. Fix: check that the destination API is up and reachable from this ` +
          `machine (run the network doctor); delivery resumes by itself once a probe request succeeds.`,
      };
    }),
};

const sourceLag: AlertRuleDefinition = {
  rule: 'source-lag',
  needs: 'status',
  conditions: (input, { thresholds }) =>
    perConnection(input, (c) => {
      const lag = c.source?.lagMs;
      if (lag === undefined || lag <= thresholds.sourceLagMs) return undefined;
      return {
        severity: 'warning',
        title: `Capture of ${c.name} is behind`,
        message:
          `Capture of "${c.name}" trails its source by ${formatDuration(lag)} (alert after ${formatDuration(thresholds.sourceLagMs)})` +
          `${c.source?.detail ? `: ${c.source.detail}` : ''}. Fix: check the source's state on the connection page ` +
          `(paused by backpressure, unreachable database, slow folder).`,
      };
    }),
};

const diskLow: AlertRuleDefinition = {
  rule: 'disk-low',
  needs: 'freeDiskBytes',
  conditions: ({ freeDiskBytes }, { thresholds }) =>
    freeDiskBytes === undefined || freeDiskBytes >= thresholds.minFreeDiskBytes
      ? []
      : [
          {
            subject: 'agent',
            severity: 'critical',
            title: 'Data disk almost full',
            message:
              `Only ${mb(freeDiskBytes)} free on the data directory's disk (floor ${mb(thresholds.minFreeDiskBytes)}); ` +
              `capture pauses below the floor. Fix: free disk space there, or move the data directory to a larger disk.`,
          },
        ],
};

const certificateExpiry: AlertRuleDefinition = {
  rule: 'certificate-expiry',
  needs: 'certificates',
  conditions: ({ certificates }, { now, thresholds }) => {
    const soonest = new Map<string, NonNullable<AlertInput['certificates']>[number]>();
    for (const cert of certificates ?? []) {
      const known = soonest.get(cert.destination);
      if (!known || cert.notAfter < known.notAfter) soonest.set(cert.destination, cert);
    }
    const found: Condition[] = [];
    for (const cert of soonest.values()) {
      const left = cert.notAfter - now;
      if (left > thresholds.certificateExpiryMs) continue;
      const which = `The TLS certificate of ${cert.destination}${cert.subject ? ` (${cert.subject})` : ''}`;
      const when = new Date(cert.notAfter).toISOString();
      found.push({
        subject: cert.destination,
        severity: left <= 0 ? 'critical' : 'warning',
        title:
          left <= 0
            ? `Certificate of ${cert.destination} expired`
            : `Certificate of ${cert.destination} expires soon`,
        message:
          left <= 0
            ? `${which} expired on ${when}; deliveries there fail. Fix: ask the API's operator to renew it.`
            : `${which} expires on ${when}, in ${formatDuration(left)}. Fix: ask the API's operator to renew it before then.`,
      });
    }
    return found;
  },
};

/** The destination's last error came from the OAuth token endpoint and nothing was delivered since. */
const oauthFailing: AlertRuleDefinition = {
  rule: 'oauth-failing',
  needs: 'status',
  conditions: (input) =>
    perConnection(input, (c) => {
      const d = c.destination;
      if (!d?.lastError || !/oauth/i.test(d.lastError)) return undefined;
      if (d.lastSuccessAt !== undefined && d.lastSuccessAt >= (d.lastErrorAt ?? 0)) return undefined;
      return {
        severity: 'critical',
        ...(d.lastErrorAt !== undefined ? { since: d.lastErrorAt } : {}),
        title: `${c.name} cannot sign in`,
        message:
          `"${c.name}" cannot get an OAuth access token, so nothing is delivered: ${d.lastError}` +
          `${/Fix:/.test(d.lastError) ? '' : '. Fix: check the client id, the client secret in the secret store and the token URL'}`,
      };
    }),
};

export const alertRuleDefinitions: readonly AlertRuleDefinition[] = [
  deadLetters,
  pendingAge,
  circuitOpen,
  sourceLag,
  diskLow,
  certificateExpiry,
  oauthFailing,
  slotRetention,
  apiDeprecation,
  diskForecast,
];
