// Per-connection shaping state of the engine: compiled contracts, the running shapers and what their filters skipped.
import type { Logger } from 'pino';
import type { ConnectionConfig } from '../config/schema.js';
import type { Outbox } from '../outbox/outbox.js';
import { ConnectionShaper } from '../shaping/connection-shaper.js';
import type { ContractCheck } from '../shaping/contract-check.js';
import { mappingVersionProblem } from '../shaping/mapping-fingerprint.js';

export class ConnectionShaping {
  private readonly shapers = new Map<string, ConnectionShaper>();
  /** The compiled contract of each running connection that names one (read, or fetched and pin-checked, at start). */
  private readonly contracts = new Map<string, ContractCheck>();
  /** Records the mapping filter skipped since the agent started, per connection. */
  private readonly skipped = new Map<string, number>();

  constructor(
    private readonly outbox: Outbox,
    private readonly onSkipped: () => void,
  ) {}

  contractCheck(connection: string): ContractCheck | undefined {
    return this.contracts.get(connection);
  }

  /**
   * A connection whose mapping version was edited in place, or whose contract cannot be used (unreadable, or a
   * fetched document that no longer matches its pin), is built with that error (status: "Cannot start: …"). The
   * compiled contract is kept for the connection's emit path.
   */
  async checked<T>(connection: ConnectionConfig, secrets: T): Promise<T | Error> {
    this.contracts.delete(connection.id);
    const problem =
      connection.mapping && mappingVersionProblem(this.outbox, connection.id, connection.mapping);
    if (problem) return new Error(problem);
    if (!connection.contract) return secrets;
    try {
      // The OpenAPI parser and the schema compiler load only for connections that name a contract.
      const { loadContract } = await import('../shaping/openapi-contract.js');
      this.contracts.set(connection.id, await loadContract(connection.contract));
      return secrets;
    } catch (error) {
      return error as Error;
    }
  }

  /** The shaper of a connection being built (undefined without a mapping); it replaces the previous one. */
  shaperFor(
    connection: ConnectionConfig | undefined,
    id: string,
    logger: Logger,
  ): ConnectionShaper | undefined {
    const mapping = connection?.mapping;
    const shaper =
      mapping &&
      new ConnectionShaper(
        mapping,
        logger,
        (count) => {
          this.skipped.set(id, (this.skipped.get(id) ?? 0) + count);
          this.onSkipped();
        },
        this.contracts.get(id),
      );
    if (shaper) this.shapers.set(id, shaper);
    else this.shapers.delete(id);
    return shaper;
  }

  /** "mapping v3; 12 records skipped by the mapping filter": the status line of a connection's mapping. */
  facts(connection: string): string | undefined {
    const shaper = this.shapers.get(connection);
    if (!shaper) return undefined;
    const skipped = this.skipped.get(connection) ?? 0;
    return `mapping v${shaper.version}; ${skipped} record${skipped === 1 ? '' : 's'} skipped by the mapping filter`;
  }
}
