// Network settings shared by every HTTP destination: proxy, extra CA file, sending windows.
import { useState, type FormEvent } from 'react';
import { formatWindowLines, parseWindowLines } from '../../../preload/contract/sending-window-spec.js';
import type { Settings } from '../agent-api.js';
import { AdminButton } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { useAction } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';

type ProxyMode = 'env' | 'none' | 'explicit';

export function NetworkSettings({
  settings,
  onSaved,
}: {
  settings: Settings;
  onSaved: (s: Settings) => void;
}) {
  const { api } = useAgent();
  const network = settings.network;
  const [mode, setMode] = useState<ProxyMode>(network?.proxy.mode ?? 'env');
  const [url, setUrl] = useState(network?.proxy.url ?? '');
  const [username, setUsername] = useState(network?.proxy.username ?? '');
  const [passwordSecret, setPasswordSecret] = useState(network?.proxy.passwordSecret ?? '');
  const [noProxy, setNoProxy] = useState((network?.proxy.noProxy ?? []).join(', '));
  const [caFile, setCaFile] = useState(network?.extraCaFile ?? '');
  const [timeZone, setTimeZone] = useState(network?.sendingWindows?.timeZone ?? '');
  const [windows, setWindows] = useState(formatWindowLines(network?.sendingWindows?.windows ?? []));
  const parsed = parseWindowLines(windows);
  const urlError =
    mode === 'explicit' && !/^https?:\/\/\S+$/.test(url) ? 'must be an http:// proxy URL' : undefined;
  const save = useAction(async () => {
    if (parsed.error !== undefined) return undefined;
    const next = await api.updateSettings({
      network: {
        proxy: {
          mode,
          ...(mode === 'explicit' ? { url } : {}),
          ...(username ? { username } : {}),
          ...(passwordSecret ? { passwordSecret } : {}),
          noProxy: noProxy
            .split(',')
            .map((h) => h.trim())
            .filter(Boolean),
        },
        extraCaFile: caFile.trim() ? caFile.trim() : null,
        sendingWindows:
          parsed.windows.length > 0 ? { ...(timeZone ? { timeZone } : {}), windows: parsed.windows } : null,
      },
    });
    onSaved(next);
    return next;
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!urlError && parsed.error === undefined) void save.run();
  };
  if (!network)
    return <p className="panel">Network settings apply to HTTP destinations; add a connection first.</p>;
  return (
    <form onSubmit={submit} aria-labelledby="network-title" className="panel">
      <h3 id="network-title">Network (every HTTP destination)</h3>
      {!network.uniform && (
        <p className="message">
          Connections have different network settings; saving here gives them all these values.
        </p>
      )}
      <FormField label="Proxy">
        {(p) => (
          <select {...p} value={mode} onChange={(e) => setMode(e.target.value as ProxyMode)}>
            <option value="env">From the environment (HTTPS_PROXY, NO_PROXY)</option>
            <option value="none">No proxy</option>
            <option value="explicit">This proxy</option>
          </select>
        )}
      </FormField>
      {mode === 'explicit' && (
        <>
          <FormField label="Proxy URL" error={urlError}>
            {(p) => (
              <input
                {...p}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="http://proxy:3128"
              />
            )}
          </FormField>
          <FormField label="Proxy login" help="Empty when the proxy needs none">
            {(p) => <input {...p} value={username} onChange={(e) => setUsername(e.target.value)} />}
          </FormField>
          <FormField label="Proxy password secret name" help="Name of the stored secret with the password">
            {(p) => (
              <input {...p} value={passwordSecret} onChange={(e) => setPasswordSecret(e.target.value)} />
            )}
          </FormField>
        </>
      )}
      <FormField label="Hosts reached without the proxy" help="Comma-separated">
        {(p) => <input {...p} value={noProxy} onChange={(e) => setNoProxy(e.target.value)} />}
      </FormField>
      <FormField
        label="Extra CA file"
        help="A PEM file with the corporate root CA, when TLS is inspected; empty for none"
      >
        {(p) => <input {...p} value={caFile} onChange={(e) => setCaFile(e.target.value)} size={50} />}
      </FormField>
      <FormField
        label="Sending windows"
        help="One per line, e.g. “mon,tue,wed,thu,fri 08:00-18:00”; empty: send at any time"
        error={parsed.error}
      >
        {(p) => (
          <textarea {...p} rows={3} cols={40} value={windows} onChange={(e) => setWindows(e.target.value)} />
        )}
      </FormField>
      <FormField label="Time zone of the windows" help="e.g. Europe/Berlin; empty: this machine's">
        {(p) => <input {...p} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />}
      </FormField>
      <AdminButton type="submit" className="primary" disabled={save.pending}>
        Save network settings
      </AdminButton>
      <div aria-live="polite">{save.result && <p className="message ok">Saved.</p>}</div>
      <ErrorBox error={save.error} title="Not saved" />
    </form>
  );
}
