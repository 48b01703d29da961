// The config file behind runtime changes: read raw, change, validate, save atomically; one change at a time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText, readConfigText, validateConfig } from '../config/load-config.js';
import { migrateRawConfig } from '../config/migrations.js';
import { configFormatOf } from '../config/config-format.js';
import { saveConfigFile } from '../config/save-config.js';
import { applyChanges, pruneDefaults } from '../config/yaml-edit.js';
import { writeFileAtomically } from '../shared/atomic-write.js';
import { yaml } from '../config/yaml-module.js';
import { currentConfigVersion, type AgentConfig, type AgentConfigInput } from '../config/schema.js';

/** The config as written in the file (no defaults filled in), so a save keeps the file as the admin wrote it. */
export type RawConfig = Record<string, unknown> & { connections?: unknown };

export class ConfigStore {
  private queue: Promise<unknown> = Promise.resolve();

  /** `configFile`: the file the agent was started with; without one (sandbox), config.yaml in the data dir. */
  constructor(configFile: string | undefined, dataDir: string) {
    this.file = configFile ?? join(dataDir, 'config.yaml');
  }

  readonly file: string;

  /**
   * Applies `change` to the file's raw content and saves it if the result validates (ConfigError otherwise, file
   * untouched). A missing file starts empty: the sandbox's own connection is never written to it.
   */
  update(change: (raw: RawConfig) => void): Promise<AgentConfig> {
    const next = this.queue.then(async () => {
      const { raw, text, migrated } = await this.read();
      const before = structuredClone(raw);
      change(raw);
      const { config } = validateConfig(raw, this.file);
      if (text !== undefined && !migrated && configFormatOf(this.file) === 'yaml') {
        // Only the changed nodes are written: comments, layout and what the admin left to defaults stay.
        pruneDefaults(before, raw, (candidate) => validateConfig(candidate, this.file).config);
        const doc = yaml().parseDocument(text);
        applyChanges(doc, before, raw);
        await writeFileAtomically(this.file, doc.toString());
      } else {
        await saveConfigFile(this.file, raw as AgentConfigInput);
      }
      return config;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<{ raw: RawConfig; text?: string; migrated: boolean }> {
    if (!existsSync(this.file)) return { raw: { configVersion: currentConfigVersion }, migrated: false };
    const text = await readConfigText(this.file);
    const { raw, migratedFrom } = migrateRawConfig(
      parseConfigText(text, this.file),
      undefined,
      undefined,
      this.file,
    );
    return { raw, text, migrated: migratedFrom !== undefined };
  }
}

/** The raw connections list of a config, created when absent. */
export function rawConnections(raw: RawConfig): Record<string, unknown>[] {
  if (!Array.isArray(raw.connections)) raw.connections = [];
  return raw.connections as Record<string, unknown>[];
}
