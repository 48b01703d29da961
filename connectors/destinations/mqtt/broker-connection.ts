// One long-lived MQTT connection per destination: connects on first use, reconnects in the background, keeps the session.
import { connect, type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import {
  describeConnectError,
  problemOf,
  type ConnectionPlace,
  type ConnectionProblem,
} from './broker-errors.js';

/** What the broker allows when its CONNACK names no Receive Maximum. */
const defaultReceiveMaximum = 65_535;

export type Connected = { client: MqttClient; receiveMaximum: number } | { problem: ConnectionProblem };

export class BrokerConnection {
  private client: MqttClient | undefined;
  private receiveMaximum = defaultReceiveMaximum;
  private lastProblem: ConnectionProblem | undefined;

  constructor(
    private readonly options: IClientOptions,
    private readonly place: ConnectionPlace,
    private readonly logger: Logger,
  ) {}

  private start(): MqttClient {
    if (this.client) return this.client;
    const client = connect(this.options);
    client.on('connect', (connack: IConnackPacket) => {
      this.lastProblem = undefined;
      this.receiveMaximum = connack.properties?.receiveMaximum ?? defaultReceiveMaximum;
      this.logger.info(
        {
          broker: this.place.hostPort,
          sessionPresent: connack.sessionPresent,
          receiveMaximum: this.receiveMaximum,
        },
        'connected to the MQTT broker',
      );
    });
    client.on('error', (error) => {
      const problem = describeConnectError(error, this.place);
      if (problem.message !== this.lastProblem?.message)
        this.logger.warn({ code: problem.code }, problem.message);
      this.lastProblem = problem;
    });
    this.client = client;
    return client;
  }

  /**
   * A connected client: at once when connected, else after the next connect attempt, which either connects or fails
   * (the failure in words); gives up after `timeoutMs` or when `signal` aborts.
   */
  connected(signal: AbortSignal, timeoutMs: number): Promise<Connected> {
    const client = this.start();
    if (client.connected) return Promise.resolve({ client, receiveMaximum: this.receiveMaximum });
    if (signal.aborted)
      return Promise.resolve({
        problem: problemOf('aborted', 'the send was cancelled', 'it is tried again'),
      });
    return new Promise((resolve) => {
      const finish = (result: Connected) => {
        clearTimeout(timer);
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('close', onClose);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onConnect = () => finish({ client, receiveMaximum: this.receiveMaximum });
      const onError = (error: Error) => finish({ problem: describeConnectError(error, this.place) });
      const onClose = () =>
        finish({
          problem:
            this.lastProblem ??
            problemOf(
              'closed',
              `the broker at ${this.place.hostPort} closed the connection`,
              'it is tried again',
            ),
        });
      const onAbort = () =>
        finish({ problem: problemOf('aborted', 'the send was cancelled', 'it is tried again') });
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
      client.on('connect', onConnect);
      client.on('error', onError);
      client.on('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Disconnects at once; pending publishes are settled by their callers. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(true);
  }
}
