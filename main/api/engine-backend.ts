// The AgentBackend of a running Engine: connections, records, dead letters, settings, secrets, logs, charts, doctor, diagnostics.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEventName } from '../../preload/contract/events.js';
import { validateConfig } from '../config/load-config.js';
import { currentConfigVersion } from '../config/schema.js';
import { bundleFileName } from '../diagnostics/bundle/bundle-file-name.js';
import { createRedactor } from '../diagnostics/redaction.js';
import { checkDestination } from '../../connectors/registry.js';
import { ConfigStore } from '../engine/config-store.js';
import { secretNamesIn } from '../engine/connection-secrets.js';
import type { Engine } from '../engine/engine.js';
import { EngineControl } from '../engine/engine-control.js';
import { logTailOf } from '../observability/logger.js';
import type { LogTail } from '../observability/log-tail.js';
import { ThroughputHistory } from '../observability/throughput-history.js';
import { assertSecretValue } from '../secrets/secret-name.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { AgentBackend, CallContext } from './agent-backend.js';
import { auditPage } from './audit-views.js';
import { startKeyRotation } from './key-rotation.js';
import { hasAdminPassphrase, verifyAdminPassphrase } from './admin-passphrase.js';
import { testConnection } from './connection-test.js';
import { toConnectionView } from './connection-views.js';
import { createMappingEditor } from './mapping-editor.js';
import { createRecordsPreview } from './records-preview.js';
import { ContractError, unavailable } from './contract-error.js';
import { subscribeEvents, toContractLogEvent, type AlertSource } from './event-feed.js';
import { toRecordSummary, toRecordTimeline } from './record-views.js';
import { SecretAccess } from './secret-access.js';
import { applySettingsUpdate, settingsOf } from './settings-view.js';

export interface EngineBackendOptions {
  engine: Engine;
  /** The config file the agent runs from; undefined (sandbox): changes create config.yaml in the data dir. */
  configFile?: string;
  /** The secret store to use instead of the one the config chooses (tests). */
  secretStore?: SecretStore;
  /** Default: the tail of the engine's logger when it was made by createLogger. */
  logTail?: LogTail;
  /** Default: a history fed by the engine's activity from now on. */
  throughput?: ThroughputHistory;
  alerts?: AlertSource;
  /** Limit of each network doctor step (default 10 s). */
  doctorTimeoutMs?: number;
}

const doctorTimeoutDefaultMs = 10_000;

