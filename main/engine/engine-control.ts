// Runtime changes an admin makes: add, replace, remove, pause and resume connections and change settings, saved to the config file first.
import type { AgentConfig, ConnectionConfig } from '../config/schema.js';
import { rawConnections, type ConfigStore, type RawConfig } from './config-store.js';
import type { Engine } from './engine.js';

/** A runtime change that cannot be made as asked; `kind` tells the API which error code to answer with. */
export class ControlError extends Error {
  constructor(
    readonly kind: 'not-found' | 'conflict' | 'invalid',
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

const notFound = (id: string) =>
  new ControlError('not-found', `there is no connection "${id}"`, 'list the connections to see their ids');

export class EngineControl {
  constructor(
    readonly engine: Engine,
    readonly store: ConfigStore,
  ) {}

  connection(id: string): ConnectionConfig {
    const found = this.engine.currentConfig().connections.find((c) => c.id === id);
    if (!found) throw notFound(id);
    return found;
  }

  /** Validates the whole config with the new connection, saves it, then starts only the new connection. */
  async addConnection(input: Record<string, unknown>): Promise<ConnectionConfig> {
    const id = idOf(input);
    if (this.engine.currentConfig().connections.some((c) => c.id === id))
      throw new ControlError(
        'conflict',
        `a connection "${id}" already exists`,
        'choose another id, or edit the existing connection',
      );
    await this.save((raw) => {
      const list = rawConnections(raw);
      if (list.some((c) => c.id === id))
        throw new ControlError(
          'conflict',
          `the config file already has a connection "${id}"`,
          'choose another id',
        );
      list.push(input);
    });
    return this.connection(id);
  }

  /** Replaces a connection's config (the id stays: delivery history is keyed by it) and restarts only it. */
  async updateConnection(id: string, input: Record<string, unknown>): Promise<ConnectionConfig> {
    if (idOf(input) !== id)
      throw new ControlError(
        'invalid',
        `the connection's id cannot change (from "${id}" to "${String(input.id)}")`,
        'keep the id (delivery history is keyed by it), or add a new connection and remove the old one',
      );
    this.connection(id);
    await this.save((raw) => {
      const list = rawConnections(raw);
      const index = list.findIndex((c) => c.id === id);
      if (index === -1) throw notFound(id);
      list[index] = input;
    });
    return this.connection(id);
  }

  /** Stops the connection and removes it from the config; its outbox records stay (and resume if it comes back). */
  async removeConnection(id: string): Promise<void> {
    this.connection(id);
    await this.save((raw) => {
      const list = rawConnections(raw);
      const index = list.findIndex((c) => c.id === id);
      if (index === -1) throw notFound(id);
      list.splice(index, 1);
    });
    await this.engine.connections.forget(id);
  }

  async pauseConnection(id: string): Promise<void> {
    this.connection(id);
    await this.engine.connections.pause(id);
  }

  async resumeConnection(id: string): Promise<void> {
    this.connection(id);
    await this.engine.connections.resume(id);
  }

  /** Any other change of the file (settings); the engine adopts the result. */
  async updateConfig(change: (raw: RawConfig) => void): Promise<AgentConfig> {
    return this.save(change);
  }

  private async save(change: (raw: RawConfig) => void): Promise<AgentConfig> {
    const next = await this.store.update(change);
    await this.engine.applyConfig(next);
    return next;
  }
}

function idOf(input: Record<string, unknown>): string {
  if (typeof input.id !== 'string' || input.id === '')
    throw new ControlError('invalid', 'the connection has no id', 'give it an id such as "invoices"');
  return input.id;
}
