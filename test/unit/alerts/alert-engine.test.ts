// AlertEngine with a fake clock: every rule fires once, repeats at the cooldown, resolves; thresholds come from config.
import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../../preload/contract/status.js';
import { AlertEngine, alertThresholdsFrom } from '../../../main/alerts/alert-engine.js';
import { AlertMonitor } from '../../../main/alerts/alert-monitor.js';
import type { AlertInput, AlertRule, AlertTransition } from '../../../main/alerts/alert-types.js';
import { alertsConfigSchema } from '../../../main/config/alerts-config.js';
import { agentStatus, connectionStatus } from './status-fixture.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const t0 = Date.UTC(2026, 10, 21, 8, 0, 0);

const kinds = (transitions: AlertTransition[]) => transitions.map((t) => `${t.kind} ${t.alert.id}`);

/** Status input at `now` with one connection "erp" patched. */
const erp = (now: number, patch: Partial<ConnectionStatus>): AlertInput => ({
  status: agentStatus(now, [connectionStatus('erp', patch)]),
});

interface RuleCase {
  rule: AlertRule;
  subject: string;
  /** Input at `now` where the condition holds (or, with `holds: false`, does not). */
  input(now: number, holds: boolean): AlertInput;
  /** How long the condition must last before it counts (0: at once). */
  after: number;
  severity: 'warning' | 'critical';
  message: RegExp;
}

const cases: RuleCase[] = [
  {
    rule: 'dead-letters',
    subject: 'erp',
    input: (now, holds) => erp(now, { dead: holds ? 2 : 0 }),
    after: 0,
    severity: 'critical',
    message: /2 records of "erp export" .*dead-letter queue.*replay/,
  },
  {
    rule: 'pending-age',
    subject: 'erp',
    input: (now, holds) => erp(now, holds ? { pending: 5, oldestPendingAt: t0 } : { pending: 0 }),
    after: 30 * minute,
    severity: 'warning',
    message: /oldest pending record of "erp export" has waited 3\d min \(alert after 30 min\)/,
  },
  {
    rule: 'circuit-open',
    subject: 'erp',
    input: (now, holds) =>
      erp(now, {
        destination: {
          type: 'http',
          label: 'ERP API',
          state: holds ? 'circuit-open' : 'sending',
          consecutiveFailures: holds ? 9 : 0,
          // a failed probe re-opens the breaker with a fresh openedAt; the outage still counts from t0
          circuit: holds
            ? { state: 'open', consecutiveFailures: 9, openedAt: now - minute, reason: 'HTTP 503' }
            : { state: 'closed', consecutiveFailures: 0 },
        },
      }),
    after: 10 * minute,
    severity: 'critical',
    message:
      /circuit breaker of "erp export" has held deliveries back for 1\d min \(HTTP 503\).*network doctor/,
  },
  {
    rule: 'source-lag',
    subject: 'erp',
    input: (now, holds) =>
      erp(now, {
        source: { type: 'postgres', state: 'running', guarantee: 'g', lagMs: holds ? 20 * minute : 1000 },
      }),
    after: 0,
    severity: 'warning',
    message: /trails its source by 20 min \(alert after 15 min\)/,
  },
  {
    rule: 'disk-low',
    subject: 'agent',
    input: (_now, holds) => ({ freeDiskBytes: holds ? 100 * 1024 * 1024 : 10 * 1024 ** 3 }),
    after: 0,
    severity: 'critical',
    message: /Only 100\.0 MB free .*floor 512\.0 MB.*Fix: free disk space/,
  },
  {
    rule: 'certificate-expiry',
    subject: 'api.example.com',
    input: (now, holds) => ({
      certificates: [
        {
          destination: 'api.example.com',
          notAfter: now + (holds ? 5 : 60) * day,
          subject: 'CN=api.example.com',
        },
        { destination: 'other.example.com', notAfter: now + 90 * day },
      ],
    }),
    after: 0,
    severity: 'warning',
    message: /certificate of api\.example\.com \(CN=api\.example\.com\) expires on .*in 5 days/,
  },
  {
    rule: 'oauth-failing',
    subject: 'erp',
    input: (now, holds) =>
      erp(now, {
        destination: {
          type: 'http',
          label: 'ERP API',
          state: 'retrying',
          consecutiveFailures: 3,
          lastError: 'OAuth token request to https://idp.example.com/token failed: HTTP 401 invalid_client',
          lastErrorAt: t0,
          ...(holds ? {} : { lastSuccessAt: now }),
        },
      }),
    after: 0,
    severity: 'critical',
    message: /cannot get an OAuth access token.*invalid_client\. Fix: check the client id/,
  },
];

