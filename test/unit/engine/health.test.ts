// Connection health, the worst-of overall health, and the plain-words summary shown on every surface.
import { describe, expect, it } from 'vitest';
import { connectionHealth, overallHealth, summarize } from '../../../main/engine/health.js';
import type { ConnectionStatus, OverallHealth } from '../../../preload/contract/status.js';

type Facts = Omit<ConnectionStatus, 'health' | 'reason' | 'problems'>;
type Source = NonNullable<Facts['source']>;
type Destination = NonNullable<Facts['destination']>;

const now = 1_900_000_000_000;

function facts(overrides: Partial<Facts> = {}): Facts {
  return {
    id: 'invoices',
    name: 'Invoices',
    enabled: true,
    source: { type: 'folder', state: 'running', guarantee: 'at-least-once' },
    destination: {
      type: 'http',
      label: 'POST https://api.example.com',
      state: 'idle',
      consecutiveFailures: 0,
    },
    pending: 0,
    pendingBytes: 0,
    dead: 0,
    warnings: [],
    ...overrides,
  };
}

const source = (state: Source['state'], detail?: string): Source => ({
  type: 'folder',
  state,
  guarantee: 'at-least-once',
  ...(detail !== undefined ? { detail } : {}),
});

const destination = (state: Destination['state'], extra: Partial<Destination> = {}): Destination => ({
  type: 'http',
  label: 'POST https://api.example.com',
  state,
  consecutiveFailures: 0,
  ...extra,
});

function connection(
  name: string,
  health: OverallHealth,
  extra: Partial<ConnectionStatus> = {},
): ConnectionStatus {
  return { ...facts({ id: name.toLowerCase(), name }), health, ...extra };
}

describe('connectionHealth', () => {
  it('is in sync when everything is running and nothing waits', () => {
    expect(connectionHealth(facts())).toEqual({ health: 'in-sync' });
  });

  it('is stopped when disabled, whatever else is going on', () => {
    expect(connectionHealth(facts({ enabled: false, dead: 3, source: source('failed') }))).toEqual({
      health: 'stopped',
      reason: 'disabled in the config',
    });
  });

  it('needs attention when the source failed, with its detail', () => {
    expect(connectionHealth(facts({ source: source('failed', 'folder C:\\drop is gone') }))).toEqual({
      health: 'attention',
      reason: 'Capture failed: folder C:\\drop is gone',
      problems: ['Capture failed: folder C:\\drop is gone'],
    });
    expect(connectionHealth(facts({ source: source('failed') })).reason).toBe('Capture failed: no detail');
  });

  it('needs attention when records sit in the dead-letter queue, with real plurals', () => {
    expect(connectionHealth(facts({ dead: 2 })).reason).toBe(
      '2 records in the dead-letter queue need a decision',
    );
    expect(connectionHealth(facts({ dead: 1 })).reason).toBe(
      '1 record in the dead-letter queue needs a decision',
    );
  });

  it('needs attention when the source is degraded', () => {
    expect(connectionHealth(facts({ source: source('degraded', 'slow disk') })).reason).toBe(
      'Capture degraded: slow disk',
    );
  });

  it('names an outage with since, waiting records and next try, and a dead letter does not mask it', () => {
    const openedAt = new Date(2026, 11, 2, 10, 42).getTime();
    const probeAt = new Date(2026, 11, 2, 10, 47).getTime();
    const down = destination('circuit-open', {
      lastError: 'ECONNREFUSED: connection refused',
      circuit: {
        state: 'open',
        reason: 'opened after 5 consecutive failures',
        openedAt,
        probeAt,
        consecutiveFailures: 5,
      },
    });
    const result = connectionHealth(facts({ destination: down, pending: 3, dead: 1 }));
    expect(result.health).toBe('attention');
    expect(result.problems).toEqual([
      'Cannot deliver to POST https://api.example.com since 10:42 (circuit open: opened after 5 consecutive failures); ' +
        '3 records waiting, next try 10:47',
      '1 record in the dead-letter queue needs a decision',
    ]);
    expect(result.reason).toBe(result.problems?.join('; '));
  });

  it('needs attention while the destination is retrying, preferring detail over last error', () => {
    const withDetail = destination('retrying', { detail: 'server busy', lastError: 'HTTP 503' });
    expect(connectionHealth(facts({ destination: withDetail })).reason).toBe(
      'Cannot deliver to POST https://api.example.com (server busy)',
    );
    const withError = destination('retrying', { lastError: 'HTTP 503' });
    expect(connectionHealth(facts({ destination: withError })).reason).toMatch(/\(HTTP 503\)$/);
  });

  it('is catching up while capture is paused', () => {
    expect(connectionHealth(facts({ source: source('paused', 'outbox is full') }))).toEqual({
      health: 'catching-up',
      reason: 'Capture paused: outbox is full',
      problems: ['Capture paused: outbox is full'],
    });
  });

  it('is catching up while records wait for delivery', () => {
    expect(connectionHealth(facts({ pending: 12, destination: destination('sending') })).reason).toBe(
      '12 records waiting for delivery',
    );
  });

  it('is catching up, not in sync, while work waits at the source', () => {
    const busy = { ...source('running'), waiting: { count: 4799, unit: 'file' }, lagMs: 49_000 };
    expect(connectionHealth(facts({ source: busy, pending: 3 }))).toEqual({
      health: 'catching-up',
      reason: '4,799 files waiting at the source (oldest 49 s); 3 records waiting for delivery',
      problems: ['4,799 files waiting at the source (oldest 49 s)', '3 records waiting for delivery'],
    });
    const idle = { ...source('running'), waiting: { count: 0, unit: 'file' } };
    expect(connectionHealth(facts({ source: idle })).health).toBe('in-sync');
  });

  it('is stopped when the source or destination stopped with nothing pending', () => {
    expect(connectionHealth(facts({ source: source('stopped') }))).toEqual({ health: 'stopped' });
    expect(connectionHealth(facts({ destination: destination('stopped') }))).toEqual({ health: 'stopped' });
  });

  it('lists every cause worst first: failed source, outage, dead letters, pending', () => {
    const all = facts({
      source: source('failed', 'boom'),
      dead: 1,
      pending: 4,
      destination: destination('retrying'),
    });
    expect(connectionHealth(all).problems).toEqual([
      'Capture failed: boom',
      'Cannot deliver to POST https://api.example.com; 4 records waiting',
      '1 record in the dead-letter queue needs a decision',
    ]);
  });
});

