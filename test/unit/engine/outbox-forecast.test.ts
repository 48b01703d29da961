// Status with a real outbox: the forecast follows the outbox's net growth, and the disk-forecast alert fires from it.
import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../main/alerts/alert-engine.js';
import { defaultAlertThresholds } from '../../../main/alerts/alert-types.js';
import { agentConfigSchema } from '../../../main/config/schema.js';
import { OutboxForecaster } from '../../../main/engine/outbox-forecast.js';
import { buildSnapshot } from '../../../main/engine/status-snapshot.js';
import { formatStatus } from '../../../main/commands/format-status.js';
import { agentStatusSchema } from '../../../preload/contract/status.js';
import { batch, change, outboxHarness, leaseKeys, delivered } from '../outbox/outbox-fixture.js';

const harness = outboxHarness();
const minute = 60_000;
const MiB = 1024 * 1024;
const limits = agentConfigSchema.parse({ configVersion: 1 }).outbox;

describe('outbox forecast in status', () => {
  it('a growing outbox shows when it reaches the disk floor; draining it clears the forecast and the alert', () => {
    const { clock, outbox } = harness.setup();
    const forecaster = new OutboxForecaster(outbox);
    const freeDisk = 1000 * MiB;
    const floor = 100 * MiB;
    const snapshot = () =>
      buildSnapshot({
        version: '0.0.0-test',
        sandbox: false,
        dataDir: harness.dir(),
        startedAt: clock.now,
        state: 'running',
        notices: [],
        capturePausedReason: undefined,
        connections: [],
        paused: () => false,
        mapping: () => undefined,
        outbox,
        now: clock.now,
        forecast: forecaster.forecast(clock.now, limits),
      });

    // 10 KiB captured per minute for 10 minutes (600 KiB/h), nothing delivered.
    const payload = Buffer.alloc(10 * 1024, 'x');
    for (let m = 0; m <= 10; m++) {
      outbox.enqueue('conn-a', batch([change(`k-${m}`, { payload })]));
      forecaster.sample(clock.now, freeDisk, floor);
      if (m < 10) clock.advance(minute);
    }
    const growing = agentStatusSchema.parse(snapshot());
    const forecast = growing.outbox.forecast;
    expect(forecast?.limit).toBe('disk-floor');
    expect(forecast!.bytesPerHour).toBeCloseTo(600 * 1024, -2);
    // (1000 - 100) MiB of room at 600 KiB/h: 1536 h, 64 days.
    expect(forecast!.inMs).toBeCloseTo(((900 * MiB) / (600 * 1024)) * 60 * minute, -5);
    expect(forecast!.message).toMatch(/^disk floor reached in about 64 days/);
    expect(formatStatus(growing, clock.now)).toContain(forecast!.message);

    // Over the horizon: no alert. Within it (a 2000 h horizon): the disk-forecast alert fires on the agent.
    expect(new AlertEngine(defaultAlertThresholds).evaluate({ status: growing }, clock.now)).toEqual([]);
    const alerts = new AlertEngine({ ...defaultAlertThresholds, diskForecastMs: 2000 * 60 * minute });
    const fired = alerts.evaluate({ status: growing }, clock.now);
    expect(fired.map((t) => [t.kind, t.alert.rule, t.alert.subject, t.alert.severity])).toEqual([
      ['fired', 'disk-forecast', 'agent', 'warning'],
    ]);
    expect(fired[0]!.alert.message).toContain(forecast!.message);
    expect(fired[0]!.alert.message).toMatch(/Fix: /);

    // Delivery drains it for the next 15 minutes: net growth turns negative, the forecast and the alert go.
    const lease = leaseKeys(outbox);
    outbox.settle(
      lease.token,
      lease.records.map((r) => delivered(r, clock.now)),
    );
    for (let m = 1; m <= 15; m++) {
      clock.advance(minute);
      forecaster.sample(clock.now, freeDisk, floor);
    }
    const drained = snapshot();
    expect(drained.outbox.forecast).toBeUndefined();
    expect(alerts.evaluate({ status: drained }, clock.now).map((t) => t.kind)).toEqual(['resolved']);
  });

  it('with outbox.maxDatabaseBytes the file size cap can be the first limit', () => {
    const { clock, outbox } = harness.setup();
    const forecaster = new OutboxForecaster(outbox);
    const payload = Buffer.alloc(64 * 1024, 'y');
    for (let m = 0; m <= 5; m++) {
      outbox.enqueue('conn-a', batch([change(`k-${m}`, { payload })]));
      forecaster.sample(clock.now, 100_000 * MiB, 100 * MiB);
      if (m < 5) clock.advance(minute);
    }
    const fileBytes =
      (outbox.db.pragma('page_count', { simple: true }) as number) *
      (outbox.db.pragma('page_size', { simple: true }) as number);
    const forecast = forecaster.forecast(clock.now, {
      ...limits,
      maxDatabaseBytes: fileBytes + 64 * 1024 * 30,
    });
    expect(forecast?.limit).toBe('outbox-size');
    // 30 × 64 KiB of room at 64 KiB a minute.
    expect(forecast!.message).toMatch(/^outbox size limit reached in about 30 min/);
  });
});
