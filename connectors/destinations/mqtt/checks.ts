// "Test connection" and `doctor` for an MQTT destination: TCP connect, TLS handshake, CONNACK and publish permission.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { IConnackPacket, MqttClient } from 'mqtt';
import { loadMqtt } from './mqtt-library.js';
import type { CertificateFacts, CheckOptions } from '../../core/connector.js';
import { overallOf, type DoctorCheck, type DoctorReport } from '../../../preload/contract/doctor.js';
import {
  describeConnectError,
  reasonCodeOf,
  reasonCode,
  reasonInWords,
  type ConnectionPlace,
} from './broker-errors.js';
import {
  brokerTarget,
  clientOptions,
  defaultClientId,
  tlsMaterial,
  type BrokerTarget,
} from './client-options.js';
import { isLoopbackHost, type MqttDestinationConfig } from './config.js';
import { templateFields } from '../../core/record-template.js';
import { fillTopic } from './topic.js';

/** The topic the check publishes to: the template's placeholders as `_check`, or `<topic>/_check` without any. */
export function checkTopic(template: string): string {
  return templateFields(template).length > 0 ? fillTopic(template, '_check') : `${template}/_check`;
}

function failedStep(id: string, title: string, error: unknown, place: ConnectionPlace): DoctorCheck {
  const { problem, fix, code } = describeConnectError(error, place);
  return { id, title, status: 'fail', detail: problem, fix, data: { code } };
}

function tcpStep(target: BrokerTarget, place: ConnectionPlace, timeoutMs: number): Promise<DoctorCheck> {
  const title = 'TCP connect';
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const done = (check: DoctorCheck) => {
      socket.destroy();
      resolve(check);
    };
    socket.setTimeout(timeoutMs, () =>
      done(failedStep('tcp', title, Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), place)),
    );
    socket.once('connect', () =>
      done({
        id: 'tcp',
        title,
        status: 'pass',
        detail: `connected to ${target.hostPort} (${socket.remoteAddress ?? target.host})`,
        data: { address: socket.remoteAddress, ms: Math.round(performance.now() - started) },
      }),
    );
    socket.once('error', (error) => done(failedStep('tcp', title, error, place)));
  });
}

function tlsStep(
  config: MqttDestinationConfig,
  target: BrokerTarget,
  place: ConnectionPlace,
  timeoutMs: number,
): Promise<DoctorCheck> {
  const title = 'TLS handshake';
  let material;
  try {
    material = tlsMaterial(config);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return Promise.resolve({
      id: 'tls',
      title,
      status: 'fail',
      detail,
      fix: 'fix the file paths under destination.tls',
    });
  }
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: target.host,
      port: target.port,
      ...material,
      rejectUnauthorized: config.tls.rejectUnauthorized,
      ...(net.isIP(target.host) ? {} : { servername: target.host }),
    });
    const done = (check: DoctorCheck) => {
      socket.destroy();
      resolve(check);
    };
    socket.setTimeout(timeoutMs, () =>
      done(failedStep('tls', title, Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), place)),
    );
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const subject = [peer.subject?.CN ?? 'unknown'].flat().join(', ');
      const issuer = [peer.issuer?.CN ?? 'unknown'].flat().join(', ');
      const verified = socket.authorized;
      const detail = `${socket.getProtocol() ?? 'TLS'} with ${target.hostPort}; certificate for ${subject} issued by ${issuer}, valid until ${peer.valid_to}${verified ? '' : ' (NOT verified: tls.rejectUnauthorized is false)'}`;
      done({
        id: 'tls',
        title,
        status: verified ? 'pass' : 'warn',
        detail,
        ...(verified
          ? {}
          : { fix: 'set tls.caFile to the CA of the broker and turn tls.rejectUnauthorized back on' }),
        data: {
          protocol: socket.getProtocol(),
          subject,
          issuer,
          validTo: peer.valid_to,
        },
      });
    });
    socket.once('error', (error) => done(failedStep('tls', title, error, place)));
  });
}

function plainStep(target: BrokerTarget): DoctorCheck {
  const title = 'TLS handshake';
  if (isLoopbackHost(target.url.hostname))
    return { id: 'tls', title, status: 'skip', detail: 'plain mqtt to a broker on this machine: no TLS' };
  return {
    id: 'tls',
    title,
    status: 'warn',
    detail: `plain mqtt to ${target.hostPort}: records and the password travel unencrypted (allowInsecure is set)`,
    fix: 'use an mqtts:// URL',
  };
}

type Connack = { check: DoctorCheck; client?: MqttClient };

