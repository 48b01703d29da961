// One lazily opened AMQP connection with one confirm channel, reopened on the next send after either closes.
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { loadAmqp } from './amqp-library.js';
import type { BrokerAddress } from './config.js';
import type { AmqpTlsOptions } from './tls-files.js';

export interface LinkOptions {
  address: BrokerAddress;
  username: string;
  password: string;
  heartbeatSeconds: number;
  connectTimeoutMs: number;
  /** Set for amqps://. */
  tls?: AmqpTlsOptions;
}

/** Told when the broker blocks the connection (an in-flight send gives up waiting). */
export interface BlockedListener {
  blocked(reason: string): void;
}

/** The live connection and what happened to it: the error it closed with, and the broker's block reason. */
export interface ConnectionState {
  model: ChannelModel;
  closed: boolean;
  error?: Error;
  /** connection.blocked reason while the broker holds publishers back. */
  blocked?: string;
  /** Told when the broker blocks the connection. */
  onBlocked: Set<BlockedListener>;
}

/** The confirm channel in use, with the error the broker closed it with and the messages it returned. */
export interface ChannelState {
  channel: ConfirmChannel;
  connection: ConnectionState;
  closed: boolean;
  error?: Error;
  /** Publishes waiting for their confirm on this channel. */
  pending: number;
  /** How many were waiting when the broker closed the channel with `error` (1: it was that message). */
  pendingAtError?: number;
  /** Message ids of the publishes waiting for their confirm. */
  awaiting: Set<string>;
  /** basic.return of mandatory messages no queue took, by message id (a return comes before its ack). */
  returned: Map<string, Message>;
}

/** Opens a connection to the broker (TCP, TLS, login, vhost) with the link's settings. */
export async function openConnection(options: LinkOptions): Promise<ChannelModel> {
  const { address } = options;
  const amqp = await loadAmqp();
  return amqp.connect(
    {
      protocol: address.tls ? 'amqps' : 'amqp',
      hostname: address.hostname,
      port: address.port,
      vhost: address.vhost,
      username: options.username,
      password: options.password,
      heartbeat: options.heartbeatSeconds,
    },
    {
      timeout: options.connectTimeoutMs,
      noDelay: true,
      clientProperties: { connection_name: 'integration-agent' },
      ...(options.tls ?? {}),
    },
  );
}

export class BrokerLink {
  private connection: Promise<ConnectionState> | undefined;
  private channel: Promise<ChannelState> | undefined;
  /** The channel last opened, for current(). */
  private opened: ChannelState | undefined;
  private closing = false;

  constructor(private readonly options: LinkOptions) {}

  /** The open confirm channel when there is one now (a send's fast path), else undefined: then call ready(). */
  current(): ChannelState | undefined {
    const state = this.opened;
    return state && !this.closing && !state.closed && !state.connection.closed ? state : undefined;
  }

  /** The open confirm channel, connecting first when needed; rejects with the connect or channel-open error. */
  async ready(): Promise<ChannelState> {
    if (this.closing) throw new Error('the destination is closing');
    const current = this.channel;
    if (current) {
      const state = await current.catch(() => undefined);
      if (state && !state.closed && !state.connection.closed) return state;
      if (this.channel === current) this.channel = undefined;
    }
    this.channel ??= this.openChannel();
    const opening = this.channel;
    try {
      return await opening;
    } catch (error) {
      if (this.channel === opening) this.channel = undefined;
      throw error;
    }
  }

  private async liveConnection(): Promise<ConnectionState> {
    const current = this.connection;
    if (current) {
      const state = await current.catch(() => undefined);
      if (state && !state.closed) return state;
      if (this.connection === current) this.connection = undefined;
    }
    this.connection ??= this.connect();
    const opening = this.connection;
    try {
      return await opening;
    } catch (error) {
      if (this.connection === opening) this.connection = undefined;
      throw error;
    }
  }

  private async connect(): Promise<ConnectionState> {
    const model = await openConnection(this.options);
    const state: ConnectionState = { model, closed: false, onBlocked: new Set() };
    model.on('error', (error: Error) => {
      state.error = error;
    });
    model.on('close', (error?: Error) => {
      state.closed = true;
      if (error) state.error ??= error;
    });
    model.on('blocked', (reason: string) => {
      state.blocked = reason;
      for (const listener of [...state.onBlocked]) listener.blocked(reason);
    });
    model.on('unblocked', () => {
      delete state.blocked;
    });
    return state;
  }

  private async openChannel(): Promise<ChannelState> {
    const connection = await this.liveConnection();
    const channel = await connection.model.createConfirmChannel();
    const state: ChannelState = {
      channel,
      connection,
      closed: false,
      pending: 0,
      awaiting: new Set(),
      returned: new Map(),
    };
    channel.on('error', (error: Error) => {
      state.error = error;
      state.pendingAtError = state.pending;
    });
    channel.on('close', () => {
      state.closed = true;
    });
    channel.on('return', (message: Message) => {
      const id = message.properties.messageId as unknown;
      if (typeof id === 'string' && state.awaiting.has(id)) state.returned.set(id, message);
    });
    this.opened = state;
    return state;
  }

  async close(): Promise<void> {
    this.closing = true;
    const connection = await this.connection?.catch(() => undefined);
    this.connection = undefined;
    this.channel = undefined;
    this.opened = undefined;
    if (connection && !connection.closed) await connection.model.close().catch(() => undefined);
  }
}
