// The mqtt.js options of a destination: broker address, default client id, session, login from secrets and TLS files.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { IClientOptions } from 'mqtt';
import type { SecretResolver } from '../../core/secret-ref.js';
import { brokerAddress, defaultSessionExpirySeconds, type MqttDestinationConfig } from './config.js';

const longestDefaultClientId = 64;

const safePart = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');

/**
 * The client id when the config sets none: `agent-<connection>-<host>`, the same on every start so the broker keeps
 * the persistent session; a hash keeps it short, and stands in for the connection id when none is known.
 */
export function defaultClientId(connection: string | undefined, config: MqttDestinationConfig): string {
  const host = safePart(hostname()) || 'host';
  const id = connection ? safePart(connection) : '';
  const name = id ? `agent-${id}-${host}` : '';
  if (name && name.length <= longestDefaultClientId) return name;
  const digest = createHash('sha256')
    .update(`${connection ?? ''}\n${host}\n${config.url}\n${config.topic}`)
    .digest('hex')
    .slice(0, 16);
  return `agent-${(id || host).slice(0, longestDefaultClientId - 24)}-${digest}`;
}

export interface BrokerTarget {
  url: URL;
  host: string;
  port: number;
  hostPort: string;
  tls: boolean;
  /** The URL without credentials or path, for reports and labels. */
  shown: string;
}

export function brokerTarget(config: Pick<MqttDestinationConfig, 'url'>): BrokerTarget {
  const url = new URL(config.url);
  const address = brokerAddress(url);
  return { url, ...address, tls: url.protocol === 'mqtts:', shown: `${url.protocol}//${address.hostPort}` };
}

/** PEM contents of the configured TLS files, read now (a missing file fails the build of the connection). */
export function tlsMaterial(config: MqttDestinationConfig): Pick<IClientOptions, 'ca' | 'cert' | 'key'> {
  const read = (what: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new Error(`cannot read the MQTT ${what} ${file} (${code}); fix destination.tls`, {
        cause: error,
      });
    }
  };
  const { caFile, certFile, keyFile } = config.tls;
  return {
    ...(caFile ? { ca: read('CA file', caFile) } : {}),
    ...(certFile ? { cert: read('client certificate', certFile) } : {}),
    ...(keyFile ? { key: read('client key', keyFile) } : {}),
  };
}

export interface ClientOptionsInput {
  config: MqttDestinationConfig;
  secrets: SecretResolver;
  clientId: string;
  /** A fresh session that ends with the connection (checks), instead of the configured persistent one. */
  ephemeral?: boolean;
  /** Reconnect in the background this often; 0: never (checks). */
  reconnectPeriodMs: number;
}

export function clientOptions(input: ClientOptionsInput): IClientOptions {
  const { config, secrets } = input;
  const target = brokerTarget(config);
  const clean = input.ephemeral === true || config.cleanSession;
  return {
    protocol: target.tls ? 'mqtts' : 'mqtt',
    host: target.host,
    port: target.port,
    protocolVersion: config.protocolVersion,
    clientId: input.clientId,
    clean,
    connectTimeout: config.connectTimeoutMs,
    reconnectPeriod: input.reconnectPeriodMs,
    reconnectOnConnackError: input.reconnectPeriodMs > 0,
    resubscribe: false,
    ...(config.username ? { username: secrets(config.username.secretRef) } : {}),
    ...(config.password ? { password: Buffer.from(secrets(config.password.secretRef)) } : {}),
    ...(config.protocolVersion === 5
      ? {
          properties: {
            sessionExpiryInterval: input.ephemeral
              ? 0
              : (config.sessionExpirySeconds ?? defaultSessionExpirySeconds),
          },
        }
      : {}),
    ...(target.tls ? { ...tlsMaterial(config), rejectUnauthorized: config.tls.rejectUnauthorized } : {}),
  };
}
