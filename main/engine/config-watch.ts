// Watches the config file (debounced) and applies a valid edit live; an invalid one is refused with the reason in status and the log while the running config stays.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Notice } from '../../preload/contract/status.js';
import { loadConfigFile } from '../config/load-config.js';
import type { AgentConfig } from '../config/schema.js';
import type { Engine } from './engine.js';

export interface ConfigWatchOptions {
  /** Quiet time after the last change before the file is read (editors write in several steps). */
  debounceMs?: number;
}

export type ReloadOutcome =
  { kind: 'applied'; changed: string[] } | { kind: 'unchanged' } | { kind: 'refused'; reason: string };

/** Connection ids added, removed or changed between two configs (the ones applyConfig rebuilds). */
function changedConnections(before: AgentConfig, after: AgentConfig): string[] {
  const old = new Map(before.connections.map((c) => [c.id, JSON.stringify(c)]));
  const ids = new Set([...old.keys(), ...after.connections.map((c) => c.id)]);
  return [...ids].filter((id) => old.get(id) !== JSON.stringify(after.connections.find((c) => c.id === id)));
}

/** One line for the run output: what a reload did. */
export function describeReload(outcome: ReloadOutcome): string {
  if (outcome.kind === 'unchanged') return 'the config file is unchanged';
  if (outcome.kind === 'refused') return `the config file was not applied: ${outcome.reason}`;
  return outcome.changed.length > 0
    ? `applied; connections rebuilt: ${outcome.changed.join(', ')}`
    : 'applied (agent-wide settings only; every connection kept running)';
}

export class ConfigWatch {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refusal: Notice | undefined;
  private running: Promise<ReloadOutcome> = Promise.resolve({ kind: 'unchanged' });

  constructor(
    private readonly engine: Engine,
    private readonly file: string,
    private readonly options: ConfigWatchOptions = {},
  ) {}

  /** Watches the file's folder: saves that replace the file (atomic renames) end a watch on the file itself. */
  start(): void {
    const name = basename(this.file);
    this.watcher = watch(dirname(this.file), (_event, changed) => {
      if (changed === null || changed.toString() === name) this.schedule();
    });
    this.watcher.on('error', (error) =>
      this.engine.logger.warn({ err: error, file: this.file }, 'config: cannot watch the config file'),
    );
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 500);
    this.timer.unref();
  }

  /** Reads, validates and applies the file now (also `integration-agent config reload`); one reload at a time. */
  reload(): Promise<ReloadOutcome> {
    const next = this.running.then(() => this.reloadNow());
    this.running = next.catch(() => ({ kind: 'unchanged' }) as const);
    return next;
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    const { logger } = this.engine;
    let config: AgentConfig;
    try {
      ({ config } = await loadConfigFile(this.file));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.error(
        { file: this.file, reason },
        'config: the edited config file is invalid; the running config stays',
      );
      this.refuse(reason);
      return { kind: 'refused', reason };
    }
    this.clearRefusal();
    const current = this.engine.currentConfig();
    // A save through the UI was applied already: reading it back changes nothing.
    if (JSON.stringify(config) === JSON.stringify(current)) return { kind: 'unchanged' };
    const changed = changedConnections(current, config);
    await this.engine.applyConfig(config);
    logger.info({ file: this.file, changed }, `config: ${describeReload({ kind: 'applied', changed })}`);
    return { kind: 'applied', changed };
  }

  private refuse(reason: string): void {
    this.clearRefusal();
    this.refusal = {
      level: 'error',
      at: Date.now(),
      message: `The edited config file was not applied; the agent keeps running the previous config. ${reason}`,
    };
    this.engine.addNotice(this.refusal);
  }

  private clearRefusal(): void {
    if (this.refusal) this.engine.removeNotice(this.refusal);
    this.refusal = undefined;
  }
}
