// Picks the transport: the Electron preload's window.agent in the desktop app, else the web console client (same origin) with its link state.
import type { AgentApi } from '../../../preload/contract/api.js';
import { createConsoleClient, type DownloadedBundle } from './console-client.js';
import { LinkState, type LinkWatch } from './link-state.js';

export interface Transport {
  api: AgentApi;
  /** Only the web console can lose its link (the desktop app's IPC lives as long as the window). */
  link?: LinkWatch;
  /** Only the web console downloads bundles into the browser; the desktop app saves them on this machine. */
  downloadBundle?: () => Promise<DownloadedBundle>;
}

export function resolveTransport(): Transport {
  const bridged = (globalThis as { agent?: AgentApi }).agent;
  if (bridged) return { api: bridged };
  const link = new LinkState();
  // A sign-in link pasted into this tab changes only the hash: reload so the new token signs in.
  window.addEventListener('hashchange', () => {
    if (/(?:^#|&)token=/.test(window.location.hash)) window.location.reload();
  });
  const client = createConsoleClient('', { link });
  return { api: client, link, downloadBundle: () => client.downloadBundle() };
}
