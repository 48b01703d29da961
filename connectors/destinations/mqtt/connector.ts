// The MQTT destination: its config schema, how it is built, its checks and the broker's certificate (no batching).
import { defineDestination } from '../../core/connector.js';
import { checkMqttDestination, mqttCertificates } from './checks.js';
import { mqttDestinationSchema } from './config.js';
import { createMqttDestination, mqttLabel } from './create-destination.js';

export const mqttConnector = defineDestination({
  kind: 'destination',
  type: 'mqtt',
  title: 'MQTT broker',
  schema: mqttDestinationSchema,
  capabilities: { batching: false },
  label: mqttLabel,
  create: createMqttDestination,
  check: checkMqttDestination,
  certificates: mqttCertificates,
});
