// Builds an AMQP destination from its config: broker address, login from the secret store, TLS files read now.
import { batchLimitsOf } from '../../core/message-batch.js';
import type { SecretResolver } from '../../core/secret-ref.js';
import { amqpLabel, brokerAddress, isLoopbackHost, type AmqpDestinationConfig } from './config.js';
import { AmqpDestination } from './destination.js';
import { loadTls } from './tls-files.js';

export function createAmqpDestination(
  config: AmqpDestinationConfig,
  secrets: SecretResolver,
): AmqpDestination {
  const address = brokerAddress(config.url);
  const insecure = !address.tls && !isLoopbackHost(address.hostname);
  return new AmqpDestination({
    link: {
      address,
      username: config.username ?? 'guest',
      password: config.password ? secrets(config.password.secretRef) : 'guest',
      heartbeatSeconds: config.heartbeatSeconds,
      connectTimeoutMs: config.connectTimeoutMs,
      ...(address.tls ? { tls: loadTls(config.tls, address.hostname) } : {}),
    },
    label: amqpLabel(config),
    exchange: config.exchange,
    routingKey: config.routingKey,
    persistent: config.persistent,
    mandatory: config.mandatory,
    headers: config.headers,
    ...(config.batch ? { batching: batchLimitsOf(config.batch) } : {}),
    ...(insecure
      ? {
          warning: `INSECURE: records and the password to ${address.hostname} travel unencrypted (allowInsecure is set)`,
        }
      : {}),
  });
}
