// MQTT destination: publishes each record as one message and counts it delivered on the broker's PUBACK or PUBCOMP.
import type { IClientPublishOptions } from 'mqtt';
import { foldMemberResults, pipelinedSends } from '../../core/message-batch.js';
import { templateFields } from '../../core/record-template.js';
import { SendCancel } from '../../core/send-cancel.js';
import type {
  BatchLimits,
  ConnectionFacts,
  Destination,
  OutgoingRecord,
  OutgoingRequest,
  RequestSummary,
  SendResult,
} from '../../core/destination.js';
import { AwaitedPublish, type Published } from './awaited-publish.js';
import type { BrokerConnection } from './broker-connection.js';
import { reasonCodeOf, refusedPublishOutcome } from './broker-errors.js';
import type { InFlightLimit } from './in-flight-limit.js';
import { publishPacketBytes } from './packet-size.js';
import { renderTopic, TopicError, topicProblem } from './topic.js';

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

/** A record ready to publish: its topic and options, and what its result reports as sent. */
interface Prepared {
  record: OutgoingRecord;
  topic: string;
  options: IClientPublishOptions;
  summary: RequestSummary;
}

/** Why nothing more of a send is published (no connection, cancelled): the same retry for every member left. */
type Stopped = Omit<Extract<SendResult, { kind: 'retry' }>, 'latencyMs' | 'request'>;

export class MqttDestination implements Destination {
  readonly type = 'mqtt';
  readonly label: string;
  readonly warning: string | undefined;
  readonly batching: BatchLimits | undefined;
  /** With batches, a few sends keep the in-flight window full (see pipelinedSends). */
  readonly sendConcurrency: number | undefined;
  /** Publishes awaiting their acknowledgement, to settle at once when the destination closes. */
  private readonly open = new Set<AwaitedPublish>();
  /** The topic of every record when the template has no placeholders (checked once), else undefined. */
  private readonly fixedTopic: string | undefined;
  private readonly ackCode: 'PUBACK' | 'PUBCOMP';
  /** Counts sends: a send's number is its rank for in-flight slots (older sends first, see InFlightLimit). */
  private sends = 0;

  constructor(private readonly options: MqttDestinationOptions) {
    this.label = options.label;
    this.warning = options.warning;
    this.batching = options.batching;
    this.sendConcurrency = options.batching
      ? pipelinedSends(options.concurrency, options.batching.maxRecords)
      : undefined;
    const fixed = templateFields(options.topic).length === 0 && topicProblem(options.topic) === undefined;
    this.fixedTopic = fixed ? options.topic : undefined;
    this.ackCode = options.qos === 2 ? 'PUBCOMP' : 'PUBACK';
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

  /**
   * One record, or a batch whose members are published in order as the in-flight limit frees slots (each under its
   * own key, a batch of one too), their answers folded into one result.
   */
  async send(request: OutgoingRequest, signal: AbortSignal): Promise<SendResult> {
    const sending = new SendCancel(signal);
    const rank = this.sends++;
    const started = performance.now();
    try {
      const answers: Promise<SendResult>[] = [];
      let stopped: Stopped | undefined;
      for (const record of request.records) {
        const prepared = this.prepare(record, request.traceparent);
        if ('kind' in prepared) answers.push(Promise.resolve(prepared));
        else if (stopped) answers.push(Promise.resolve(this.stoppedResult(stopped, prepared, started)));
        else {
          const sent = await this.start(prepared, sending, rank, started);
          if ('stopped' in sent) stopped = sent.stopped;
          answers.push(
            'stopped' in sent
              ? Promise.resolve(this.stoppedResult(sent.stopped, prepared, started))
              : sent.answer,
          );
        }
      }
      if (answers.length === 0) throw new Error('the MQTT destination got a send without records');
      if (answers.length === 1) return await (answers[0] as Promise<SendResult>);
      return foldMemberResults(request, await Promise.all(answers));
    } finally {
      sending.close();
    }
  }

  /** The topic, options and summary of one record, or its dead result when it cannot be published at all. */
  private prepare(record: OutgoingRecord, traceparent: string | undefined): Prepared | SendResult {
    let topic = this.fixedTopic;
    if (topic === undefined)
      try {
        topic = renderTopic(this.options.topic, record);
      } catch (error) {
        if (!(error instanceof TopicError)) throw error;
        const text = `cannot name the topic: ${error.message}. Fix: change destination.topic or the record, then replay`;
        return { kind: 'dead', error: text, code: 'invalid-topic', latencyMs: 0 };
      }
    const summary = { operation: 'publish', target: topic, bytes: record.payload.length, records: 1 };
    return { record, topic, options: this.publishOptions(record, traceparent), summary };
  }

  private stoppedResult(stopped: Stopped, prepared: Prepared, started: number): SendResult {
    return { ...stopped, latencyMs: Math.round(performance.now() - started), request: prepared.summary };
  }

  /**
   * Waits for a connected client and a free slot, then publishes: the answer to come, a result at once (too large),
   * or why the rest of the send is not published either.
   */
  private async start(
    prepared: Prepared,
    sending: SendCancel,
    rank: number,
    started: number,
  ): Promise<{ answer: Promise<SendResult> } | { stopped: Stopped }> {
    const { connection, limit, concurrency, connectTimeoutMs, reconnectPeriodMs } = this.options;
    const ready =
      (sending.aborted ? undefined : connection.current()) ??
      (await connection.connected(sending.signal, connectTimeoutMs + reconnectPeriodMs));
    if ('problem' in ready) {
      const { code, message } = ready.problem;
      return { stopped: { kind: 'retry', error: message, code, signal: 'failure' } };
    }
    const { topic, record, options, summary } = prepared;
    if (ready.maximumPacketSize !== undefined) {
      const size = publishPacketBytes(topic, record.payload, options, this.options.protocolVersion);
      if (size > ready.maximumPacketSize) {
        // Sent anyway, the broker would drop the connection, and mqtt.js would send it again on every reconnect.
        const error = `the message to ${topic} would be ${size} bytes, more than the ${ready.maximumPacketSize} the broker takes (its Maximum Packet Size); fix: raise the broker's limit or send smaller records, then replay`;
        const latencyMs = Math.round(performance.now() - started);
        return {
          answer: Promise.resolve({
            kind: 'dead',
            error,
            code: 'packet-too-large',
            latencyMs,
            request: summary,
          }),
        };
      }
    }
    limit.setLimit(Math.min(concurrency, ready.receiveMaximum));
    if (!limit.tryAcquire() && !(await limit.acquire(sending.signal, rank)))
      return {
        stopped: { kind: 'retry', error: 'the send was cancelled', code: 'aborted', signal: 'failure' },
      };
    const publish = new AwaitedPublish(
      ready.client,
      topic,
      record.payload,
      options,
      this.options.publishTimeoutMs,
      sending,
      this.open,
    );
    return { answer: publish.answer.then((published) => this.answered(published, prepared, started)) };
  }

  private answered(published: Published, prepared: Prepared, started: number): SendResult {
    this.options.limit.release();
    const extra = { latencyMs: Math.round(performance.now() - started), request: prepared.summary };
    if ('packet' in published) return { kind: 'delivered', code: this.ackCode, ...extra };
    const { topic } = prepared;
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
    for (const publish of [...this.open]) publish.giveUp(new Error('the agent is stopping'));
    await this.options.connection.close();
  }
}
