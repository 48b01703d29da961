// Alert rule "disk-forecast": at its current net growth the outbox reaches a limit within alerts.diskForecastHours.
import type { AlertRuleDefinition } from './alert-rule-definition.js';

const fixes: Record<string, string> = {
  'disk-floor': 'free disk space on the data directory, or move it to a larger disk',
  'outbox-size': 'raise outbox.maxDatabaseBytes if the disk has room',
  'pending-records': 'raise outbox.maxPendingRecords if the disk has room',
  'pending-bytes': 'raise outbox.maxPendingBytes if the disk has room',
};

export const diskForecast: AlertRuleDefinition = {
  rule: 'disk-forecast',
  needs: 'status',
  conditions: ({ status }, { thresholds }) => {
    const forecast = status?.outbox.forecast;
    if (!forecast || forecast.inMs > thresholds.diskForecastMs) return [];
    const hours = thresholds.diskForecastMs / 3_600_000;
    return [
      {
        subject: 'agent',
        severity: forecast.inMs <= thresholds.diskForecastMs / 4 ? 'critical' : 'warning',
        title: 'Outbox will fill up soon',
        message:
          `The outbox grows faster than it is delivered: ${forecast.message} (alert within ${hours} h); capture ` +
          `pauses there. Fix: get delivery going again (check the connections' destinations), or ` +
          `${fixes[forecast.limit]}.`,
      },
    ];
  },
};
