// The AMQP destination's wizard form: round trip, the password as a secret name, schema issues on their fields.
import { describe, expect, it } from 'vitest';
import { checkForm, type JsonObject } from '../../../../connectors/core/connector-form.js';
import { amqpDestinationForm } from '../../../../connectors/destinations/amqp/form.js';

describe('AMQP destination form', () => {
  it('round-trips a saved section and keeps fields the form does not show', () => {
    const saved: JsonObject = {
      type: 'amqp',
      url: 'amqps://broker.example.com:5671/sales',
      exchange: 'orders',
      routingKey: 'orders.{{record.region}}',
      username: 'agent',
      password: { secretRef: 'rabbit-password' },
      persistent: false,
    };
    const values = amqpDestinationForm.fromConfig(saved);
    expect(values).toEqual({
      url: 'amqps://broker.example.com:5671/sales',
      exchange: 'orders',
      routingKey: 'orders.{{record.region}}',
      username: 'agent',
      password: 'rabbit-password',
    });
    expect(amqpDestinationForm.toConfig(values, saved)).toEqual(saved);
    expect(checkForm(amqpDestinationForm, values, saved)).toEqual({ fields: {}, other: [] });
  });

  it('puts URL problems on the URL field and a password without user on the user field', () => {
    const values = {
      ...amqpDestinationForm.fromConfig({}),
      url: 'amqps://agent:pw@broker.example.com/',
      password: 'rabbit-password',
    };
    const problems = checkForm(amqpDestinationForm, values, {});
    expect(problems.fields).toEqual({
      url: 'must not contain credentials',
      username: 'is required when password is set',
    });
    expect(amqpDestinationForm.toConfig({ ...values, username: '', password: '' }, {})).not.toHaveProperty(
      'password',
    );
    expect(checkForm(amqpDestinationForm, { ...values, url: '' }, {}).fields.url).toBe('is required');
  });
});
