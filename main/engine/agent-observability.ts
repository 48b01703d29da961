// Wires metrics, the throughput history and alerts (with the optional webhook) to a running engine, in one call.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { AlertEngine, alertThresholdsFrom } from '../alerts/alert-engine.js';
import { AlertMonitor } from '../alerts/alert-monitor.js';
import { AlertWebhook } from '../alerts/alert-webhook.js';
import type { AgentConfig } from '../config/schema.js';
import { watchCertificates } from '../observability/certificate-watch.js';
import { AgentMetrics } from '../observability/metrics.js';
import { ThroughputHistory } from '../observability/throughput-history.js';
import { freeDiskBytes } from '../outbox/backpressure.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import type { Engine } from './engine.js';
import { bindEngineObservability } from './metrics-binding.js';

export interface AgentObservability {
  metrics: AgentMetrics;
  history: ThroughputHistory;
  alerts: AlertMonitor;
  stop(): Promise<void>;
}

/** The webhook's signing secret, or undefined with the reason logged (alerts still reach the UI). */
async function webhookSecret(
  config: AgentConfig,
  dataDir: string,
  logger: Logger,
): Promise<string | undefined> {
  const ref = config.alerts.webhook?.secretRef;
  if (!ref) return undefined;
  try {
    return await (await openSecretStore(config.secrets, dataDir)).get(ref);
  } catch (error) {
    logger.error(
      { err: error },
      `the alert webhook secret "${ref}" could not be read: webhook alerts are off. ` +
        `Fix: integration-agent secrets set ${ref}`,
    );
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
    new AlertEngine(alertThresholdsFrom(config.alerts, config.outbox.minFreeDiskBytes)),
    Date.now,
    (err) => logger.error({ err }, 'an alert listener failed'),
  );
  const hook = config.alerts.webhook;
  const secret = await webhookSecret(config, dataDir, logger);
  const webhook =
    hook && (secret !== undefined || !hook.secretRef)
      ? new AlertWebhook({
          url: hook.url,
          timeoutMs: hook.timeoutMs,
          maxQueue: hook.maxQueue,
          agent: hostname(),
          logger: logger.child({ component: 'alerts' }),
          ...(secret !== undefined ? { secret } : {}),
        })
      : undefined;
  if (webhook) alerts.onTransition((t) => webhook.send(t));
  alerts.onTransition((t) =>
    logger.warn({ alert: t.alert.rule, transition: t.kind, subject: t.alert.subject }, t.alert.title),
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
  const stopCertificateWatch = config.alerts.enabled
    ? watchCertificates(engine, alerts, logger)
    : () => undefined;
  return {
    metrics,
    history,
    alerts,
    async stop() {
      stopCertificateWatch();
      unbind();
      await webhook?.close();
    },
  };
}
