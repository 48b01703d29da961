// "Test connection" and `doctor` for an AMQP destination: TCP, TLS, login, vhost, exchange, and one mandatory publish.
import type { ChannelModel } from 'amqplib';
import type { CheckOptions } from '../../core/connector.js';
import { overallOf, type DoctorCheck, type DoctorReport } from '../../../preload/contract/doctor.js';
import { openConnection, type LinkOptions } from './broker-link.js';
import { brokerText, describeChannelError, describeConnectError } from './broker-errors.js';
import { brokerAddress, brokerOf, isLoopbackHost, shownUrl, type AmqpDestinationConfig } from './config.js';
import { templateFields } from '../../core/record-template.js';
import { tcpProbe, tlsProbe } from './socket-probes.js';
import { loadTls, type AmqpTlsOptions } from './tls-files.js';

/** Routing key of the check's probe message, so consumers can tell it from records. */
export const checkRoutingKey = 'integration-agent.check';

const skip = (id: string, title: string, detail: string): DoctorCheck => ({
  id,
  title,
  status: 'skip',
  detail,
});

function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${timeoutMs} ms (timeout)`)),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

type Step = { check: DoctorCheck; ok: boolean };

async function tlsStep(
  config: AmqpDestinationConfig,
  timeoutMs: number,
): Promise<Step & { options?: AmqpTlsOptions }> {
  const title = 'TLS handshake';
  const address = brokerAddress(config.url);
  if (!address.tls) {
    if (isLoopbackHost(address.hostname))
      return { ok: true, check: skip('tls', title, 'plain amqp:// to this machine: no TLS') };
    return {
      ok: true,
      check: {
        id: 'tls',
        title,
        status: 'warn',
        detail: `plain amqp:// to ${address.hostname}: records and the password travel unencrypted (allowInsecure is set)`,
        fix: 'use amqps:// (port 5671) and remove allowInsecure',
      },
    };
  }
  let options: AmqpTlsOptions;
  try {
    options = loadTls(config.tls, address.hostname);
  } catch (error) {
    const [detail, fix] = String((error as Error).message).split('. Fix: ');
    return {
      ok: false,
      check: { id: 'tls', title, status: 'fail', detail: detail ?? '', ...(fix ? { fix } : {}) },
    };
  }
  try {
    const facts = await tlsProbe(address.hostname, address.port, options, timeoutMs);
    return {
      ok: true,
      options,
      check: {
        id: 'tls',
        title,
        status: 'pass',
        detail: `${facts.protocol} with a verified certificate ${facts.subject}, valid to ${facts.validTo}`,
        data: { ...facts },
      },
    };
  } catch (error) {
    const place = { broker: brokerOf(address), vhost: address.vhost, username: '', tls: true };
    const { problem, fix, code } = describeConnectError(error, place);
    return { ok: false, check: { id: 'tls', title, status: 'fail', detail: problem, fix, data: { code } } };
  }
}

interface Opened {
  login: DoctorCheck;
  vhost: DoctorCheck;
  connection?: ChannelModel;
}

async function openStep(link: () => LinkOptions, timeoutMs: number): Promise<Opened> {
  const [loginTitle, vhostTitle] = ['Log in', 'Vhost access'];
  let options: LinkOptions;
  try {
    options = link();
  } catch (error) {
    return {
      login: {
        id: 'login',
        title: loginTitle,
        status: 'fail',
        detail: `the password cannot be read: ${(error as Error).message}`,
        fix: 'store it with `integration-agent secrets set <name>` under the name destination.password.secretRef gives',
      },
      vhost: skip('vhost', vhostTitle, 'not logged in (see above)'),
    };
  }
  const { address, username } = options;
  try {
    let timedOut = false;
    const opening = openConnection(options);
    // a connection that opens after the step timed out is closed again at once
    opening.then((late) => timedOut && void late.close().catch(() => undefined)).catch(() => undefined);
    const connection = await withTimeout(opening, timeoutMs, 'logging in').catch((error: unknown) => {
      timedOut = true;
      throw error;
    });
    connection.on('error', () => undefined);
    return {
      connection,
      login: { id: 'login', title: loginTitle, status: 'pass', detail: `logged in as ${username}` },
      vhost: { id: 'vhost', title: vhostTitle, status: 'pass', detail: `opened vhost ${address.vhost}` },
    };
  } catch (error) {
    const place = { broker: brokerOf(address), vhost: address.vhost, username, tls: address.tls };
    const { problem, fix, code } = describeConnectError(error, place);
    const failed = (id: string, title: string): DoctorCheck => ({
      id,
      title,
      status: 'fail',
      detail: problem,
      fix,
      data: { code },
    });
    if (code === '530 NOT_ALLOWED')
      return {
        login: {
          id: 'login',
          title: loginTitle,
          status: 'pass',
          detail: `the broker accepted user ${username}`,
        },
        vhost: failed('vhost', vhostTitle),
      };
    return {
      login: failed('login', loginTitle),
      vhost: skip('vhost', vhostTitle, 'not logged in (see above)'),
    };
  }
}

