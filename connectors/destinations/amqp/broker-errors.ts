// What an AMQP error means in plain words with a fix: connecting, logging in, vhost access, channel errors by reply code.

/** A problem with a fix, and the protocol's code in a few words ("403 ACCESS_REFUSED", "ECONNREFUSED"). */
export interface BrokerProblem {
  code: string;
  problem: string;
  fix: string;
}

interface ErrorLike {
  message: string;
  code?: unknown;
}

const asError = (error: unknown): ErrorLike => (error instanceof Error ? error : { message: String(error) });

/** The broker's own text of a close frame ("NOT_FOUND - no exchange 'x' in vhost 'v'"), or the whole message. */
export function brokerText(message: string): string {
  return /with message "(.*)"/.exec(message)?.[1] ?? message;
}

/** Why connecting (TCP, TLS, login, vhost) to `broker` failed. */
export function describeConnectError(
  error: unknown,
  place: { broker: string; vhost: string; username: string; tls: boolean },
): BrokerProblem {
  const { message, code } = asError(error);
  const text = brokerText(message);
  if (code === 'ECONNREFUSED')
    return {
      code,
      problem: `the broker at ${place.broker} refused the connection (nothing listens on that port)`,
      fix: 'check that the broker runs and the URL has the right host and port (5672 for amqp, 5671 for amqps)',
    };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return {
      code,
      problem: `the broker host of ${place.broker} is not known to DNS`,
      fix: 'check the host name in the URL, and the DNS settings of this machine',
    };
  if (code === 'ETIMEDOUT' || /timeout|timed out/i.test(message))
    return {
      code: typeof code === 'string' ? code : 'timeout',
      problem: `the broker at ${place.broker} did not answer in time`,
      fix: 'check the network path and firewall to the broker, or raise connectTimeoutMs',
    };
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return {
      code,
      problem: `the broker at ${place.broker} closed the connection while opening it${place.tls ? '' : ' (a TLS-only port? then use amqps://)'}`,
      fix: 'check the port and whether the broker expects TLS',
    };
  if (typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED|HOSTNAME|ALTNAME/i.test(code))
    return {
      code,
      problem: `the TLS handshake with ${place.broker} failed: ${message}`,
      fix: 'set tls.caFile to the CA that signed the broker certificate, and use the host name the certificate names',
    };
  if (/ACCESS[-_]REFUSED/.test(message) || code === 403)
    return {
      code: '403 ACCESS_REFUSED',
      problem: `the broker refused the login of user ${place.username}: ${text}`,
      fix: 'check username and the password in the secret store (integration-agent secrets set <name>)',
    };
  // amqplib reports a refused connection.open without the broker's text; vhost access is what it refuses there
  if (
    /NOT[-_]ALLOWED/.test(message) ||
    code === 530 ||
    /ConnectionOpenOk; got <ConnectionClose/.test(message)
  )
    return {
      code: '530 NOT_ALLOWED',
      problem: `the broker refused user ${place.username} access to vhost ${place.vhost} (it does not exist, or the user has no permissions on it)`,
      fix: `grant the user access on the broker (rabbitmqctl set_permissions -p ${place.vhost} ${place.username} ...), or correct the vhost in the URL`,
    };
  return {
    code: typeof code === 'string' || typeof code === 'number' ? String(code) : 'error',
    problem: `connecting to the broker at ${place.broker} failed: ${message}`,
    fix: 'check the URL, the network path and the broker log',
  };
}

/** Reply codes of a channel close that a person must fix; the record that caused it is dead-lettered. */
/** A channel error in plain words; `problem` ends with the broker's own text, `problemWithoutText` is without it. */
export interface ChannelProblem extends BrokerProblem {
  problemWithoutText: string;
}

function quoting(code: string, problemWithoutText: string, text: string, fix: string): ChannelProblem {
  return { code, problem: `${problemWithoutText}: ${text}`, problemWithoutText, fix };
}

export function describeChannelError(error: unknown, exchange: string): ChannelProblem | undefined {
  const { message, code } = asError(error);
  const text = brokerText(message);
  if (code === 404)
    return quoting(
      '404 NOT_FOUND',
      `the broker has no exchange ${JSON.stringify(exchange)}`,
      text,
      'declare the exchange on the broker or correct destination.exchange, then replay',
    );
  if (code === 403)
    return quoting(
      '403 ACCESS_REFUSED',
      `the broker refused publishing to exchange ${JSON.stringify(exchange)}`,
      text,
      'grant the user write permission on the exchange (rabbitmqctl set_permissions) or publish elsewhere, then replay',
    );
  if (code === 406)
    return quoting(
      '406 PRECONDITION_FAILED',
      'the broker refused the message',
      text,
      'check the message properties the broker names (headers, size limits), then replay',
    );
  return undefined;
}

/** Whether the broker's close text names `exchange`, i.e. this publish caused the channel error. */
export function namesExchange(error: unknown, exchange: string): boolean {
  const text = brokerText(asError(error).message);
  return text.includes(`exchange '${exchange}'`);
}
