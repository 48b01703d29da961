// Plain-words formatting of times, durations, counts and sizes for the UI.

/** "12 s ago", "4 min ago", "3 h ago"; "never" when absent. */
export function ago(at: number | undefined, now: number): string {
  if (at === undefined || at <= 0) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** "850 ms", "12 s", "4 min", "3 h". */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** "1 record", "2 records": a real plural, never "record(s)". */
export function plural(n: number, noun: string): string {
  return `${count(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/** The one convention for lag: "none" when nothing waits, else how long the oldest change has waited. */
export function lag(ms: number | undefined, waiting: number): string {
  if (waiting === 0 && (ms === undefined || ms < 1000)) return 'none';
  return ms === undefined ? 'unknown' : duration(ms);
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-02 14:20:05 UTC+01:00": local time, never ambiguous between day-month and month-day orders. */
export function dateTime(at: number): string {
  const d = new Date(at);
  const offset = -d.getTimezoneOffset();
  const zone = `UTC${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}
