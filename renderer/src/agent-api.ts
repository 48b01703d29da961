// The slice of the preload contract the renderer uses so far: read the status and follow its updates.
import type { AgentStatus } from '../../preload/contract/status.js';

export interface AgentStatusApi {
  status(): Promise<AgentStatus>;
  onStatus(listener: (status: AgentStatus) => void): () => void;
}

declare global {
  interface Window {
    agent?: AgentStatusApi;
  }
}
