// MQTT destination: publishes each record as one message and counts it delivered on the broker's PUBACK or PUBCOMP.
import type { IClientPublishOptions, MqttClient, Packet } from 'mqtt';
import { foldMemberResults, memberRequests, pipelinedSends } from '../../core/message-batch.js';
import type {
  BatchLimits,
  ConnectionFacts,
  Destination,
  OutgoingRecord,
  OutgoingRequest,
  SendResult,
} from '../../core/destination.js';
import type { BrokerConnection } from './broker-connection.js';
import { reasonCodeOf, refusedPublishOutcome } from './broker-errors.js';
import type { InFlightLimit } from './in-flight-limit.js';
import { publishPacketBytes } from './packet-size.js';
import { renderTopic, TopicError } from './topic.js';

export interface MqttDestinationOptions {
  connection: BrokerConnection;
  limit: InFlightLimit;
  /** Sends in flight the config allows; the broker's Receive Maximum may lower it. */
  concurrency: number;
  topic: string;
  qos: 1 | 2;
  retain: boolean;
  protocolVersion: 4 | 5;
  messageExpirySeconds?: number;
  connectTimeoutMs: number;
  publishTimeoutMs: number;
  /** How long to wait for a reconnect in the background before a send gives up. */
  reconnectPeriodMs: number;
  /** host:port of the broker, for messages. */
  hostPort: string;
  label: string;
  facts: ConnectionFacts;
  warning?: string;
  /** Lease several records per send (config `batch`); each is still its own message. */
  batching?: BatchLimits;
}

type Published = { packet: Packet | undefined } | { error: Error };

/** The id mqtt.js gave the publish whose callback is `callback`, while it awaits its acknowledgement. */
function messageIdOf(client: MqttClient, callback: unknown): number | undefined {
  for (const [id, pending] of Object.entries(client.outgoing)) if (pending.cb === callback) return Number(id);
  return undefined;
}

export class MqttDestination implements Destination {
  readonly type = 'mqtt';
  readonly label: string;
  readonly warning: string | undefined;
  readonly batching: BatchLimits | undefined;
  /** With batches, a few sends keep the in-flight window full (see pipelinedSends). */
  readonly sendConcurrency: number | undefined;
  /** Publishes awaiting their acknowledgement, to settle at once when the destination closes. */
  private readonly pending = new Set<(error: Error) => void>();

  constructor(private readonly options: MqttDestinationOptions) {
    this.label = options.label;
    this.warning = options.warning;
    this.batching = options.batching;
    this.sendConcurrency = options.batching
      ? pipelinedSends(options.concurrency, options.batching.maxRecords)
      : undefined;
  }

  private publishOptions(record: OutgoingRecord, traceparent: string | undefined): IClientPublishOptions {
    const { qos, retain, protocolVersion, messageExpirySeconds } = this.options;
    if (protocolVersion === 4) return { qos, retain };
    return {
      qos,
      retain,
      properties: {
        contentType: record.contentType,
        userProperties: {
          'idempotency-key': record.idempotencyKey,
          ...(traceparent ? { traceparent } : {}),
        },
        ...(messageExpirySeconds !== undefined ? { messageExpiryInterval: messageExpirySeconds } : {}),
      },
    };
  }

  /** Publishes and waits for the acknowledgement; gives up (and takes the message back) on timeout or abort. */
  private publish(
    client: MqttClient,
    topic: string,
    record: OutgoingRecord,
    options: IClientPublishOptions,
    signal: AbortSignal,
  ): Promise<Published> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: Published) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.pending.delete(giveUp);
        resolve(result);
      };
      const callback = (error?: Error, packet?: Packet) => finish(error ? { error } : { packet });
      const giveUp = (error: Error) => {
        const id = messageIdOf(client, callback);
        finish({ error });
        if (id !== undefined) client.removeOutgoingMessage(id); // not resent later: the dispatcher retries it
      };
      const onAbort = () => giveUp(new Error('the send was cancelled'));
      const timer = setTimeout(
        () => giveUp(new Error(`no acknowledgement within ${this.options.publishTimeoutMs} ms`)),
        this.options.publishTimeoutMs,
      );
      this.pending.add(giveUp);
      signal.addEventListener('abort', onAbort, { once: true });
      client.publish(topic, record.payload, options, callback);
    });
  }

  /** One record, or a batch whose members are published pipelined (within the in-flight limit). */
  async send(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult> {
    // Each member under its own key: a batch of one too (its request carries the batch's key).
    const members = memberRequests(request, signal);
    if (members.length <= 1) return this.sendOne(members[0] ?? request, signal);
    return foldMemberResults(request, await Promise.all(members.map((m) => this.sendOne(m, signal))));
  }

  private async sendOne(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult> {
    const [record] = request.records;
    if (!record) throw new Error('the MQTT destination got a send without records');
    let topic: string;
    try {
      topic = renderTopic(this.options.topic, record);
    } catch (error) {
      if (!(error instanceof TopicError)) throw error;
      const text = `cannot name the topic: ${error.message}. Fix: change destination.topic or the record, then replay`;
      return { kind: 'dead', error: text, code: 'invalid-topic', latencyMs: 0 };
    }
    const summary = { operation: 'publish', target: topic, bytes: record.payload.length, records: 1 };
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    const { connection, limit, concurrency, connectTimeoutMs, reconnectPeriodMs } = this.options;
    const ready = await connection.connected(signal, connectTimeoutMs + reconnectPeriodMs);
    if ('problem' in ready) {
      const { code, message } = ready.problem;
      return {
        kind: 'retry',
        error: message,
        code,
        signal: 'failure',
        latencyMs: latency(),
        request: summary,
      };
    }
    const publishOptions = this.publishOptions(record, request.traceparent);
    const size = publishPacketBytes(topic, record.payload, publishOptions, this.options.protocolVersion);
    if (ready.maximumPacketSize !== undefined && size > ready.maximumPacketSize) {
      // Sent anyway, the broker would drop the connection, and mqtt.js would send it again on every reconnect.
      const error = `the message to ${topic} would be ${size} bytes, more than the ${ready.maximumPacketSize} the broker takes (its Maximum Packet Size); fix: raise the broker's limit or send smaller records, then replay`;
      return { kind: 'dead', error, code: 'packet-too-large', latencyMs: latency(), request: summary };
    }
    limit.setLimit(Math.min(concurrency, ready.receiveMaximum));
    if (!(await limit.acquire(signal)))
      return {
        kind: 'retry',
        error: 'the send was cancelled',
        code: 'aborted',
        signal: 'failure',
        latencyMs: latency(),
      };
    let published: Published;
    try {
      published = await this.publish(ready.client, topic, record, publishOptions, signal);
    } finally {
      limit.release();
    }
    const extra = { latencyMs: latency(), request: summary };
    if ('packet' in published)
      return { kind: 'delivered', code: this.options.qos === 2 ? 'PUBCOMP' : 'PUBACK', ...extra };
    const reason = reasonCodeOf(published.error);
    if (reason !== undefined)
      return {
        ...refusedPublishOutcome(reason, topic, this.options.qos === 2 ? 'PUBREC' : 'PUBACK'),
        ...extra,
      };
    const error = `the broker at ${this.options.hostPort} did not acknowledge the message to ${topic} (${published.error.message}); it is sent again`;
    return { kind: 'retry', error, code: 'no-ack', signal: 'failure', ...extra };
  }

  describe(): ConnectionFacts {
    return this.options.facts;
  }

  async close(): Promise<void> {
    for (const giveUp of [...this.pending]) giveUp(new Error('the agent is stopping'));
    await this.options.connection.close();
  }
}
