// A timeline event's detail in plain words: the receiver's code, latency, reason, request, retry time and receipt.
import { bytes, dateTime, duration } from '../common/format.js';

type Detail = Record<string, unknown> | null;

const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === undefined || v === null ? undefined : JSON.stringify(v);
};

const objectOf = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** "POST https://api.example.com/v1 · 1.2 KiB, 3 records" (timelines from before transport-neutral ones: method/url). */
function requestText(v: unknown): string | undefined {
  const r = objectOf(v);
  if (!r) return undefined;
  const what = [text(r.operation ?? r.method), text(r.target ?? r.url)].filter(Boolean).join(' ');
  const size = typeof r.bytes === 'number' ? bytes(r.bytes) : undefined;
  const records = typeof r.records === 'number' && r.records > 1 ? `${r.records} records` : undefined;
  return [what, [size, records].filter(Boolean).join(', ')].filter(Boolean).join(' · ');
}

/** "HTTP 400 · {"error": "bad"}" with the excerpt pretty-printed when it is JSON. */
function responseText(v: unknown): string | undefined {
  const r = objectOf(v);
  if (!r) return undefined;
  const code = text(r.code) ?? (typeof r.status === 'number' ? `HTTP ${r.status}` : undefined);
  const raw = text(r.excerpt ?? r.bodyExcerpt) ?? '';
  let excerpt = raw;
  try {
    excerpt = raw ? JSON.stringify(JSON.parse(raw), null, 1).replace(/\n\s*/g, ' ') : '';
  } catch {
    // not JSON: shown as it came
  }
  return [code, excerpt].filter(Boolean).join(' · ');
}

function receiptText(v: unknown): string | undefined {
  const r = objectOf(v);
  if (!r) return undefined;
  const code = text(r.code) ?? (typeof r.status === 'number' ? `HTTP ${r.status}` : undefined);
  return [code, r.serverId !== undefined ? `server id ${text(r.serverId)}` : undefined]
    .filter(Boolean)
    .join(', ');
}

const known = new Set([
  'status',
  'code',
  'latencyMs',
  'error',
  'reason',
  'request',
  'response',
  'retryAt',
  'receipt',
]);

/** The parts of one event's detail, in reading order. */
export function eventDetailParts(detail: Detail): string[] {
  const d = detail ?? {};
  // `code` is the receiver's answer ("HTTP 503"); timelines written before it was transport-neutral hold `status`.
  const code = text(d.code) ?? (d.status !== undefined ? `HTTP ${text(d.status)}` : undefined);
  const parts: string[] = [];
  if (code) parts.push(code);
  if (typeof d.latencyMs === 'number') parts.push(duration(d.latencyMs));
  const error = text(d.error) ?? text(d.reason);
  if (error) parts.push(error);
  const request = requestText(d.request);
  if (request) parts.push(`sent ${request}`);
  const response = responseText(d.response);
  if (response) parts.push(`answer ${response}`);
  const receipt = receiptText(d.receipt);
  if (receipt) parts.push(`receipt ${receipt}`);
  if (typeof d.retryAt === 'number') parts.push(`next try ${dateTime(d.retryAt)}`);
  for (const [k, v] of Object.entries(d)) {
    if (!known.has(k) && v !== null && v !== undefined) parts.push(`${k}: ${text(v) ?? ''}`);
  }
  return parts;
}
