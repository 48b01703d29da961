// What a broker's refusal or a lost connection means: retry (throttled or failure) or dead, in plain words with a fix.
import type { Outcome } from '../../core/destination.js';

/** MQTT 5 reason codes the destination tells apart (MQTT 3.1.1 CONNACK return codes are mapped onto them). */
export const reasonCode = {
  noMatchingSubscribers: 0x10,
  unspecified: 0x80,
  implementationSpecific: 0x83,
  unsupportedProtocol: 0x84,
  clientIdNotValid: 0x85,
  badUserNameOrPassword: 0x86,
  notAuthorized: 0x87,
  serverUnavailable: 0x88,
  serverBusy: 0x89,
  banned: 0x8a,
  topicNameInvalid: 0x90,
  packetTooLarge: 0x95,
  quotaExceeded: 0x97,
  payloadFormatInvalid: 0x99,
  connectionRateExceeded: 0x9f,
} as const;

/** MQTT 3.1.1 CONNACK return codes 1–5 as their MQTT 5 reason codes. */
const v4Connack: Record<number, number> = {
  1: reasonCode.unsupportedProtocol,
  2: reasonCode.clientIdNotValid,
  3: reasonCode.serverUnavailable,
  4: reasonCode.badUserNameOrPassword,
  5: reasonCode.notAuthorized,
};

const words: Record<number, string> = {
  0x80: 'unspecified error',
  0x81: 'malformed packet',
  0x82: 'protocol error',
  0x83: 'implementation specific error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorized',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8b: 'server shutting down',
  0x8c: 'bad authentication method',
  0x90: 'topic name invalid',
  0x91: 'packet identifier in use',
  0x95: 'packet too large',
  0x97: 'quota exceeded',
  0x99: 'payload format invalid',
  0x9a: 'retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'use another server',
  0x9d: 'server moved',
  0x9f: 'connection rate exceeded',
};

/** A reason code in words with its hex value, e.g. "not authorized (0x87)". */
export function reasonInWords(code: number): string {
  return `${words[code] ?? 'reason code'} (0x${code.toString(16).padStart(2, '0')})`;
}

/** The reason code an mqtt.js error carries (ErrorWithReasonCode), if any. */
export function reasonCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export interface ConnectionPlace {
  /** host:port of the broker. */
  hostPort: string;
  protocolVersion: 4 | 5;
  /** Secret names of the login, for the fix of a refused login. */
  username?: string;
  password?: string;
  clientId: string;
}

export interface ConnectionProblem {
  /** The code kept with the attempt, e.g. ECONNREFUSED or CONNACK 0x86. */
  code: string;
  /** What went wrong. */
  problem: string;
  /** What to do about it. */
  fix: string;
  /** Both in one sentence, for the record's timeline. */
  message: string;
}

const tlsTrustCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

const retried = 'it is tried again';

function connackFix(code: number, place: ConnectionPlace): string {
  const secrets = [place.username, place.password].filter((name) => name !== undefined);
  const fixSecrets =
    secrets.length > 0
      ? `fix the secret${secrets.length > 1 ? 's' : ''} ${secrets.map((s) => `"${s}"`).join(' and ')} (integration-agent secrets set <name>)`
      : undefined;
  switch (code) {
    case reasonCode.badUserNameOrPassword:
      return fixSecrets
        ? `${fixSecrets} or the user on the broker; ${retried}`
        : 'the broker wants a login: set username and password as { "secretRef": "<name>" }';
    case reasonCode.notAuthorized:
      // mosquitto answers a wrong password with "not authorized" too
      return fixSecrets
        ? `${fixSecrets}, or allow this user (client id "${place.clientId}") to connect on the broker; ${retried}`
        : `the broker wants a login, or must allow client id "${place.clientId}": set username and password as { "secretRef": "<name>" }; ${retried}`;
    case reasonCode.clientIdNotValid:
      return 'set clientId to a value the broker accepts (some allow only 23 letters and digits)';
    case reasonCode.unsupportedProtocol:
      return `set protocolVersion to ${place.protocolVersion === 5 ? 4 : 5}`;
    case reasonCode.banned:
      return "ask the broker's administrator to lift the ban on this client";
    default:
      return `check the broker's log; ${retried}`;
  }
}

