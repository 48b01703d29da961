// One long-lived MQTT connection per destination: connects on first use, reconnects in the background, keeps the session.
import type { IClientOptions, IConnackPacket, MqttClient } from 'mqtt';
import { loadMqtt } from './mqtt-library.js';
import type { Logger } from 'pino';
import {
  describeConnectError,
  problemOf,
  type ConnectionPlace,
  type ConnectionProblem,
} from './broker-errors.js';

/** What the broker allows when its CONNACK names no Receive Maximum. */
const defaultReceiveMaximum = 65_535;

/** A connected client with the limits its broker announced in the CONNACK. */
export interface Session {
  client: MqttClient;
  receiveMaximum: number;
  /** Largest packet the broker takes; undefined: no limit announced. */
  maximumPacketSize: number | undefined;
}

export type Connected = Session | { problem: ConnectionProblem };

const cancelled = () => problemOf('aborted', 'the send was cancelled', 'it is tried again');

export class BrokerConnection {
  private client: MqttClient | undefined;
  private receiveMaximum = defaultReceiveMaximum;
  private maximumPacketSize: number | undefined;
  private lastProblem: ConnectionProblem | undefined;
  /** Sends waiting for the outcome of the next connect attempt. */
  private readonly waiters = new Set<(result: Connected) => void>();

  constructor(
    private readonly options: IClientOptions,
    private readonly place: ConnectionPlace,
    private readonly logger: Logger,
  ) {}

  private settle(result: Connected): void {
    for (const waiter of [...this.waiters]) waiter(result);
  }

  private async start(): Promise<MqttClient> {
    if (this.client) return this.client;
    const { connect } = await loadMqtt();
    if (this.client) return this.client; // another caller started it while the library loaded
    const client = connect(this.options);
    client.on('connect', (connack: IConnackPacket) => {
      this.lastProblem = undefined;
      this.receiveMaximum = connack.properties?.receiveMaximum ?? defaultReceiveMaximum;
      this.maximumPacketSize = connack.properties?.maximumPacketSize;
      this.logger.info(
        {
          broker: this.place.hostPort,
          sessionPresent: connack.sessionPresent,
          receiveMaximum: this.receiveMaximum,
        },
        'connected to the MQTT broker',
      );
      this.settle(this.session(client));
    });
    client.on('error', (error) => {
      const problem = describeConnectError(error, this.place);
      if (problem.message !== this.lastProblem?.message)
        this.logger.warn({ code: problem.code }, problem.message);
      this.lastProblem = problem;
      this.settle({ problem });
    });
    client.on('close', () =>
      this.settle({
        problem:
          this.lastProblem ??
          problemOf(
            'closed',
            `the broker at ${this.place.hostPort} closed the connection`,
            'it is tried again',
          ),
      }),
    );
    this.client = client;
    return client;
  }

  private session(client: MqttClient): Session {
    return { client, receiveMaximum: this.receiveMaximum, maximumPacketSize: this.maximumPacketSize };
  }

  /** The session when the client is connected now (a send's fast path), else undefined. */
  current(): Session | undefined {
    return this.client?.connected ? this.session(this.client) : undefined;
  }

  /**
   * A connected client: at once when connected, else after the next connect attempt, which either connects or fails
   * (the failure in words); gives up after `timeoutMs` or when `signal` aborts.
   */
  async connected(signal: AbortSignal, timeoutMs: number): Promise<Connected> {
    const client = await this.start();
    if (client.connected) return Promise.resolve(this.session(client));
    if (signal.aborted) return Promise.resolve({ problem: cancelled() });
    return new Promise((resolve) => {
      const finish = (result: Connected) => {
        clearTimeout(timer);
        this.waiters.delete(finish);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onAbort = () => finish({ problem: cancelled() });
      const timer = setTimeout(
        () =>
          finish({
            problem:
              this.lastProblem ??
              problemOf(
                'timeout',
                `no connection to the broker at ${this.place.hostPort} within ${timeoutMs} ms`,
                'is it running?',
              ),
          }),
        timeoutMs,
      );
      this.waiters.add(finish);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Disconnects at once; pending publishes are settled by their callers. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.settle({ problem: problemOf('closed', 'the destination was closed', 'it is tried again') });
    if (client) await client.endAsync(true);
  }
}
