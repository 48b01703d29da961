// Plain-words pieces of status text: real plurals and local clock times.

/** "1 record", "3 records", "1,408 files" (a regular English plural of `noun`). */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : `${noun}s`}`;
}

/** The local time of day, "10:42", for "since …" and "next try …" in status lines. */
export function clockTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
