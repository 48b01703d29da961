// Root component: shows the live status banner when hosted by the agent (Electron preload or web console).
import { useEffect, useState } from 'react';
import type { AgentStatus } from '../../preload/contract/status.js';
import { StatusBanner } from './status-banner.js';

export function App() {
  const [status, setStatus] = useState<AgentStatus | undefined>();
  useEffect(() => {
    const api = window.agent;
    if (!api) return;
    void api.status().then(setStatus);
    return api.onStatus(setStatus);
  }, []);
  if (!window.agent) return <p>Open this page from the integration agent (desktop app or local console).</p>;
  return status ? <StatusBanner status={status} /> : <p>Loading status…</p>;
}
