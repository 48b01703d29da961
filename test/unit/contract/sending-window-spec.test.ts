// Sending windows as text (the settings page's editor), checked against the clock times the agent accepts.
import { describe, expect, it } from 'vitest';
import {
  clockText,
  formatWindowLines,
  parseWindowLines,
} from '../../../preload/contract/sending-window-spec.js';

describe('sending window text', () => {
  it('writes one line per window, days first when given, and reads it back', () => {
    const windows = [
      { days: ['mon' as const, 'tue' as const], from: '08:00', to: '18:00' },
      { from: '22:00', to: '06:00' },
    ];
    const text = formatWindowLines(windows);
    expect(text).toBe('mon,tue 08:00-18:00\n22:00-06:00');
    expect(parseWindowLines(text)).toEqual({ windows });
  });

  it('ignores blank lines, surrounding spaces and letter case', () => {
    expect(parseWindowLines('\n  SAT,Sun 10:00-24:00  \n\n')).toEqual({
      windows: [{ days: ['sat', 'sun'], from: '10:00', to: '24:00' }],
    });
  });

  it('reads empty text as no windows', () => {
    expect(parseWindowLines('')).toEqual({ windows: [] });
    expect(formatWindowLines([])).toBe('');
  });

  it('names the first line that is not a window and keeps the lines before it', () => {
    const parsed = parseWindowLines('mon 08:00-12:00\nmonday 13:00-17:00\nnonsense');
    expect(parsed.windows).toEqual([{ days: ['mon'], from: '08:00', to: '12:00' }]);
    expect(parsed.error).toBe(
      'line 2 (“monday 13:00-17:00”): write “mon,tue 08:00-18:00” (days from mon…sun, optional)',
    );
  });

  it('refuses times the agent would refuse', () => {
    expect(parseWindowLines('25:00-18:00').error).toBe(
      'line 1 (“25:00-18:00”): 25:00 is not a 24-hour time; use 00:00…23:59 (24:00 as an end)',
    );
    expect(parseWindowLines('24:00-06:00').error).toMatch(/24:00 is not a 24-hour time/);
    expect(parseWindowLines('08:00-18:60').error).toMatch(/18:60 is not a 24-hour time/);
  });
});

describe('clockText', () => {
  it('writes minutes since midnight as HH:MM', () => {
    expect(clockText(0)).toBe('00:00');
    expect(clockText(8 * 60 + 5)).toBe('08:05');
    expect(clockText(24 * 60)).toBe('24:00');
  });
});