describe('overallHealth', () => {
  it('is stopped when the agent is not running', () => {
    expect(overallHealth([connection('A', 'attention')], false)).toBe('stopped');
  });

  it('is in sync with no connections', () => {
    expect(overallHealth([], true)).toBe('in-sync');
  });

  it('picks the worst connection health', () => {
    expect(overallHealth([connection('A', 'in-sync'), connection('B', 'in-sync')], true)).toBe('in-sync');
    expect(overallHealth([connection('A', 'in-sync'), connection('B', 'catching-up')], true)).toBe(
      'catching-up',
    );
    expect(
      overallHealth(
        [connection('A', 'catching-up'), connection('B', 'attention'), connection('C', 'in-sync')],
        true,
      ),
    ).toBe('attention');
    expect(overallHealth([connection('A', 'attention'), connection('B', 'catching-up')], true)).toBe(
      'attention',
    );
  });
});

describe('summarize', () => {
  it('says all connections are in sync with the time of the last delivery', () => {
    const connections = [
      connection('A', 'in-sync', { lastDeliveredAt: now - 60_000 }),
      connection('B', 'in-sync', { lastDeliveredAt: now - 12_000 }),
      connection('C', 'in-sync'),
    ];
    expect(summarize(connections, 'in-sync', now)).toBe('All 3 connections in sync, last delivery 12 s ago.');
  });

  it('uses the singular for one connection and leaves out a delivery time that never happened', () => {
    expect(summarize([connection('A', 'in-sync')], 'in-sync', now)).toBe('The connection is in sync.');
  });

  it('switches to minutes and hours for older deliveries', () => {
    const at = (ms: number) =>
      summarize([connection('A', 'in-sync', { lastDeliveredAt: now - ms })], 'in-sync', now);
    expect(at(89_000)).toBe('The connection is in sync, last delivery 89 s ago.');
    expect(at(10 * 60_000)).toBe('The connection is in sync, last delivery 10 min ago.');
    expect(at(3 * 3_600_000)).toBe('The connection is in sync, last delivery 3 h ago.');
  });

  it('lists the names and reasons of the connections that need attention', () => {
    const connections = [
      connection('Invoices', 'attention', { reason: '2 record(s) in the dead-letter queue need a decision' }),
      connection('Orders', 'in-sync', { lastDeliveredAt: now - 5000 }),
      connection('Stock', 'attention', { reason: 'source: folder missing' }),
    ];
    expect(summarize(connections, 'attention', now)).toBe(
      '2 of 3 connections need attention: Invoices (2 record(s) in the dead-letter queue need a decision); ' +
        'Stock (source: folder missing), last delivery 5 s ago.',
    );
  });

  it('says which connections are catching up', () => {
    const connections = [
      connection('Invoices', 'catching-up', { reason: '4 records waiting for delivery' }),
      connection('Orders', 'in-sync'),
    ];
    expect(summarize(connections, 'catching-up', now)).toBe(
      '1 of 2 connections is catching up: Invoices (4 records waiting for delivery).',
    );
  });

  it('ignores disabled connections when counting', () => {
    const connections = [
      connection('A', 'in-sync', { lastDeliveredAt: now - 3000 }),
      connection('Off', 'stopped', { enabled: false, lastDeliveredAt: now - 1000 }),
    ];
    expect(summarize(connections, 'in-sync', now)).toBe('The connection is in sync, last delivery 3 s ago.');
  });

  it('says when no connections are configured', () => {
    expect(summarize([], 'in-sync', now)).toBe('No connections are configured yet.');
    expect(summarize([connection('Off', 'stopped', { enabled: false })], 'in-sync', now)).toBe(
      'No connections are configured yet.',
    );
  });

  it('says the agent is stopped when it is', () => {
    expect(summarize([connection('A', 'in-sync')], 'stopped', now)).toBe('The agent is stopped.');
  });
});

describe('overallHealth with disabled connections', () => {
  it('ignores a disabled (stopped) connection while the agent runs', () => {
    expect(overallHealth([connection('A', 'in-sync'), connection('B', 'stopped')], true)).toBe('in-sync');
    expect(overallHealth([connection('A', 'catching-up'), connection('B', 'stopped')], true)).toBe(
      'catching-up',
    );
  });
});
