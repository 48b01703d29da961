// Builds an MQTT destination from its config: client options with secrets and TLS files, the connection and its facts.
import type { BuildContext } from '../../core/connector.js';
import { batchLimitsOf } from '../../core/message-batch.js';
import { BrokerConnection } from './broker-connection.js';
import { brokerTarget, clientOptions, defaultClientId } from './client-options.js';
import { isLoopbackHost, type MqttDestinationConfig } from './config.js';
import { MqttDestination } from './destination.js';
import { InFlightLimit } from './in-flight-limit.js';

/** How often the connection is tried again in the background while the broker is away. */
export const reconnectPeriodMs = 1000;

export function mqttLabel(config: Pick<MqttDestinationConfig, 'url' | 'topic'>): string {
  return `MQTT ${brokerTarget(config).hostPort} topic ${config.topic}`;
}

/** The connection id the engine gives each connection's logger, used for the default client id. */
function connectionIdOf(context: BuildContext): string | undefined {
  const bindings = context.logger.bindings() as { connection?: unknown };
  return typeof bindings.connection === 'string' ? bindings.connection : undefined;
}

function warningOf(config: MqttDestinationConfig): string | undefined {
  const target = brokerTarget(config);
  if (!target.tls && !isLoopbackHost(target.url.hostname))
    return `INSECURE: records to ${target.hostPort} travel unencrypted (allowInsecure is set)`;
  if (target.tls && !config.tls.rejectUnauthorized)
    return `INSECURE: the certificate of ${target.hostPort} is not verified (tls.rejectUnauthorized is false)`;
  return undefined;
}

export function createMqttDestination(config: MqttDestinationConfig, context: BuildContext): MqttDestination {
  const target = brokerTarget(config);
  const clientId = config.clientId ?? defaultClientId(connectionIdOf(context), config);
  const options = clientOptions({ config, secrets: context.secrets, clientId, reconnectPeriodMs });
  const place = {
    hostPort: target.hostPort,
    protocolVersion: config.protocolVersion,
    clientId,
    ...(config.username ? { username: config.username.secretRef } : {}),
    ...(config.password ? { password: config.password.secretRef } : {}),
  };
  const logger = context.logger.child({ component: 'mqtt' });
  const warning = warningOf(config);
  return new MqttDestination({
    connection: new BrokerConnection(options, place, logger),
    limit: new InFlightLimit(config.concurrency),
    concurrency: config.concurrency,
    topic: config.topic,
    qos: config.qos,
    retain: config.retain,
    protocolVersion: config.protocolVersion,
    ...(config.messageExpirySeconds !== undefined
      ? { messageExpirySeconds: config.messageExpirySeconds }
      : {}),
    connectTimeoutMs: config.connectTimeoutMs,
    publishTimeoutMs: config.publishTimeoutMs,
    reconnectPeriodMs,
    hostPort: target.hostPort,
    label: mqttLabel(config),
    facts: {
      broker: target.hostPort,
      protocol: config.protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1',
      qos: String(config.qos),
      tls: target.tls,
      auth: config.username || config.password ? 'password' : 'none',
    },
    ...(warning ? { warning } : {}),
    ...(config.batch ? { batching: batchLimitsOf(config.batch) } : {}),
  });
}
