// The embedded first-run setup: a sandbox inbox folder under the data dir delivering to a loopback sandbox ingest API.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { agentConfigSchema, type AgentConfig } from '../config/schema.js';
import { startIngestServer, type IngestServer } from './ingest-server.js';
import { sandboxConnectionId } from './sandbox-id.js';

export interface Sandbox {
  config: AgentConfig;
  inbox: string;
  ingest: IngestServer;
}

const readme = `This folder belongs to the integration agent's SANDBOX.
Drop any file here: the agent captures it into its outbox and delivers it, exactly once,
to a local sandbox API on this machine (nothing leaves the machine).
Write a real config (config.yaml in the data directory, or --config) to connect real systems.
`;

export async function startSandbox(dataDir: string): Promise<Sandbox> {
  const root = join(dataDir, 'sandbox');
  const inbox = join(root, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const readmeFile = join(root, 'README.txt');
  if (!existsSync(readmeFile)) writeFileSync(readmeFile, readme);
  const ingest = await startIngestServer({ storeFile: join(root, 'ingest.db'), sandbox: true });
  const config = agentConfigSchema.parse({
    configVersion: 1,
    sandbox: true,
    connections: [
      {
        id: sandboxConnectionId,
        name: 'Sandbox inbox → sandbox API',
        source: { type: 'folder', path: inbox, quietPeriodMs: 1000 },
        destination: { type: 'http', url: `${ingest.url}/ingest/sandbox`, concurrency: 2 },
      },
    ],
  });
  return { config, inbox, ingest };
}
