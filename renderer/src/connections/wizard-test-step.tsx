// Wizard step 4: try the connection without saving it (reach, TLS, auth, dry run), then save it.
import type { JsonObject } from '../../../preload/contract/json-value.js';
import { AdminButton } from '../common/admin-button.js';
import { CheckList } from '../common/check-list.js';
import { ErrorBox } from '../common/error-box.js';
import { useAction } from '../common/use-action.js';
import { useAgent } from '../shell/agent-store.js';

interface TestStepProps {
  connection: JsonObject;
  editing: boolean;
  onSaved: (id: string) => void;
}

export function WizardTestStep({ connection, editing, onSaved }: TestStepProps) {
  const { api, status } = useAgent();
  const replacesSandbox = !editing && status?.sandbox === true;
  const test = useAction(() => api.testConnection({ connection }));
  const save = useAction(async () => {
    const saved = editing
      ? await api.updateConnection({ id: typeof connection.id === 'string' ? connection.id : '', connection })
      : await api.addConnection({ connection });
    onSaved(saved.id);
    return saved;
  });
  const overall = test.result?.overall;
  return (
    <section aria-labelledby="test-title">
      <h3 id="test-title">Test and save</h3>
      <p className="hint">
        The test tries the source and the destination without saving anything: can the agent reach them, does
        TLS verify, is the authentication accepted, does a dry-run request pass.
      </p>
      {replacesSandbox && (
        <p className="message" data-testid="replaces-sandbox">
          The agent runs the sandbox now. Saving this first connection replaces it: the agent writes a config
          file (config.yaml in its data directory, {status.dataDir}) with this connection, the sandbox
          connection stops and its inbox is no longer watched. What the sandbox captured stays in the history
          until retention removes it.
        </p>
      )}
      <div className="row">
        <AdminButton onClick={() => void test.run()} disabled={test.pending}>
          {test.pending ? 'Testing…' : 'Test connection'}
        </AdminButton>
        <AdminButton className="primary" onClick={() => void save.run()} disabled={save.pending}>
          {editing ? 'Save changes' : replacesSandbox ? 'Replace the sandbox and start' : 'Save and start'}
        </AdminButton>
      </div>
      <div aria-live="polite">
        {overall && (
          <p
            className={overall === 'fail' ? 'message error' : overall === 'warn' ? 'message' : 'message ok'}
            data-testid="test-overall"
          >
            {overall === 'pass'
              ? 'All checks passed.'
              : overall === 'warn'
                ? 'Checks passed with warnings: read them before saving.'
                : 'Some checks failed: see how to fix them below.'}
          </p>
        )}
        {test.result && <CheckList checks={test.result.checks} caption="Connection test results" />}
      </div>
      <ErrorBox error={test.error} title="Test failed" />
      <ErrorBox error={save.error} title="Not saved" />
    </section>
  );
}