export function createEngineBackend(options: EngineBackendOptions): AgentBackend & { close: () => void } {
  const { engine } = options;
  const control = new EngineControl(engine, new ConfigStore(options.configFile, engine.dataDir));
  const secrets = new SecretAccess(engine, options.secretStore);
  const logTail = options.logTail ?? logTailOf(engine.logger);
  /** Every admin change goes into the outbox's audit log with who and when (secret names only, never values). */
  const audit = (context: CallContext, action: string, target: string | null, detail?: unknown) =>
    engine.outbox.audit.record(Date.now(), context.actor, action, target, detail);
  const history = options.throughput ?? new ThroughputHistory();
  const offHistory = options.throughput
    ? () => undefined
    : engine.onActivity((a) => {
        if (a.kind === 'captured') history.record(a.connection, 'captured', a.records);
        if (a.kind === 'settled') {
          history.record(a.connection, 'delivered', a.delivered);
          history.record(a.connection, 'failed', a.retried + a.dead);
        }
      });
  const doctorTimeoutMs = options.doctorTimeoutMs ?? doctorTimeoutDefaultMs;
  const view = (id: string) =>
    toConnectionView(control.connection(id), engine.status(), engine.connections.isPaused(id));
  const notFoundRecord = (id: number) =>
    new ContractError('not-found', `there is no record #${id}`, 'search the records to find its id');

  /** The preview stays off the network; the exported bundle includes the doctor's report. Its code (zip writer) loads on use. */
  const bundle = async (withDoctor: boolean) => {
    const { buildDiagnosticBundle } = await import('../diagnostics/bundle/index.js');
    return buildDiagnosticBundle({
      dataDir: engine.dataDir,
      config: engine.currentConfig(),
      outbox: engine.outbox,
      status: engine.status(),
      secretValues: await secrets.referencedValues(),
      ...(withDoctor
        ? {
            doctor: () =>
              Promise.all(
                engine.currentConfig().connections.map(async (c) =>
                  checkDestination(c.destination, {
                    secrets: await secrets.resolverFor(c),
                    timeoutMs: doctorTimeoutMs,
                    connection: c.id,
                  }),
                ),
              ),
          }
        : {}),
    });
  };

  return {
    ...createMappingEditor(control, audit),
    ...createRecordsPreview(),
    status: () => engine.status(),
    listConnections: () => ({
      connections: engine.currentConfig().connections.map((c) => view(c.id)),
    }),
    getConnection: ({ id }) => view(id),
    async testConnection({ connection }) {
      const { config } = validateConfig(
        {
          configVersion: currentConfigVersion,
          secrets: engine.currentConfig().secrets,
          connections: [connection],
        },
        'the connection',
      );
      const [parsed] = config.connections;
      if (!parsed) throw new ContractError('invalid-argument', 'no connection to test');
      return testConnection(parsed, await secrets.resolverFor(parsed), doctorTimeoutMs);
    },
    async addConnection({ connection }, context) {
      const { id } = await control.addConnection(connection);
      audit(context, 'connection.add', id);
      return view(id);
    },
    async updateConnection({ id, connection }, context) {
      await control.updateConnection(id, connection);
      audit(context, 'connection.update', id);
      return view(id);
    },
    async removeConnection({ id }, context) {
      await control.removeConnection(id);
      const counts = engine.outbox.counts(id);
      audit(context, 'connection.remove', id, { pendingKept: counts.pending, deadKept: counts.dead });
      return { id, pendingKept: counts.pending, deadKept: counts.dead };
    },
    async pauseConnection({ id }, context) {
      await control.pauseConnection(id);
      audit(context, 'connection.pause', id);
      return view(id);
    },
    async resumeConnection({ id }, context) {
      await control.resumeConnection(id);
      audit(context, 'connection.resume', id);
      return view(id);
    },
    searchRecords({ query, connection, limit }) {
      const found = engine.outbox.search({ businessKey: query, idempotencyKey: query, limit: limit * 2 });
      const records = found.filter((r) => connection === undefined || r.connection === connection);
      return { records: records.slice(0, limit).map(toRecordSummary) };
    },
    recordTimeline({ id }, context) {
      // The receiver's answers stored encrypted are opened for admins only.
      const timeline = engine.outbox.timeline(id, { openAnswers: context.role === 'admin' });
      if (!timeline) throw notFoundRecord(id);
      return toRecordTimeline(timeline);
    },
    listDeadLetters({ connection, afterId, limit }) {
      const ids = connection !== undefined ? [connection] : engine.outbox.counters.connections();
      const records = ids
        .flatMap((c) => engine.outbox.deadLetters({ connection: c, limit, ...(afterId ? { afterId } : {}) }))
        .sort((a, b) => a.id - b.id)
        .slice(0, limit);
      const last = records.at(-1);
      return {
        records: records.map(toRecordSummary),
        ...(records.length === limit && last ? { nextAfterId: last.id } : {}),
      };
    },
    replayDeadLetters: ({ ids }, context) => engine.outbox.replay(ids, context.actor),
    discardDeadLetters: ({ ids }, context) => engine.outbox.discard(ids, context.actor),
    async previewDiagnostics() {
      const { files, totalBytes } = await bundle(false);
      return { files, totalBytes };
    },
    async exportDiagnostics() {
      const built = await bundle(true);
      const dir = join(engine.dataDir, 'diagnostics');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const fileName = bundleFileName();
      const path = join(dir, fileName);
      await built.writeTo(path);
      return { path, fileName, totalBytes: built.totalBytes };
    },
    getSettings: () => settingsOf(engine.currentConfig(), engine.dataDir, control.store.file),
    async updateSettings(update, context) {
      await control.updateConfig((raw) => applySettingsUpdate(raw, update));
      audit(context, 'settings.update', null, { changed: Object.keys(update) });
      return settingsOf(engine.currentConfig(), engine.dataDir, control.store.file);
    },
    async setSecret({ name, value }, context) {
      assertSecretValue(name, value);
      const store = await secrets.store();
      const replaced = (await store.list()).includes(name);
      await store.set(name, value);
      audit(context, replaced ? 'secret.replace' : 'secret.set', name); // the name only, never the value
      const users = engine.currentConfig().connections.filter((c) => secretNamesIn(c).includes(name));
      await engine.restartConnections(users.map((c) => c.id)); // a connection waiting for this secret starts now
      return { name, replaced };
    },
    async deleteSecret({ name }, context) {
      const store = await secrets.store();
      const deleted = await store.delete(name);
      if (deleted) audit(context, 'secret.delete', name);
      return { name, deleted };
    },
    rotateDataKey: ({ connection }, context) => {
      startKeyRotation(engine, connection);
      audit(context, 'data-key.rotate', connection);
      return { connection, started: true as const };
    },
    async listAuditLog(args) {
      const secretValues = await secrets.referencedValues().catch(() => []);
      return auditPage(engine.outbox.audit, args, createRedactor({ secretValues }));
    },
    async listSecretNames() {
      const store = await secrets.store();
      return { names: await store.list(), store: store.description };
    },
    recentLogs({ connection, level, limit }) {
      if (!logTail) throw unavailable('The recent log view', 'read the log files in <data dir>/logs instead');
      const events = logTail.recent({
        limit,
        ...(connection ? { connection } : {}),
        ...(level ? { level } : {}),
      });
      return { events: events.map(toContractLogEvent) };
    },
    throughput(args) {
      const series = history.series();
      const connection = args?.connection;
      return {
        series: connection === undefined ? series : series.filter((s) => s.connection === connection),
      };
    },
    async runDoctor({ connection }) {
      const config = control.connection(connection);
      return checkDestination(config.destination, {
        secrets: await secrets.resolverFor(config),
        timeoutMs: doctorTimeoutMs,
        connection,
      });
    },
    adminPassphraseSet: () => hasAdminPassphrase(engine.dataDir),
    verifyAdminPassphrase: (passphrase) => verifyAdminPassphrase(engine.dataDir, passphrase),
    subscribe: (listener: (event: AgentEventName, payload: unknown) => void) =>
      subscribeEvents({ engine, logTail, alerts: options.alerts }, listener),
    close: offHistory,
  };
}
