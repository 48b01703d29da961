// Decides which config and data directory a command uses: --config, the data dir's config.yaml, or the sandbox.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigFile } from '../config/load-config.js';
import type { AgentConfig } from '../config/schema.js';
import { defaultConfigFile, defaultDataDir } from '../shared/data-dir.js';
import { withConfigErrors } from './with-config-errors.js';

export interface SetupOptions {
  config?: string;
  dataDir?: string;
}

export interface Setup {
  dataDir: string;
  /** Undefined: no config anywhere, run the embedded sandbox. */
  config?: AgentConfig;
  configFile?: string;
}

async function load(file: string): Promise<AgentConfig> {
  return (await withConfigErrors(() => loadConfigFile(file))).config;
}

export async function resolveSetup(options: SetupOptions): Promise<Setup> {
  if (options.config) {
    const configFile = resolve(options.config);
    const config = await load(configFile);
    return { dataDir: resolve(options.dataDir ?? config.dataDir ?? defaultDataDir()), config, configFile };
  }
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const configFile = defaultConfigFile(dataDir);
  if (existsSync(configFile)) return { dataDir, config: await load(configFile), configFile };
  return { dataDir };
}
