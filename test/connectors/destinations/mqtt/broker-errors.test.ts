// What each broker refusal means: throttled or failing retries, dead letters with the topic, and connect errors in words.
import { describe, expect, it } from 'vitest';
import {
  describeConnectError,
  refusedPublishOutcome,
} from '../../../../connectors/destinations/mqtt/broker-errors.js';

const place = { hostPort: 'b.example.com:8883', protocolVersion: 5 as const, clientId: 'agent-x' };
const withCode = (code: number | string) => Object.assign(new Error('x'), { code });

describe('MQTT broker answers', () => {
  it('retries quota exceeded as throttled and a busy or failing broker as a failure', () => {
    expect(refusedPublishOutcome(0x97, 't/1', 'PUBACK')).toMatchObject({
      kind: 'retry',
      signal: 'throttled',
      code: 'PUBACK 0x97',
    });
    for (const code of [0x89, 0x83, 0x80])
      expect(refusedPublishOutcome(code, 't/1', 'PUBREC')).toMatchObject({
        kind: 'retry',
        signal: 'failure',
      });
  });

  it('is dead, with the reason and a fix, for refusals that need a person', () => {
    expect(refusedPublishOutcome(0x87, 'orders/7', 'PUBACK')).toEqual({
      kind: 'dead',
      code: 'PUBACK 0x87',
      error:
        'the broker refuses publishing to orders/7: not authorized; fix: grant the user publish rights on that topic, then replay',
    });
    expect(refusedPublishOutcome(0x90, 't', 'PUBACK')).toMatchObject({
      kind: 'dead',
      error: expect.stringContaining('topic name invalid'),
    });
    expect(refusedPublishOutcome(0x95, 't', 'PUBACK')).toMatchObject({
      kind: 'dead',
      error: expect.stringContaining('packet too large'),
    });
    expect(refusedPublishOutcome(0x99, 't', 'PUBREC')).toMatchObject({
      kind: 'dead',
      code: 'PUBREC 0x99',
      error: expect.stringContaining('payload format invalid'),
    });
  });

  it('describes connect failures in words, with a fix', () => {
    expect(describeConnectError(withCode('ECONNREFUSED'), place).message).toBe(
      'the broker at b.example.com:8883 refuses connections; is it running? Check the url and port',
    );
    expect(describeConnectError(withCode('ENOTFOUND'), place).problem).toMatch(/not found \(DNS\)/);
    expect(describeConnectError(withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), place).fix).toBe(
      'set tls.caFile to the CA that issued it',
    );
    expect(describeConnectError(new Error('connack timeout'), place)).toMatchObject({
      code: 'timeout',
      problem: 'the broker at b.example.com:8883 did not answer the MQTT connect (no CONNACK)',
    });
    expect(describeConnectError(withCode(0x86), { ...place, password: 'pw' })).toMatchObject({
      code: 'CONNACK 0x86',
      problem: 'the broker at b.example.com:8883 refuses the connection: bad user name or password (0x86)',
      fix: 'fix the secret "pw" (integration-agent secrets set <name>) or the user on the broker; it is tried again',
    });
    // MQTT 3.1.1 return codes are shown as their MQTT 5 reason codes
    expect(describeConnectError(withCode(2), { ...place, protocolVersion: 4 })).toMatchObject({
      code: 'CONNACK 0x85',
      fix: expect.stringContaining('set clientId'),
    });
  });
});
