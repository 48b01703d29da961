// Tray icon appearance: a BGRA dot in the health colour with transparent corners, and a bounded tooltip.
import { describe, expect, it } from 'vitest';
import { healthColours, trayAppearance } from '../../../main/engine/tray-appearance.js';
import type { AgentStatus, OverallHealth } from '../../../preload/contract/status.js';

function status(health: OverallHealth, overrides: Partial<AgentStatus> = {}): AgentStatus {
  return {
    version: '0.1.0',
    pid: 1234,
    sandbox: false,
    dataDir: '/var/lib/integration-agent',
    startedAt: 0,
    updatedAt: 0,
    state: 'running',
    health,
    summary: 'All 2 connections in sync.',
    notices: [],
    outbox: { pending: 0, pendingBytes: 0, dead: 0, capturePaused: false },
    connections: [],
    ...overrides,
  };
}

function pixel(bitmap: Buffer, size: number, x: number, y: number): number[] {
  const at = (y * size + x) * 4;
  return [...bitmap.subarray(at, at + 4)];
}

const healths: OverallHealth[] = ['in-sync', 'catching-up', 'attention', 'stopped'];

describe('trayAppearance', () => {
  it.each([16, 32, 15])('makes a %i px square bitmap of 4 bytes per pixel', (size) => {
    const { bitmap, size: reported } = trayAppearance(status('in-sync'), size);
    expect(reported).toBe(size);
    expect(bitmap.length).toBe(size * size * 4);
  });

  it('defaults to 16 px', () => {
    expect(trayAppearance(status('in-sync')).bitmap.length).toBe(16 * 16 * 4);
  });

  it.each(healths)('paints the centre opaque in the %s colour, in BGRA order', (health) => {
    const [r, g, b] = healthColours[health];
    for (const size of [16, 15]) {
      const { bitmap } = trayAppearance(status(health), size);
      const mid = Math.floor(size / 2);
      expect(pixel(bitmap, size, mid, mid)).toEqual([b, g, r, 255]);
    }
  });

  it('gives each health its own colour', () => {
    const colours = new Set(healths.map((h) => healthColours[h].join(',')));
    expect(colours.size).toBe(healths.length);
  });

  it('leaves the corners fully transparent', () => {
    const size = 16;
    const { bitmap } = trayAppearance(status('attention'), size);
    for (const [x, y] of [
      [0, 0],
      [size - 1, 0],
      [0, size - 1],
      [size - 1, size - 1],
    ] as const) {
      expect(pixel(bitmap, size, x, y)).toEqual([0, 0, 0, 0]);
    }
  });

  it('prefixes the tooltip with the agent name', () => {
    expect(trayAppearance(status('in-sync')).tooltip).toBe('Integration agent: All 2 connections in sync.');
  });

  it('marks the sandbox in the tooltip', () => {
    expect(trayAppearance(status('in-sync', { sandbox: true })).tooltip).toBe(
      'Integration agent (sandbox): All 2 connections in sync.',
    );
  });

  it('keeps the tooltip within 127 characters', () => {
    const { tooltip } = trayAppearance(status('attention', { summary: 'x'.repeat(500), sandbox: true }));
    expect(tooltip.length).toBe(127);
    expect(tooltip.startsWith('Integration agent (sandbox): xxx')).toBe(true);
  });
});