describe('AlertEngine rules', () => {
  for (const c of cases) {
    it(`${c.rule}: fires once after ${c.after / minute} min, repeats at the cooldown, resolves`, () => {
      const engine = new AlertEngine();
      const id = `${c.rule}:${c.subject}`;
      let now = t0;
      if (c.after > 0) {
        expect(engine.evaluate(c.input(now, true), now)).toEqual([]);
        now = t0 + c.after - minute; // still under the threshold
        expect(engine.evaluate(c.input(now, true), now)).toEqual([]);
        now = t0 + c.after + 2 * minute;
      }
      const fired = engine.evaluate(c.input(now, true), now);
      expect(kinds(fired)).toEqual([`fired ${id}`]);
      const alert = fired[0]!.alert;
      expect(alert).toMatchObject({
        rule: c.rule,
        subject: c.subject,
        severity: c.severity,
        notifiedAt: now,
      });
      expect(alert.message).toMatch(c.message);
      expect(alert.since).toBeLessThanOrEqual(now);

      const firedAt = now;
      now += 30 * minute;
      expect(engine.evaluate(c.input(now, true), now)).toEqual([]); // within the cooldown: quiet
      now = firedAt + hour;
      expect(kinds(engine.evaluate(c.input(now, true), now))).toEqual([`repeated ${id}`]);
      now += minute;
      expect(engine.evaluate(c.input(now, true), now)).toEqual([]);
      expect(engine.active().map((a) => a.id)).toEqual([id]);

      now += minute;
      const resolved = engine.evaluate(c.input(now, false), now);
      expect(kinds(resolved)).toEqual([`resolved ${id}`]);
      expect(resolved[0]!.at).toBe(now);
      expect(engine.active()).toEqual([]);
      expect(engine.evaluate(c.input(now + minute, false), now + minute)).toEqual([]);
    });
  }
});

