// Wires metrics, the throughput history and alerts (with the optional webhook) to a running engine, in one call.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { resolverOf, type SecretResolver } from '../../connectors/core/secret-ref.js';
import { AlertEngine, alertThresholdsFrom } from '../alerts/alert-engine.js';
import { AlertMonitor } from '../alerts/alert-monitor.js';
import { AlertWebhook } from '../alerts/alert-webhook.js';
import type { AlertWebhookConfig } from '../config/alerts-config.js';
import type { AgentConfig } from '../config/schema.js';
import { watchCertificates } from './certificate-watch.js';
import { AgentMetrics } from '../observability/metrics.js';
import { seedThroughput } from '../observability/outbox-activity.js';
import { ThroughputHistory } from '../observability/throughput-history.js';
import { freeDiskBytes } from '../outbox/backpressure.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import { resolveSecrets } from '../secrets/resolve-secrets.js';
import { secretNamesIn } from './connection-secrets.js';
import type { Engine } from './engine.js';
import { bindEngineObservability } from './metrics-binding.js';
import { diskFloorFor } from '../outbox/backpressure.js';

export interface AgentObservability {
  metrics: AgentMetrics;
  history: ThroughputHistory;
  alerts: AlertMonitor;
  stop(): Promise<void>;
}

/**
 * The secrets the webhook config names (signing key, client key passphrase, proxy password), fetched as connections'
 * are; undefined with the reason logged when one cannot be read (webhook alerts are off, alerts still reach the UI).
 */
async function webhookSecrets(
  hook: AlertWebhookConfig,
  config: AgentConfig,
  dataDir: string,
  logger: Logger,
): Promise<SecretResolver | undefined> {
  const names = [...(hook.secretRef ? [hook.secretRef] : []), ...secretNamesIn([hook.tls, hook.proxy])];
  if (names.length === 0) return resolverOf(new Map());
  try {
    const store = await openSecretStore(config.secrets, dataDir);
    return resolverOf(await resolveSecrets(names, store, { dataDir }));
  } catch (error) {
    logger.error(
      { err: error },
      `the alert webhook secrets (${names.join(', ')}) could not be read: webhook alerts are off. ` +
        `Fix: integration-agent secrets set <name>`,
    );
    return undefined;
  }
}

/** The webhook, or undefined (logged) when its secrets or its TLS and proxy settings cannot be used. */
async function startWebhook(
  config: AgentConfig,
  dataDir: string,
  logger: Logger,
): Promise<AlertWebhook | undefined> {
  const hook = config.alerts.webhook;
  if (!hook) return undefined;
  const secrets = await webhookSecrets(hook, config, dataDir, logger);
  if (!secrets) return undefined;
  try {
    return new AlertWebhook({
      url: hook.url,
      timeoutMs: hook.timeoutMs,
      maxQueue: hook.maxQueue,
      tls: hook.tls,
      proxy: hook.proxy,
      secrets,
      agent: hostname(),
      logger: logger.child({ component: 'alerts' }),
      ...(hook.secretRef ? { secret: secrets(hook.secretRef) } : {}),
    });
  } catch (error) {
    logger.error({ err: error }, 'the alert webhook cannot start: webhook alerts are off');
    return undefined;
  }
}

export async function startObservability(
  engine: Engine,
  config: AgentConfig,
  dataDir: string,
  logger: Logger,
): Promise<AgentObservability> {
  const metrics = new AgentMetrics();
  const history = new ThroughputHistory();
  const alerts = new AlertMonitor(
    new AlertEngine(
      alertThresholdsFrom(config.alerts, diskFloorFor(dataDir, config.outbox.minFreeDiskBytes).floor),
    ),
    Date.now,
    (err) => logger.error({ err }, 'an alert listener failed'),
  );
  const webhook = await startWebhook(config, dataDir, logger);
  if (webhook) alerts.onTransition((t) => webhook.send(t));
  alerts.onTransition((t) =>
    logger.warn(
      { alert: t.alert.rule, transition: t.kind, subject: t.alert.subject, message: t.alert.message },
      t.alert.title,
    ),
  );
  const unbind = bindEngineObservability(
    engine,
    metrics,
    history,
    config.alerts.enabled ? alerts : undefined,
    {
      freeDiskBytes: () => freeDiskBytes(dataDir),
      onError: (err) => logger.warn({ err }, 'observability update failed'),
    },
  );
  // The charts keep the last hour across a restart: the outbox has it. Seeded after start, in steps, from the moment
  // the live events above are bound (nothing is counted twice or missed in between: no await since binding).
  let stopped = false;
  const ids = engine.currentConfig().connections.map((c) => c.id);
  const seeded = seedThroughput(history, engine.outbox.db, ids, Date.now(), { stopped: () => stopped }).catch(
    (err: unknown) => logger.warn({ err }, 'the throughput charts could not be filled from the outbox'),
  );
  const stopCertificateWatch = config.alerts.enabled
    ? watchCertificates(engine, alerts, logger)
    : () => undefined;
  return {
    metrics,
    history,
    alerts,
    async stop() {
      stopped = true;
      await seeded;
      stopCertificateWatch();
      unbind();
      await webhook?.close();
    },
  };
}
