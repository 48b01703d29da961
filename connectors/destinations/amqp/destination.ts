// AMQP destination: publishes each record on a confirm channel and counts it delivered only once the broker acks it.
import { foldMemberResults } from '../../core/message-batch.js';
import { templateFields } from '../../core/record-template.js';
import { SendCancel, type Cancellable } from '../../core/send-cancel.js';
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
import { AwaitedConfirm, blockedOutcome } from './awaited-confirm.js';
import { maxNameBytes, NameTemplateError, renderName } from './name-template.js';

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

/** A template without placeholders names every record alike: that name when AMQP takes it, else undefined. */
function fixedName(template: string): string | undefined {
  const fixed = templateFields(template).length === 0 && Buffer.byteLength(template) <= maxNameBytes;
  return fixed ? template : undefined;
}

export class AmqpDestination implements Destination {
  readonly type = 'amqp';
  readonly label: string;
  readonly warning: string | undefined;
  readonly batching: BatchLimits | undefined;
  private readonly link: BrokerLink;
  /** The exchange and routing key of every record when neither has placeholders (checked once). */
  private readonly fixed: { exchange: string; routingKey: string; target: string } | undefined;
  /** The headers of a message without trace context (shared by all: amqplib only reads them). */
  private readonly plainHeaders: Record<string, string>;

  constructor(private readonly options: AmqpDestinationOptions) {
    this.label = options.label;
    this.warning = options.warning;
    this.batching = options.batching;
    this.link = new BrokerLink(options.link);
    const exchange = fixedName(options.exchange);
    const routingKey = fixedName(options.routingKey);
    this.fixed =
      exchange !== undefined && routingKey !== undefined
        ? { exchange, routingKey, target: this.targetOf(exchange, routingKey) }
        : undefined;
    this.plainHeaders = { ...options.headers };
  }

  /** One record, or a batch whose members are published pipelined on the confirm channel (each under its own key). */
  async send(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult> {
    const sending = new SendCancel(signal);
    try {
      const results = request.records.map((record) => this.sendOne(record, request.traceparent, sending));
      if (results.length === 0) throw new Error('the AMQP destination got a send without records');
      if (results.length === 1) return await (results[0] as Promise<SendResult>);
      return foldMemberResults(request, await Promise.all(results));
    } finally {
      sending.close();
    }
  }

  private targetOf(exchange: string, routingKey: string): string {
    const { address } = this.options.link;
    return `${brokerOf(address)}/${address.vhost} exchange ${exchange === '' ? '(default)' : exchange} key ${routingKey}`;
  }

  private async sendOne(
    record: OutgoingRecord,
    traceparent: string | undefined,
    sending: SendCancel,
  ): Promise<SendResult> {
    let names = this.fixed;
    if (!names)
      try {
        const key = record.idempotencyKey;
        const exchange = renderName(this.options.exchange, record, key, 'exchange');
        const routingKey = renderName(this.options.routingKey, record, key, 'routingKey');
        names = { exchange, routingKey, target: this.targetOf(exchange, routingKey) };
      } catch (error) {
        if (!(error instanceof NameTemplateError)) throw error;
        const text = `cannot name where to publish: ${error.message}. Fix: change destination.${error.field} or the record, then replay`;
        return { kind: 'dead', error: text, code: 'unusable-name', latencyMs: 0 };
      }
    const summary = { operation: 'publish', target: names.target, bytes: record.payload.length, records: 1 };
    const started = performance.now();
    const outcome = await this.publish(record, traceparent, names.exchange, names.routingKey, sending);
    return { ...outcome, request: summary, latencyMs: Math.round(performance.now() - started) };
  }

  private async publish(
    record: OutgoingRecord,
    traceparent: string | undefined,
    exchange: string,
    routingKey: string,
    sending: SendCancel,
  ): Promise<Outcome> {
    if (sending.aborted) return this.abandoned();
    let state = this.link.current();
    if (!state)
      try {
        state = await this.readyUnlessCancelled(sending);
      } catch (error) {
        const { username, address } = this.options.link;
        const place = { broker: brokerOf(address), vhost: address.vhost, username, tls: address.tls };
        const { code, problem, fix } = describeConnectError(error, place);
        return { kind: 'retry', error: `${problem}; ${fix}`, code, signal: 'failure' };
      }
    if (!state) return this.abandoned();
    const blocked = state.connection.blocked;
    if (blocked !== undefined) return blockedOutcome(blocked);
    const messageId = record.idempotencyKey;
    const open = state;
    const awaited = new AwaitedConfirm(
      open,
      messageId,
      sending,
      (error) =>
        error
          ? this.unconfirmed(error, open, exchange)
          : this.confirmed(open, messageId, exchange, routingKey),
      () => this.abandoned(),
    );
    try {
      open.channel.publish(
        exchange,
        routingKey,
        record.payload,
        {
          messageId,
          contentType: record.contentType,
          timestamp: Math.floor(Date.now() / 1000),
          deliveryMode: this.options.persistent ? 2 : 1,
          mandatory: this.options.mandatory,
          headers: traceparent ? { ...this.plainHeaders, traceparent } : this.plainHeaders,
        },
        awaited.confirmed,
      );
    } catch (error) {
      awaited.confirmed(error);
    }
    return awaited.outcome;
  }

  /** The open channel, or undefined when the send is cancelled first (the connection attempt goes on for the next). */
  private async readyUnlessCancelled(sending: SendCancel): Promise<ChannelState | undefined> {
    let waiting: Cancellable | undefined;
    const cancelled = new Promise<undefined>((resolve) => {
      waiting = { cancel: () => resolve(undefined) };
      sending.watch(waiting);
    });
    try {
      return await Promise.race([this.link.ready(), cancelled]);
    } finally {
      if (waiting) sending.forget(waiting);
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
