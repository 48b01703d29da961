// "Test connection" for the AMQP destination against a real RabbitMQ: each step's verdict, and a refused port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../../preload/contract/doctor.js';
import { amqpDestinationSchema } from '../../../../connectors/destinations/amqp/config.js';
import { checkAmqpDestination } from '../../../../connectors/destinations/amqp/checks.js';
import { freePort } from '../../../support/watched-process.js';
import { startRabbitMQ, type RabbitServer } from '../../../support/rabbitmq-server.js';
import { brokerOptions, secrets, vhost } from './broker-fixture.js';

let server: RabbitServer;
beforeAll(async () => {
  server = await startRabbitMQ(brokerOptions);
  await server.withChannel(vhost, async (channel) => {
    await channel.assertExchange('checked', 'direct', { durable: true });
    await channel.assertExchange('routed', 'direct', { durable: true });
    await channel.assertQueue('check-probe', { durable: false });
    await channel.bindQueue('check-probe', 'routed', 'integration-agent.check');
  });
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

function check(fields: Record<string, unknown>, url = server.url(vhost)): Promise<DoctorReport> {
  const config = amqpDestinationSchema.parse({
    type: 'amqp',
    url,
    username: 'admin',
    password: { secretRef: 'rabbit-admin' },
    exchange: 'checked',
    ...fields,
  });
  return checkAmqpDestination(config, { secrets, timeoutMs: 10_000, connection: 'orders' });
}

const step = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id);

describe('AMQP destination checks on a real broker', () => {
  it('passes every step on a good broker; an unroutable probe is reported as permitted', async () => {
    const report = await check({});
    expect(report).toMatchObject({ destination: server.url(vhost), connection: 'orders', overall: 'pass' });
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['tcp', 'pass'],
      ['tls', 'skip'],
      ['login', 'pass'],
      ['vhost', 'pass'],
      ['exchange', 'pass'],
      ['publish', 'pass'],
    ]);
    expect(step(report, 'publish')?.detail).toContain('returned it as unroutable');
    expect(JSON.stringify(report)).not.toContain('admin-test-password');
  });

  it('says the probe was confirmed when a queue takes it', async () => {
    const report = await check({ exchange: 'routed' });
    expect(step(report, 'publish')?.detail).toContain(
      'the broker confirmed a probe message to exchange routed',
    );
    const [probe] = await server.withChannel(vhost, async (channel) => [
      await channel.get('check-probe', { noAck: true }),
    ]);
    expect(probe && probe.properties.type).toBe('integration-agent.check');
  });

  it('fails at TCP on a port nothing listens on and skips the rest', async () => {
    const port = await freePort();
    const report = await check({}, `amqp://127.0.0.1:${port}/${vhost}`);
    expect(report.overall).toBe('fail');
    expect(step(report, 'tcp')).toMatchObject({ status: 'fail', data: { code: 'ECONNREFUSED' } });
    expect(step(report, 'tcp')?.fix).toContain('check that the broker runs');
    expect(report.checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
  });

  it('fails the login with a wrong password, and the vhost for a user without access to it', async () => {
    const wrong = await check({ password: { secretRef: 'rabbit-wrong' } });
    expect(step(wrong, 'login')).toMatchObject({ status: 'fail', data: { code: '403 ACCESS_REFUSED' } });
    expect(step(wrong, 'login')?.fix).toContain('check username and the password');
    expect(step(wrong, 'vhost')?.status).toBe('skip');

    const stranger = await check({ username: 'stranger', password: { secretRef: 'rabbit-stranger' } });
    expect(step(stranger, 'login')?.status).toBe('pass');
    expect(step(stranger, 'vhost')).toMatchObject({ status: 'fail', data: { code: '530 NOT_ALLOWED' } });
    expect(step(stranger, 'vhost')?.fix).toContain(`rabbitmqctl set_permissions -p ${vhost} stranger`);
  });

  it('fails on a missing exchange and skips a templated one', async () => {
    const missing = await check({ exchange: 'no-such-exchange' });
    expect(step(missing, 'exchange')).toMatchObject({ status: 'fail' });
    expect(step(missing, 'exchange')?.detail).toContain("NOT_FOUND - no exchange 'no-such-exchange'");
    expect(step(missing, 'publish')?.status).toBe('skip');
    const templated = await check({ exchange: '{{record.target}}' });
    expect(step(templated, 'exchange')?.status).toBe('skip');
    expect(templated.overall).toBe('pass');
  });

  it('fails the publish step for a user without write permission', async () => {
    const report = await check({ username: 'reader', password: { secretRef: 'rabbit-reader' } });
    expect(step(report, 'exchange')?.status).toBe('pass');
    expect(step(report, 'publish')).toMatchObject({ status: 'fail' });
    expect(step(report, 'publish')?.detail).toContain('ACCESS_REFUSED');
    expect(step(report, 'publish')?.fix).toContain('grant the user write permission');
  });
});
