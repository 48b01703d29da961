// The AMQP 0-9-1 destination: its config schema, how it is built and its checks (one message per record, confirms).
import { defineDestination } from '../../core/connector.js';
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
});
