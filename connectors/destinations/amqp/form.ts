// The connection wizard's form of the AMQP destination: broker URL, exchange, routing key, user and password secret.
import {
  secretNameOf,
  secretRefOf,
  textOf,
  trimmed,
  withFields,
  type ConnectorForm,
  type ConnectorForms,
} from '../../core/connector-form.js';
import { amqpDestinationSchema } from './config.js';

export const amqpDestinationForm: ConnectorForm = {
  kind: 'destination',
  type: 'amqp',
  title: 'AMQP broker (RabbitMQ)',
  order: 30,
  fields: [
    {
      name: 'url',
      label: 'Broker URL',
      kind: 'text',
      required: true,
      placeholder: 'amqps://broker.example.com:5671/vhost',
      help: 'Host, port and vhost, without user or password; amqp:// only to this machine',
      path: ['url'],
    },
    {
      name: 'exchange',
      label: 'Exchange',
      kind: 'text',
      placeholder: 'orders',
      help: 'Empty: the default exchange (the routing key is then the queue name); may use {{record.<field>}}',
      path: ['exchange'],
    },
    {
      name: 'routingKey',
      label: 'Routing key',
      kind: 'text',
      placeholder: 'orders.{{record.region}}',
      help: 'May use {{businessKey}}, {{idempotencyKey}}, {{record.<field>}}; at most 255 bytes',
      path: ['routingKey'],
    },
    {
      name: 'username',
      label: 'User name',
      kind: 'text',
      placeholder: 'integration-agent',
      help: 'Empty: guest (which RabbitMQ admits from this machine only)',
      path: ['username'],
    },
    {
      name: 'password',
      label: 'Password (secret name)',
      kind: 'secret',
      placeholder: 'rabbitmq-password',
      help: "Name of the password in the agent's secret store, never the password itself",
      path: ['password'],
    },
  ],
  fromConfig: (section) => ({
    url: textOf(section.url),
    exchange: textOf(section.exchange),
    routingKey: textOf(section.routingKey),
    username: textOf(section.username),
    password: secretNameOf(section.password),
  }),
  toConfig: (values, base) => {
    const username = trimmed(values, 'username');
    return withFields(base, {
      type: 'amqp',
      url: trimmed(values, 'url'),
      exchange: trimmed(values, 'exchange'),
      routingKey: trimmed(values, 'routingKey'),
      username: username === '' ? undefined : username,
      password: secretRefOf(values, 'password'),
    });
  },
  schema: amqpDestinationSchema,
};

export const connectorForms: ConnectorForms = [amqpDestinationForm];