export function problemOf(code: string, problem: string, fix: string): ConnectionProblem {
  return { code, problem, fix, message: `${problem}; ${fix}` };
}

/** Plain words for a failed connect: socket errors, TLS trust, CONNACK refusals and timeouts. */
export function describeConnectError(error: unknown, place: ConnectionPlace): ConnectionProblem {
  const reason = reasonCodeOf(error);
  const at = `the broker at ${place.hostPort}`;
  if (reason !== undefined) {
    const code = place.protocolVersion === 4 ? (v4Connack[reason] ?? reason) : reason;
    return problemOf(
      `CONNACK 0x${code.toString(16)}`,
      `${at} refuses the connection: ${reasonInWords(code)}`,
      connackFix(code, place),
    );
  }
  const code = systemCode(error) ?? 'error';
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return problemOf(code, `${at} refuses connections`, 'is it running? Check the url and port');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return problemOf(
        code,
        `the broker host of ${place.hostPort} is not found (DNS)`,
        'check the host name in the url',
      );
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return problemOf(code, `${at} cannot be reached (${code})`, 'check the network and the firewall');
    case 'ECONNRESET':
    case 'EPIPE':
      return problemOf(code, `${at} closed the connection (${code})`, retried);
    case 'CERT_HAS_EXPIRED':
      return problemOf(
        code,
        `${at} presents an expired certificate`,
        'the broker must renew its certificate',
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return problemOf(
        code,
        `${at} presents a certificate for another name`,
        'use the name in its certificate in the url',
      );
    default:
      if (tlsTrustCodes.has(code))
        return problemOf(
          code,
          `${at} presents a certificate the agent does not trust (${code})`,
          'set tls.caFile to the CA that issued it',
        );
      if (message === 'connack timeout')
        return problemOf(
          'timeout',
          `${at} did not answer the MQTT connect (no CONNACK)`,
          'is it an MQTT broker? Check the port',
        );
      return problemOf(code, `connecting to ${at} failed: ${message}`, retried);
  }
}

/** The outcome of a publish the broker refused with a reason code (MQTT 5 PUBACK, PUBREC or PUBCOMP). */
export function refusedPublishOutcome(code: number, topic: string, ack: 'PUBACK' | 'PUBREC'): Outcome {
  const hex = `${ack} 0x${code.toString(16)}`;
  const refused = `the broker refuses publishing to ${topic}: ${words[code] ?? reasonInWords(code)}`;
  switch (code) {
    case reasonCode.quotaExceeded:
      return { kind: 'retry', error: `${refused}; it is tried again later`, code: hex, signal: 'throttled' };
    case reasonCode.serverBusy:
    case reasonCode.implementationSpecific:
    case reasonCode.unspecified:
      return { kind: 'retry', error: `${refused}; it is tried again`, code: hex, signal: 'failure' };
    case reasonCode.notAuthorized:
      return {
        kind: 'dead',
        error: `${refused}; fix: grant the user publish rights on that topic, then replay`,
        code: hex,
      };
    case reasonCode.topicNameInvalid:
      return {
        kind: 'dead',
        error: `${refused}; fix: change destination.topic to a name the broker accepts, then replay`,
        code: hex,
      };
    case reasonCode.packetTooLarge:
      return {
        kind: 'dead',
        error: `${refused}; fix: raise the broker's maximum packet size, or send smaller records, then replay`,
        code: hex,
      };
    case reasonCode.payloadFormatInvalid:
      return {
        kind: 'dead',
        error: `${refused}; fix: the broker wants a different payload format, check the content type, then replay`,
        code: hex,
      };
    default:
      return {
        kind: 'dead',
        error: `${refused} (0x${code.toString(16)}); fix: see the broker's log, then replay`,
        code: hex,
      };
  }
}
