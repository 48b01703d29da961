// Settings: data dir (read-only), log level, outbox limits, network (proxy, extra CA, sending windows), data at rest, secrets.
import { useState, type FormEvent } from 'react';
import type { LogLevel, Settings } from '../agent-api.js';
import { AdminButton, AdminHint } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { bytes } from '../common/format.js';
import { useAction, useLoad } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import { DataAtRest } from './data-at-rest.js';
import { NetworkSettings } from './network-settings.js';
import { SecretsSection } from './secrets-section.js';

const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const limitFields = [
  ['maxPendingRecords', 'Pause capture above this many pending records', false],
  ['maxPendingBytes', 'Pause capture above this many pending bytes', true],
  ['minFreeDiskBytes', 'Pause capture below this much free disk (bytes)', true],
] as const;

function GeneralSettings({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { api } = useAgent();
  const [logLevel, setLogLevel] = useState<LogLevel>(settings.logLevel);
  const [limits, setLimits] = useState(() => ({
    maxPendingRecords: String(settings.limits.maxPendingRecords),
    maxPendingBytes: String(settings.limits.maxPendingBytes),
    minFreeDiskBytes: String(settings.limits.minFreeDiskBytes),
  }));
  const invalid = Object.entries(limits).filter(([, v]) => !/^\d+$/.test(v));
  const save = useAction(async () => {
    const next = await api.updateSettings({
      logLevel,
      limits: {
        maxPendingRecords: Number(limits.maxPendingRecords),
        maxPendingBytes: Number(limits.maxPendingBytes),
        minFreeDiskBytes: Number(limits.minFreeDiskBytes),
      },
    });
    onSaved(next);
    return next;
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid.length === 0) void save.run();
  };
  return (
    <form onSubmit={submit} aria-labelledby="general-title" className="panel">
      <h3 id="general-title">Agent</h3>
      <FormField
        label="Data directory"
        help="Where the outbox, logs and status live; set with --data-dir at start"
      >
        {(p) => <input {...p} value={settings.dataDir} readOnly size={60} />}
      </FormField>
      <FormField label="Config file" help="Changes made here are saved to this file">
        {(p) => <input {...p} value={settings.configFile} readOnly size={60} />}
      </FormField>
      <FormField label="Log level">
        {(p) => (
          <select {...p} value={logLevel} onChange={(e) => setLogLevel(e.target.value as LogLevel)}>
            {levels.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        )}
      </FormField>
      {limitFields.map(([field, label, isBytes]) => (
        <FormField
          key={field}
          label={label}
          help={isBytes && /^\d+$/.test(limits[field]) ? bytes(Number(limits[field])) : undefined}
          error={/^\d+$/.test(limits[field]) ? undefined : 'must be a whole number'}
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={limits[field]}
              onChange={(e) => setLimits({ ...limits, [field]: e.target.value })}
            />
          )}
        </FormField>
      ))}
      <AdminButton type="submit" className="primary" disabled={save.pending || invalid.length > 0}>
        Save
      </AdminButton>
      <div aria-live="polite">{save.result && <p className="message ok">Saved.</p>}</div>
      <ErrorBox error={save.error} title="Not saved" />
    </form>
  );
}

export function SettingsPage() {
  const { api } = useAgent();
  const loaded = useLoad(() => api.getSettings(), 'settings');
  const [saved, setSaved] = useState<Settings>();
  const settings = saved ?? loaded.result;
  return (
    <>
      <h2>Settings</h2>
      <AdminHint action="changing settings or secrets" />
      <ErrorBox error={loaded.error} title="Could not read the settings" />
      {settings && (
        <>
          <GeneralSettings settings={settings} onSaved={setSaved} />
          <section>
            <NetworkSettings settings={settings} onSaved={setSaved} />
          </section>
          <DataAtRest encrypted={settings.encryptedAtRest} />
        </>
      )}
      <SecretsSection />
    </>
  );
}
