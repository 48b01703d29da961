// Settings, data at rest: whether the outbox encrypts what it stores, and (admin) a connection's data key rotation.
import { useState } from 'react';
import { AdminButton } from '../common/admin-button.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { useAction } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';

export function DataAtRest({ encrypted }: { encrypted: boolean }) {
  const { api, status } = useAgent();
  const connections = status?.connections ?? [];
  const [chosen, setChosen] = useState<string>();
  const connection = chosen ?? connections[0]?.id;
  const rotate = useAction(async () => (connection ? api.rotateDataKey({ connection }) : undefined));
  return (
    <section aria-labelledby="at-rest-title" className="panel">
      <h3 id="at-rest-title">Data at rest</h3>
      {!encrypted ? (
        <p data-testid="at-rest-state">
          Outbox payloads are stored unencrypted (protected by the data directory&apos;s file permissions). To
          encrypt them with AES-256-GCM, set <code>outbox.encryption.enabled: true</code> in the config file
          and restart the agent.
        </p>
      ) : (
        <>
          <p data-testid="at-rest-state">
            Payloads and stored server answers are encrypted with AES-256-GCM under a data key per connection,
            kept in the secret store as <code>outbox-key.&lt;connection id&gt;</code>. Back those secrets up:
            without its key a record cannot be read.
          </p>
          {connections.length > 0 && connection && (
            <div className="row">
              <FormField label="Connection">
                {(p) => (
                  <select {...p} value={connection} onChange={(e) => setChosen(e.target.value)}>
                    {connections.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
              <AdminButton onClick={() => void rotate.run()} disabled={rotate.pending}>
                Rotate data key
              </AdminButton>
            </div>
          )}
          <ErrorBox error={rotate.error} title="Rotation not started" />
          <div aria-live="polite">
            {rotate.result && (
              <p className="message ok" data-testid="rotation-started">
                Rotation of {rotate.result.connection}&apos;s data key started: new records use the new key at
                once, stored ones are re-encrypted in the background, then the old key is removed. The audit
                log records the end.
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
