// Where the agent keeps its outbox, logs and lock when no --data-dir is given: per platform and per user.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INTEGRATION_AGENT_DATA_DIR) return env.INTEGRATION_AGENT_DATA_DIR;
  switch (platform()) {
    case 'win32':
      return join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'IntegrationAgent');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'IntegrationAgent');
    default:
      if (process.getuid?.() === 0) return '/var/lib/integration-agent';
      return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'integration-agent');
  }
}

export const outboxFile = (dataDir: string) => join(dataDir, 'outbox.db');
export const statusFile = (dataDir: string) => join(dataDir, 'status.json');
export const logDir = (dataDir: string) => join(dataDir, 'logs');
export const defaultConfigFile = (dataDir: string) => join(dataDir, 'config.yaml');