async function connackStep(
  config: MqttDestinationConfig,
  options: CheckOptions,
  place: ConnectionPlace,
): Promise<Connack> {
  const title = 'MQTT connect (CONNACK)';
  let clientOpts;
  try {
    clientOpts = clientOptions({
      config,
      secrets: options.secrets,
      clientId: `${place.clientId.slice(0, 40)}-check-${randomBytes(3).toString('hex')}`,
      ephemeral: true,
      reconnectPeriodMs: 0,
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      check: {
        id: 'connack',
        title,
        status: 'fail',
        detail,
        fix: 'store the secret with integration-agent secrets set <name>, or fix destination.tls',
      },
    };
  }
  const { connect } = await loadMqtt();
  const client = connect({ ...clientOpts, connectTimeout: options.timeoutMs });
  return new Promise((resolve) => {
    client.once('connect', (connack: IConnackPacket) => {
      const who = config.username ? 'with the configured login' : 'without a login';
      const receiveMaximum = connack.properties?.receiveMaximum;
      resolve({
        client,
        check: {
          id: 'connack',
          title,
          status: 'pass',
          detail: `the broker accepted the connection ${who} (${config.protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1'})`,
          data: { ...(receiveMaximum !== undefined ? { receiveMaximum } : {}) },
        },
      });
    });
    client.once('error', (error) => {
      client.end(true);
      resolve({ check: failedStep('connack', title, error, place) });
    });
  });
}

async function publishStep(config: MqttDestinationConfig, client: MqttClient): Promise<DoctorCheck> {
  const title = 'Publish permission';
  const topic = checkTopic(config.topic);
  try {
    const packet = await client.publishAsync(topic, Buffer.alloc(0), {
      qos: 1,
      retain: false,
      ...(config.protocolVersion === 5
        ? { properties: { messageExpiryInterval: 1, userProperties: { 'agent-check': 'true' } } }
        : {}),
    });
    const code = (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
    const v4 =
      config.protocolVersion === 4
        ? '; MQTT 3.1.1 brokers do not report refused publishes, so this proves little'
        : '';
    return {
      id: 'publish',
      title,
      status: config.protocolVersion === 4 ? 'warn' : 'pass',
      detail: `published an empty QoS 1 check message to ${topic}: PUBACK ${code === 0 ? 'success (0x00)' : reasonInWords(code)}${v4}`,
      ...(config.protocolVersion === 4
        ? { fix: 'use protocolVersion 5 to see the broker refuse a publish' }
        : {}),
      data: { topic, reasonCode: code },
    };
  } catch (error) {
    const code = reasonCodeOf(error);
    const words =
      code === undefined ? (error instanceof Error ? error.message : String(error)) : reasonInWords(code);
    const fix =
      code === reasonCode.notAuthorized
        ? `grant the user publish rights on ${templateFields(config.topic).length > 0 ? config.topic.replace(/\{\{[^}]*\}\}/g, '+') : `${config.topic} and ${topic}`}`
        : "check the broker's log and its limits";
    return {
      id: 'publish',
      title,
      status: 'fail',
      detail: `the broker refuses publishing to ${topic}: ${words}`,
      fix,
      data: { topic, ...(code !== undefined ? { reasonCode: code } : {}) },
    };
  }
}

function placeOf(
  config: MqttDestinationConfig,
  target: BrokerTarget,
  options: CheckOptions,
): ConnectionPlace {
  return {
    hostPort: target.hostPort,
    protocolVersion: config.protocolVersion,
    clientId: config.clientId ?? defaultClientId(options.connection, config),
    ...(config.username ? { username: config.username.secretRef } : {}),
    ...(config.password ? { password: config.password.secretRef } : {}),
  };
}

/** The broker's leaf certificate, for the "certificate expiring" alert; none for plain mqtt or when unreachable. */
export async function mqttCertificates(
  config: MqttDestinationConfig,
  options: CheckOptions,
): Promise<CertificateFacts[]> {
  const target = brokerTarget(config);
  if (!target.tls) return [];
  const { data } = await tlsStep(config, target, placeOf(config, target, options), options.timeoutMs);
  const subject = data?.['subject'];
  const notAfter = typeof data?.['validTo'] === 'string' ? Date.parse(data['validTo']) : Number.NaN;
  return typeof subject === 'string' && Number.isFinite(notAfter) ? [{ subject, notAfter }] : [];
}

export async function checkMqttDestination(
  config: MqttDestinationConfig,
  options: CheckOptions,
): Promise<DoctorReport> {
  const startedAt = Date.now();
  const started = performance.now();
  const target = brokerTarget(config);
  const place = placeOf(config, target, options);
  const skip = (id: string, title: string, detail: string): DoctorCheck => ({
    id,
    title,
    status: 'skip',
    detail,
  });
  const tcp = await tcpStep(target, place, options.timeoutMs);
  const checks: DoctorCheck[] = [tcp];
  if (tcp.status === 'fail') {
    checks.push(
      skip('tls', 'TLS handshake', 'no TCP connection (see above)'),
      skip('connack', 'MQTT connect (CONNACK)', 'no TCP connection (see above)'),
      skip('publish', 'Publish permission', 'no TCP connection (see above)'),
    );
  } else {
    const handshake = target.tls
      ? await tlsStep(config, target, place, options.timeoutMs)
      : plainStep(target);
    checks.push(handshake);
    if (handshake.status === 'fail') {
      checks.push(
        skip('connack', 'MQTT connect (CONNACK)', 'no TLS connection (see above)'),
        skip('publish', 'Publish permission', 'no TLS connection (see above)'),
      );
    } else {
      const connack = await connackStep(config, options, place);
      checks.push(connack.check);
      if (connack.client) {
        try {
          checks.push(await publishStep(config, connack.client));
        } finally {
          await connack.client.endAsync(true);
        }
      } else checks.push(skip('publish', 'Publish permission', 'not connected (see above)'));
    }
  }
  return {
    destination: target.shown,
    ...(options.connection ? { connection: options.connection } : {}),
    startedAt,
    durationMs: Math.round(performance.now() - started),
    checks,
    overall: overallOf(checks),
  };
}