async function exchangeStep(connection: ChannelModel, exchange: string, timeoutMs: number): Promise<Step> {
  const title = 'Exchange exists';
  if (exchange === '')
    return {
      ok: true,
      check: { id: 'exchange', title, status: 'pass', detail: 'the default exchange always exists' },
    };
  if (templateFields(exchange).length > 0)
    return {
      ok: false,
      check: skip('exchange', title, `${exchange} is a template: each record names its own exchange`),
    };
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await withTimeout(channel.checkExchange(exchange), timeoutMs, 'checking the exchange');
    await channel.close().catch(() => undefined);
    return {
      ok: true,
      check: { id: 'exchange', title, status: 'pass', detail: `exchange ${exchange} exists` },
    };
  } catch (error) {
    const known = describeChannelError(error, exchange);
    const detail =
      known?.problem ?? `checking exchange ${exchange} failed: ${brokerText((error as Error).message)}`;
    const fix = known?.fix ?? 'check the broker log';
    return { ok: false, check: { id: 'exchange', title, status: 'fail', detail, fix } };
  }
}

/** Publishes one small, non-persistent, mandatory probe message and reports what the broker answered. */
async function publishStep(
  connection: ChannelModel,
  exchange: string,
  timeoutMs: number,
): Promise<DoctorCheck> {
  const title = 'May publish';
  const shown = exchange === '' ? 'the default exchange' : `exchange ${exchange}`;
  let returned = false;
  let channelError: Error | undefined;
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => {
      channelError = error;
    });
    channel.on('return', () => {
      returned = true;
    });
    const acked = new Promise<void>((resolve, reject) => {
      channel.publish(
        exchange,
        checkRoutingKey,
        Buffer.from('{"check":true}'),
        {
          mandatory: true,
          deliveryMode: 1,
          expiration: '60000',
          contentType: 'application/json',
          messageId: `${checkRoutingKey}-${Date.now()}`,
          type: checkRoutingKey,
        },
        (error: unknown) =>
          error ? reject(new Error('the broker did not confirm', { cause: error })) : resolve(),
      );
    });
    await withTimeout(acked, timeoutMs, 'publishing the probe message');
    await channel.close().catch(() => undefined);
  } catch (caught) {
    const error = channelError ?? caught;
    const known = describeChannelError(error, exchange);
    const text = brokerText((error as Error).message);
    return {
      id: 'publish',
      title,
      status: 'fail',
      detail: known?.problem ?? `publishing a probe message to ${shown} failed: ${text}`,
      fix: known?.fix ?? 'check the broker log',
    };
  }
  if (returned)
    return {
      id: 'publish',
      title,
      status: 'pass',
      detail: `the broker accepted a probe message to ${shown} and returned it as unroutable for routing key ${checkRoutingKey} (publishing is permitted; records are routed by their own routing key)`,
    };
  return {
    id: 'publish',
    title,
    status: 'pass',
    detail: `the broker confirmed a probe message to ${shown} with routing key ${checkRoutingKey} (consumers may see it: type ${checkRoutingKey}, expires after 60 s)`,
  };
}

export async function checkAmqpDestination(
  config: AmqpDestinationConfig,
  options: CheckOptions,
): Promise<DoctorReport> {
  const startedAt = Date.now();
  const started = performance.now();
  const address = brokerAddress(config.url);
  const broker = brokerOf(address);
  const checks: DoctorCheck[] = [];
  let reachable = true;
  try {
    const ms = await tcpProbe(address.hostname, address.port, options.timeoutMs);
    checks.push({
      id: 'tcp',
      title: 'TCP connect',
      status: 'pass',
      detail: `connected to ${broker} in ${ms} ms`,
    });
  } catch (error) {
    reachable = false;
    const place = { broker, vhost: address.vhost, username: '', tls: address.tls };
    const { problem, fix, code } = describeConnectError(error, place);
    checks.push({ id: 'tcp', title: 'TCP connect', status: 'fail', detail: problem, fix, data: { code } });
  }
  const tls = reachable ? await tlsStep(config, options.timeoutMs) : undefined;
  checks.push(tls?.check ?? skip('tls', 'TLS handshake', 'the broker is not reachable (see above)'));
  let connection: ChannelModel | undefined;
  if (reachable && tls?.ok) {
    const opened = await openStep(
      () => ({
        address,
        username: config.username ?? 'guest',
        password: config.password ? options.secrets(config.password.secretRef) : 'guest',
        heartbeatSeconds: 0,
        connectTimeoutMs: options.timeoutMs,
        ...(tls.options ? { tls: tls.options } : {}),
      }),
      options.timeoutMs,
    );
    checks.push(opened.login, opened.vhost);
    connection = opened.connection;
  } else {
    const why = reachable
      ? 'the TLS handshake failed (see above)'
      : 'the broker is not reachable (see above)';
    checks.push(skip('login', 'Log in', why), skip('vhost', 'Vhost access', why));
  }
  try {
    const exchange = connection
      ? await exchangeStep(connection, config.exchange, options.timeoutMs)
      : { ok: false, check: skip('exchange', 'Exchange exists', 'no connection (see above)') };
    checks.push(exchange.check);
    checks.push(
      connection && exchange.ok
        ? await publishStep(connection, config.exchange, options.timeoutMs)
        : skip(
            'publish',
            'May publish',
            connection ? 'no literal exchange to publish to (see above)' : 'no connection (see above)',
          ),
    );
  } finally {
    await connection?.close().catch(() => undefined);
  }
  return {
    destination: shownUrl(config),
    ...(options.connection ? { connection: options.connection } : {}),
    startedAt,
    durationMs: Math.round(performance.now() - started),
    checks,
    overall: overallOf(checks),
  };
}
