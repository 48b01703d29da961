// Network doctor: DNS, TCP, proxy, TLS, interception, clock and auth checks of one connection's destination (admin only).
import { useState } from 'react';
import { AdminButton, AdminHint } from '../common/admin-button.js';
import { CheckList } from '../common/check-list.js';
import { ErrorBox } from '../common/error-box.js';
import { FormField } from '../common/form-field.js';
import { dateTime } from '../common/format.js';
import { useAction } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';
import { parseRoute } from '../shell/use-route.js';

export function DoctorSection() {
  const { api, status } = useAgent();
  const [connection, setConnection] = useState(
    () => parseRoute(window.location.hash).params.get('doctor') ?? status?.connections[0]?.id ?? '',
  );
  const doctor = useAction(() => api.runDoctor({ connection }));
  const report = doctor.result;
  return (
    <section aria-labelledby="doctor-title" className="panel">
      <h3 id="doctor-title">Network doctor</h3>
      <p className="hint">
        Checks, step by step, why a destination cannot be reached, and says how to fix it.
      </p>
      <div className="toolbar">
        <FormField label="Connection">
          {(p) => (
            <select {...p} value={connection} onChange={(e) => setConnection(e.target.value)}>
              {status?.connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <AdminButton
          className="primary"
          onClick={() => void doctor.run()}
          disabled={!connection || doctor.pending}
        >
          {doctor.pending ? 'Checking…' : 'Run checks'}
        </AdminButton>
      </div>
      <AdminHint action="running the doctor (it sends a request with the destination's credentials)" />
      <ErrorBox error={doctor.error} title="The doctor could not run" />
      <div aria-live="polite">
        {report && (
          <>
            <p className={report.overall === 'fail' ? 'message error' : 'message ok'}>
              {report.destination}: {report.overall} ({dateTime(report.startedAt)})
            </p>
            <CheckList checks={report.checks} caption="Network doctor results" />
          </>
        )}
      </div>
    </section>
  );
}
