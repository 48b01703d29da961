// Alert rule: a destination API answers with Deprecation or Sunset headers (RFC 9745, RFC 8594).
import type { AlertRuleDefinition, Condition } from './alert-rule-definition.js';
import { apiNoticeWords } from './api-notice-words.js';

/** A sunset this close (or past) is critical: the integration stops working then. */
const criticalWithinMs = 30 * 24 * 60 * 60_000;

export const apiDeprecation: AlertRuleDefinition = {
  rule: 'api-deprecation',
  needs: 'status',
  conditions: (input, { now }) => {
    const found: Condition[] = [];
    for (const c of input.status?.connections ?? []) {
      const notice = c.destination?.apiNotice;
      if (!notice) continue;
      const soon = notice.sunsetAt !== undefined && notice.sunsetAt - now <= criticalWithinMs;
      found.push({
        subject: c.id,
        severity: soon ? 'critical' : 'warning',
        title:
          notice.sunsetAt === undefined
            ? `The API of ${c.name} is deprecated`
            : `The API of ${c.name} has a sunset date: ${new Date(notice.sunsetAt).toISOString().slice(0, 10)}`,
        message:
          `"${c.name}" (${c.destination?.label ?? c.id}): ${apiNoticeWords(notice, now)}. ` +
          'Fix: move the connection to the API version that replaces it: add a mapping version for the new version, ' +
          'then switch destination.apiVersion (docs/mapping.md, "API versions").',
      });
    }
    return found;
  },
};