describe('AlertEngine behaviour across rules', () => {
  it('leaves the alerts of a rule alone when its input is missing from an evaluation', () => {
    const engine = new AlertEngine();
    expect(kinds(engine.evaluate({ freeDiskBytes: 1 }, t0))).toEqual(['fired disk-low:agent']);
    expect(engine.evaluate(erp(t0, {}), t0 + minute)).toEqual([]); // a status alone says nothing about the disk
    expect(engine.active().map((a) => a.id)).toEqual(['disk-low:agent']);
  });

  it('counts an outage of the circuit from when it first left closed, across re-opens and half-open probes', () => {
    const engine = new AlertEngine();
    const circuit = (now: number, state: 'open' | 'half-open' | 'closed') =>
      erp(now, {
        destination: {
          type: 'http',
          label: 'ERP API',
          state: 'circuit-open',
          consecutiveFailures: 1,
          circuit: { state, consecutiveFailures: 1, ...(state === 'open' ? { openedAt: now } : {}) },
        },
      });
    expect(engine.evaluate(circuit(t0, 'open'), t0)).toEqual([]);
    expect(engine.evaluate(circuit(t0 + 6 * minute, 'half-open'), t0 + 6 * minute)).toEqual([]);
    expect(kinds(engine.evaluate(circuit(t0 + 11 * minute, 'open'), t0 + 11 * minute))).toEqual([
      'fired circuit-open:erp',
    ]);
    expect(kinds(engine.evaluate(circuit(t0 + 12 * minute, 'closed'), t0 + 12 * minute))).toEqual([
      'resolved circuit-open:erp',
    ]);
    // a new outage starts a new count
    expect(engine.evaluate(circuit(t0 + 13 * minute, 'open'), t0 + 13 * minute)).toEqual([]);
  });

  it('keeps the message current between notifications and marks an expired certificate critical', () => {
    const engine = new AlertEngine();
    const cert = (notAfter: number): AlertInput => ({ certificates: [{ destination: 'api', notAfter }] });
    engine.evaluate(cert(t0 + 2 * day), t0);
    engine.evaluate(cert(t0 + 2 * day), t0 + 3 * day);
    expect(engine.active()[0]).toMatchObject({ severity: 'critical', title: 'Certificate of api expired' });
    expect(kinds(engine.evaluate({ certificates: [] }, t0 + 3 * day))).toEqual([
      'resolved certificate-expiry:api',
    ]);
  });

  it('does not alert on an old OAuth failure once a delivery succeeded, nor on other errors', () => {
    const engine = new AlertEngine();
    const destination = (lastError: string, lastSuccessAt?: number) => ({
      type: 'http',
      label: 'x',
      state: 'retrying' as const,
      consecutiveFailures: 1,
      lastError,
      lastErrorAt: t0,
      ...(lastSuccessAt !== undefined ? { lastSuccessAt } : {}),
    });
    expect(engine.evaluate(erp(t0, { destination: destination('HTTP 503') }), t0)).toEqual([]);
    expect(
      engine.evaluate(erp(t0, { destination: destination('cannot get an OAuth token from x', t0 + 1) }), t0),
    ).toEqual([]);
  });

  it('takes its thresholds from the alerts config, the disk floor from the outbox by default', () => {
    const defaults = alertThresholdsFrom(alertsConfigSchema.parse(undefined), 256);
    expect(defaults).toEqual({
      cooldownMs: hour,
      pendingAgeMs: 30 * minute,
      circuitOpenMs: 10 * minute,
      sourceLagMs: 15 * minute,
      minFreeDiskBytes: 256,
      certificateExpiryMs: 14 * day,
      diskForecastMs: 4 * hour,
    });
    const custom = alertThresholdsFrom(
      alertsConfigSchema.parse({
        cooldownMinutes: 5,
        minFreeDiskBytes: 1000,
        sourceLagMinutes: 1,
        diskForecastHours: 2,
      }),
      256,
    );
    expect(custom).toMatchObject({
      cooldownMs: 5 * minute,
      minFreeDiskBytes: 1000,
      sourceLagMs: minute,
      diskForecastMs: 2 * hour,
    });
    const engine = new AlertEngine(custom);
    engine.evaluate({ freeDiskBytes: 999 }, t0);
    expect(kinds(engine.evaluate({ freeDiskBytes: 999 }, t0 + 5 * minute))).toEqual([
      'repeated disk-low:agent',
    ]);
  });

  it('refuses a plain-http webhook off this machine in the config, naming the fix', () => {
    const bad = alertsConfigSchema.safeParse({ webhook: { url: 'http://alerts.example.com/hook' } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('use an https:// URL');
    expect(alertsConfigSchema.parse({ webhook: { url: 'http://127.0.0.1:9/hook' } }).webhook).toEqual({
      url: 'http://127.0.0.1:9/hook',
      timeoutMs: 10_000,
      maxQueue: 100,
    });
  });

  it('takes proxy and tls blocks as an HTTP destination does, with its defaults and checks', () => {
    const url = 'https://alerts.example.com/hook';
    const parsed = alertsConfigSchema.parse({
      webhook: {
        url,
        tls: { caFile: '/etc/ssl/corp-root.pem' },
        proxy: { username: 'alerts', password: { secretRef: 'alerts-proxy' } },
      },
    });
    expect(parsed.webhook).toMatchObject({
      tls: { caFile: '/etc/ssl/corp-root.pem' },
      proxy: { mode: 'env', noProxy: [], username: 'alerts', password: { secretRef: 'alerts-proxy' } },
    });
    const bad = alertsConfigSchema.safeParse({ webhook: { url, proxy: { mode: 'explicit' } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['webhook', 'proxy', 'url']);
    const inlinePassword = alertsConfigSchema.safeParse({ webhook: { url, proxy: { password: 'hunter2' } } });
    expect(inlinePassword.success).toBe(false);
  });
});

describe('AlertMonitor', () => {
  it('merges inputs that arrive separately, evaluates at its clock and tells every listener', () => {
    let now = t0;
    const monitor = new AlertMonitor(new AlertEngine(), () => now);
    const heard: string[] = [];
    const errors: unknown[] = [];
    const broken = new AlertMonitor(
      new AlertEngine(),
      () => now,
      (e) => errors.push(e),
    );
    broken.onTransition(() => {
      throw new Error('listener broke');
    });
    broken.onTransition((t) => heard.push(`second ${t.kind}`));
    broken.update({ freeDiskBytes: 1 });
    expect(heard).toEqual(['second fired']);
    expect(errors).toHaveLength(1);

    heard.length = 0;
    const off = monitor.onTransition((t) => heard.push(`${t.kind} ${t.alert.id}`));
    monitor.update({ freeDiskBytes: 1 });
    now += minute;
    monitor.update(erp(now, { dead: 1 }));
    expect(monitor.active().map((a) => a.id)).toEqual(['disk-low:agent', 'dead-letters:erp']);
    now += hour;
    monitor.update(erp(now, { dead: 1 })); // the disk input is kept and repeats too
    off();
    monitor.update({ freeDiskBytes: 10 * 1024 ** 3 });
    expect(heard).toEqual([
      'fired disk-low:agent',
      'fired dead-letters:erp',
      'repeated dead-letters:erp', // in rule order
      'repeated disk-low:agent',
    ]);
    expect(monitor.active().map((a) => a.id)).toEqual(['dead-letters:erp']);
  });
});
