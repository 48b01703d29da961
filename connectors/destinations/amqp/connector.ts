// The AMQP 0-9-1 destination: its config schema, how it is built, its checks and the broker certificate (no batching).
import { defineDestination } from '../../core/connector.js';
import { amqpCertificates } from './certificates.js';
import { checkAmqpDestination } from './checks.js';
import { amqpDestinationSchema, amqpLabel } from './config.js';
import { createAmqpDestination } from './create-destination.js';

export const amqpConnector = defineDestination({
  kind: 'destination',
  type: 'amqp',
  title: 'AMQP broker (RabbitMQ)',
  schema: amqpDestinationSchema,
  capabilities: { batching: false },
  label: amqpLabel,
  create: (config, { secrets }) => createAmqpDestination(config, secrets),
  check: checkAmqpDestination,
  certificates: amqpCertificates,
});
