// The HTML page of the sandbox ingest API: what arrived, clearly marked as a local sandbox.
import type { AppliedRecord } from './ingest-store.js';
import type { IngestStats } from './ingest-stats.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function renderSandboxPage(records: AppliedRecord[], stats: IngestStats, sandbox: boolean): string {
  const rows = records
    .map(
      (r) =>
        `<tr><td>${r.seq}</td><td>${new Date(r.appliedAt).toISOString()}</td><td>${escapeHtml(r.path)}</td>` +
        `<td>${escapeHtml(r.contentType)}</td><td>${r.body.length}</td><td><code>${escapeHtml(r.key.slice(0, 24))}…</code></td></tr>`,
    )
    .join('');
  const banner = sandbox
    ? '<p style="background:#fff3cd;padding:8px">SANDBOX: a local test API on this machine. Nothing here reaches a real cloud service.</p>'
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Ingest API${sandbox ? ' (sandbox)' : ''}</title></head>
<body style="font-family:sans-serif">${banner}<h1>Received records</h1>
<p>${stats.applied} applied, ${stats.duplicates} duplicate deliveries absorbed by their Idempotency-Key, ${stats.conflicts} key conflicts.</p>
<table border="1" cellpadding="4"><tr><th>#</th><th>Applied at</th><th>Path</th><th>Type</th><th>Bytes</th><th>Idempotency-Key</th></tr>${rows}</table>
</body></html>`;
}
