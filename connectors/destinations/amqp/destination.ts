// AMQP destination: publishes each record on a confirm channel and counts it delivered only once the broker acks it.
import { foldMemberResults, memberRequests } from '../../core/message-batch.js';
import type {
  BatchLimits,
  ConnectionFacts,
  Destination,
  OutgoingRecord,
  OutgoingRequest,
  Outcome,
  SendResult,
} from '../../core/destination.js';
import { BrokerLink, type ChannelState, type LinkOptions } from './broker-link.js';
import { brokerOf } from './config.js';
import { brokerText, describeChannelError, describeConnectError, namesExchange } from './broker-errors.js';
import { NameTemplateError, renderName } from './name-template.js';

export interface AmqpDestinationOptions {
  link: LinkOptions;
  label: string;
  exchange: string;
  routingKey: string;
  persistent: boolean;
  mandatory: boolean;
  headers: Record<string, string>;
  /** Set when plain amqp:// to another host was explicitly allowed. */
  warning?: string;
  /** Lease several records per send (config `batch`); each is still its own message. */
  batching?: BatchLimits;
}

/** "the broker blocked publishing: …": RabbitMQ names the alarm in the reason ("low on memory", "low on disk"). */
export function blockedError(reason: string): string {
  return `the broker blocked publishing: low on memory/disk (${reason}); delivery waits`;
}

const settleSoon = (resolve: (outcome: Outcome) => void, outcome: () => Outcome) =>
  // amqplib fails the pending confirms before it reports why the connection closed: read the state a moment later
  setImmediate(() => resolve(outcome()));

export class AmqpDestination implements Destination {
  readonly type = 'amqp';
  readonly label: string;
  readonly warning: string | undefined;
  readonly batching: BatchLimits | undefined;
  private readonly link: BrokerLink;

  constructor(private readonly options: AmqpDestinationOptions) {
    this.label = options.label;
    this.warning = options.warning;
    this.batching = options.batching;
    this.link = new BrokerLink(options.link);
  }

  /** One record, or a batch whose members are published pipelined on the confirm channel. */
  async send(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult> {
    // Each member under its own key: a batch of one too (its request carries the batch's key).
    const members = memberRequests(request, signal);
    if (members.length <= 1) return this.sendOne(members[0] ?? request, signal);
    return foldMemberResults(request, await Promise.all(members.map((m) => this.sendOne(m, signal))));
  }

  private async sendOne(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult> {
    const record = request.records[0];
    if (!record) throw new Error('the AMQP destination got a send without records');
    let exchange: string;
    let routingKey: string;
    try {
      exchange = renderName(this.options.exchange, record, request.idempotencyKey, 'exchange');
      routingKey = renderName(this.options.routingKey, record, request.idempotencyKey, 'routingKey');
    } catch (error) {
      if (!(error instanceof NameTemplateError)) throw error;
      const text = `cannot name where to publish: ${error.message}. Fix: change destination.${error.field} or the record, then replay`;
      return { kind: 'dead', error: text, code: 'unusable-name', latencyMs: 0 };
    }
    const summary = {
      operation: 'publish',
      target: `${brokerOf(this.options.link.address)}/${this.options.link.address.vhost} exchange ${exchange === '' ? '(default)' : exchange} key ${routingKey}`,
      bytes: record.payload.length,
      records: 1,
    };
    const started = performance.now();
    const outcome = await this.publish(request, record, exchange, routingKey, signal);
    return { ...outcome, request: summary, latencyMs: Math.round(performance.now() - started) };
  }

  private async publish(
    request: OutgoingRequest,
    record: OutgoingRecord,
    exchange: string,
    routingKey: string,
    signal: AbortSignal,
  ): Promise<Outcome> {
    if (signal.aborted) return this.abandoned();
    let state: ChannelState | undefined;
    try {
      state = await this.readyUnlessAborted(signal);
    } catch (error) {
      const { username, address } = this.options.link;
      const place = { broker: brokerOf(address), vhost: address.vhost, username, tls: address.tls };
      const { code, problem, fix } = describeConnectError(error, place);
      return { kind: 'retry', error: `${problem}; ${fix}`, code, signal: 'failure' };
    }
    if (!state) return this.abandoned();
    const blocked = state.connection.blocked;
    if (blocked !== undefined)
      return { kind: 'retry', error: blockedError(blocked), code: 'blocked', signal: 'throttled' };
    const messageId = request.idempotencyKey;
    const headers = {
      ...this.options.headers,
      ...(request.traceparent ? { traceparent: request.traceparent } : {}),
    };
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        state.pending -= 1;
        state.awaiting.delete(messageId);
        state.returned.delete(messageId);
        state.connection.onBlocked.delete(onBlocked);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = () => finish(this.abandoned());
      const onBlocked = (reason: string) =>
        finish({ kind: 'retry', error: blockedError(reason), code: 'blocked', signal: 'throttled' });
      signal.addEventListener('abort', onAbort, { once: true });
      state.connection.onBlocked.add(onBlocked);
      state.pending += 1;
      state.awaiting.add(messageId);
      const confirmed = (error: unknown) =>
        settleSoon(finish, () =>
          error
            ? this.unconfirmed(error, state, exchange)
            : this.confirmed(state, messageId, exchange, routingKey),
        );
      try {
        state.channel.publish(
          exchange,
          routingKey,
          record.payload,
          {
            messageId,
            contentType: record.contentType,
            timestamp: Math.floor(Date.now() / 1000),
            deliveryMode: this.options.persistent ? 2 : 1,
            mandatory: this.options.mandatory,
            headers,
          },
          confirmed,
        );
      } catch (error) {
        confirmed(error);
      }
    });
  }

