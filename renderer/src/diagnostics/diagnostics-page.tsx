// Diagnostics: preview what a redacted support bundle contains, export it, and run the network doctor.
import { AdminButton, AdminHint } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { errorText } from '../common/error-text.js';
import { bytes } from '../common/format.js';
import { useAction } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import type { DownloadedBundle } from '../transport/console-client.js';
import { DoctorSection } from './doctor-section.js';

function Unavailable({ error, title }: { error: unknown; title: string }) {
  if (error === undefined) return null;
  const text = errorText(error);
  if (text.code !== 'unavailable') return <ErrorBox error={error} title={title} />;
  return (
    <div className="message" role="alert" data-testid="diagnostics-unavailable">
      <strong>Not available in this agent: </strong>
      {text.message}
      {text.hint && <div>{text.hint}</div>}
    </div>
  );
}

/** Hands a received file to the browser's download, as a link click would. */
function saveInBrowser({ blob, fileName }: DownloadedBundle): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function DiagnosticsPage() {
  const { api, downloadBundle } = useAgent();
  const preview = useAction(() => api.previewDiagnostics());
  // In a browser the bundle is downloaded (a copy stays on the agent machine); the desktop app saves it there.
  const exported = useAction(async () => {
    if (!downloadBundle) return { ...(await api.exportDiagnostics()), downloaded: false };
    const file = await downloadBundle();
    saveInBrowser(file);
    return { path: file.savedTo, fileName: file.fileName, totalBytes: file.blob.size, downloaded: true };
  });
  const action = downloadBundle ? 'Download bundle' : 'Export bundle';
  return (
    <>
      <h2>Diagnostics</h2>
      <section aria-labelledby="bundle-title" className="panel">
        <h3 id="bundle-title">Support bundle</h3>
        <p className="hint">
          A zip for the support team: status, recent logs, config and outbox statistics, with secrets, tokens
          and personal data redacted. Preview it before you send it.
        </p>
        <AdminHint action="previewing or exporting a bundle" />
        <div className="row">
          <AdminButton onClick={() => void preview.run()} disabled={preview.pending}>
            {preview.pending ? 'Preparing…' : 'Preview bundle'}
          </AdminButton>
          <AdminButton className="primary" onClick={() => void exported.run()} disabled={exported.pending}>
            {exported.pending ? 'Exporting…' : action}
          </AdminButton>
        </div>
        <Unavailable error={preview.error} title="Preview failed" />
        <Unavailable error={exported.error} title="Export failed" />
        <div aria-live="polite">
          {exported.result && (
            <p className="message ok" data-testid="bundle-saved">
              {exported.result.downloaded ? 'Downloaded' : 'Saved'} {exported.result.fileName} (
              {bytes(exported.result.totalBytes)})
              {exported.result.downloaded
                ? `; the agent keeps a copy at ${exported.result.path}.`
                : ` to ${exported.result.path}.`}
            </p>
          )}
        </div>
        {preview.result && (
          <>
            <p>
              {preview.result.files.length} files, {bytes(preview.result.totalBytes)} in total.
            </p>
            <ul>
              {preview.result.files.map((f) => (
                <li key={f.name}>
                  <details>
                    <summary>
                      {f.name} <span className="hint">({bytes(f.bytes)})</span>
                    </summary>
                    <pre className="sample">{f.sample}</pre>
                  </details>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <DoctorSection />
    </>
  );
}
