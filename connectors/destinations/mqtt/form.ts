// The connection wizard's form of the MQTT destination: broker URL, topic, QoS, retain and the login secrets.
import {
  secretNameOf,
  secretRefOf,
  textOf,
  trimmed,
  withFields,
  type ConnectorForm,
  type ConnectorForms,
  type FormOption,
} from '../../core/connector-form.js';
import { mqttDestinationSchema } from './config.js';

const qosLevels: FormOption[] = [
  { value: '1', label: 'QoS 1: at least once (PUBACK)' },
  { value: '2', label: 'QoS 2: exactly once to the broker (PUBCOMP)' },
];
const retainChoices: FormOption[] = [
  { value: 'no', label: 'No' },
  { value: 'yes', label: 'Yes: the broker keeps the last message of each topic' },
];
const secretHelp =
  'Name of the stored secret (set its value under Settings → Secrets); never the secret itself';

export const mqttDestinationForm: ConnectorForm = {
  kind: 'destination',
  type: 'mqtt',
  title: 'MQTT broker',
  order: 30,
  fields: [
    {
      name: 'url',
      label: 'Broker URL',
      kind: 'text',
      required: true,
      placeholder: 'mqtts://broker.example.com:8883',
      help: 'mqtts:// for TLS; plain mqtt:// only to a broker on this machine',
      path: ['url'],
    },
    {
      name: 'topic',
      label: 'Topic',
      kind: 'text',
      required: true,
      placeholder: 'orders/{{businessKey}}',
      help: 'May use {{businessKey}}, {{idempotencyKey}} or {{record.<field>}}; no + or # wildcards',
      path: ['topic'],
    },
    { name: 'qos', label: 'Quality of service', kind: 'select', options: qosLevels, path: ['qos'] },
    { name: 'retain', label: 'Retain messages', kind: 'select', options: retainChoices, path: ['retain'] },
    { name: 'username', label: 'User name secret', kind: 'secret', help: secretHelp, path: ['username'] },
    { name: 'password', label: 'Password secret', kind: 'secret', help: secretHelp, path: ['password'] },
  ],
  fromConfig: (section) => ({
    url: textOf(section.url),
    topic: textOf(section.topic),
    qos: section.qos === 2 ? '2' : '1',
    retain: section.retain === true ? 'yes' : 'no',
    username: secretNameOf(section.username),
    password: secretNameOf(section.password),
  }),
  toConfig: (values, base) =>
    withFields(base, {
      type: 'mqtt',
      url: trimmed(values, 'url'),
      topic: trimmed(values, 'topic'),
      qos: values.qos === '2' ? 2 : 1,
      retain: values.retain === 'yes',
      username: secretRefOf(values, 'username'),
      password: secretRefOf(values, 'password'),
    }),
  schema: mqttDestinationSchema,
};

export const connectorForms: ConnectorForms = [mqttDestinationForm];