  /** The open channel, or undefined when the send is aborted first (the connection attempt goes on for the next). */
  private async readyUnlessAborted(signal: AbortSignal): Promise<ChannelState | undefined> {
    let onAbort = () => undefined as void;
    const aborted = new Promise<undefined>((resolve) => {
      onAbort = () => resolve(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.link.ready(), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The broker acked: delivered, unless it first returned the message as unroutable. */
  private confirmed(state: ChannelState, messageId: string, exchange: string, routingKey: string): Outcome {
    const returned = state.returned.get(messageId);
    if (!returned) return { kind: 'delivered', code: 'ack' };
    const fields = returned.fields as unknown as { replyCode?: number; replyText?: string };
    const reply = `${fields.replyCode ?? 312} ${fields.replyText ?? 'NO_ROUTE'}`;
    const shown = exchange === '' ? 'the default exchange' : `exchange ${exchange}`;
    return {
      kind: 'dead',
      error: `no queue is bound to ${shown} for routing key ${routingKey}; fix: bind a queue or correct the routing key, then replay`,
      code: 'returned',
      response: { code: reply, details: { exchange, routingKey }, excerpt: '' },
    };
  }

  /** No ack: a nack (retry), a channel error (dead when this message caused it), or a lost connection (retry). */
  private unconfirmed(error: unknown, state: ChannelState, exchange: string): Outcome {
    if (error instanceof Error && error.message === 'message nacked')
      return {
        kind: 'retry',
        error:
          'the broker nacked the message (it could not take it, e.g. a queue refused it); it is sent again',
        code: 'nack',
        signal: 'failure',
      };
    const channelError = state.connection.closed ? undefined : state.error;
    const known = channelError ? describeChannelError(channelError, exchange) : undefined;
    if (channelError && known && (namesExchange(channelError, exchange) || state.pendingAtError === 1))
      return {
        kind: 'dead',
        error: `${known.problem}; fix: ${known.fix}`,
        errorWithoutAnswer: `${known.problemWithoutText}; fix: ${known.fix}`,
        code: known.code,
        response: { code: known.code, details: { exchange }, excerpt: brokerText(channelError.message) },
      };
    if (channelError)
      return {
        kind: 'retry',
        error: `the broker closed the channel over another message (${brokerText(channelError.message)}); this one is sent again`,
        errorWithoutAnswer: 'the broker closed the channel over another message; this one is sent again',
        code: 'channel-closed',
        signal: 'failure',
      };
    const cause = state.connection.error ?? error;
    const text = cause instanceof Error ? brokerText(cause.message) : String(cause);
    return {
      kind: 'retry',
      error: `lost the connection to the broker at ${brokerOf(this.options.link.address)} before it confirmed the message (${text}); it is sent again, and consumers drop the duplicate by message-id`,
      code: 'connection-lost',
      signal: 'failure',
    };
  }

  private abandoned(): Outcome {
    return {
      kind: 'retry',
      error:
        "gave up waiting for the broker's confirm (the send was cancelled); the message may still arrive, and is sent again under the same message-id",
      code: 'aborted',
      signal: 'failure',
    };
  }

  describe(): ConnectionFacts {
    const { address } = this.options.link;
    return {
      broker: brokerOf(address),
      vhost: address.vhost,
      exchange: this.options.exchange,
      tls: address.tls,
      confirms: true,
    };
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
