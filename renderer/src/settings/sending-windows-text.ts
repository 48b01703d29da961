// Sending windows as editable text: one line per window, "mon,tue 08:00-18:00" (days optional).
import type { Settings } from '../agent-api.js';

type WindowSettings = NonNullable<NonNullable<Settings['network']>['sendingWindows']>;
type Day = NonNullable<WindowSettings['windows'][number]['days']>[number];
const days: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const isDay = (d: string): d is Day => (days as readonly string[]).includes(d);

export function windowsText(settings: WindowSettings | null): string {
  return (settings?.windows ?? [])
    .map((w) => `${w.days?.length ? `${w.days.join(',')} ` : ''}${w.from}-${w.to}`)
    .join('\n');
}

export function parseWindows(text: string): { windows: WindowSettings['windows']; error?: string } {
  const windows: WindowSettings['windows'] = [];
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [index, line] of lines.entries()) {
    const match = /^(?:([a-z,]+)\s+)?(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(line.toLowerCase());
    const dayList = match?.[1]?.split(',').filter(Boolean) ?? [];
    if (!match?.[2] || !match[3] || !dayList.every(isDay)) {
      return {
        windows,
        error: `line ${index + 1} (“${line}”): write “mon,tue 08:00-18:00” (days from mon…sun, optional)`,
      };
    }
    windows.push({
      ...(dayList.length ? { days: dayList.filter(isDay) } : {}),
      from: match[2],
      to: match[3],
    });
  }
  return { windows };
}
