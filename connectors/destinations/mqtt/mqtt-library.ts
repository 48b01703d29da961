// mqtt.js loads on the first connect, not at start: an agent without an MQTT destination never pays for it.
import type * as Library from 'mqtt';

type MqttModule = typeof Library;

let loading: Promise<MqttModule> | undefined;

export function loadMqtt(): Promise<MqttModule> {
  loading ??= import('mqtt');
  return loading;
}
