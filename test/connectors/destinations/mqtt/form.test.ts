// The MQTT destination's wizard form: defaults, round trip with secrets, schema issues on their fields.
import { describe, expect, it } from 'vitest';
import { checkForm, type JsonObject } from '../../../../connectors/core/connector-form.js';
import { mqttDestinationForm } from '../../../../connectors/destinations/mqtt/form.js';

describe('MQTT destination form', () => {
  it('round-trips a saved section and keeps fields the form does not show', () => {
    const saved: JsonObject = {
      type: 'mqtt',
      url: 'mqtts://broker.example.com:8883',
      topic: 'orders/{{businessKey}}',
      qos: 2,
      retain: true,
      username: { secretRef: 'mqtt-user' },
      password: { secretRef: 'mqtt-password' },
      clientId: 'plant-7',
      tls: { caFile: '/etc/ca.pem' },
    };
    const values = mqttDestinationForm.fromConfig(saved);
    expect(values).toEqual({
      url: 'mqtts://broker.example.com:8883',
      topic: 'orders/{{businessKey}}',
      qos: '2',
      retain: 'yes',
      username: 'mqtt-user',
      password: 'mqtt-password',
    });
    expect(mqttDestinationForm.toConfig(values, saved)).toEqual(saved);
    expect(checkForm(mqttDestinationForm, values, saved)).toEqual({ fields: {}, other: [] });
  });

  it('starts with QoS 1 and no login; empty secrets are left out; problems land on their fields', () => {
    const values = { ...mqttDestinationForm.fromConfig({}), url: 'mqtt://broker.example.com', topic: 'a/#' };
    expect(values).toMatchObject({ qos: '1', retain: 'no', username: '', password: '' });
    const section = mqttDestinationForm.toConfig(values, {});
    expect(section).not.toHaveProperty('username');
    expect(section).not.toHaveProperty('password');
    const problems = checkForm(mqttDestinationForm, values, {});
    expect(Object.keys(problems.fields).sort()).toEqual(['topic', 'url']);
    expect(problems.fields.url).toMatch(/plain mqtt to broker\.example\.com/);
    expect(checkForm(mqttDestinationForm, { ...values, url: '' }, {}).fields.url).toBe('is required');
  });
});
