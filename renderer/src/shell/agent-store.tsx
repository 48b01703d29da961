// One live subscription to the agent per page: status, role, recent log events and throughput, shared via context.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { AgentStatus } from '../../../preload/contract/status.js';
import type { AgentApi, LogEvent, Role, ThroughputSeries } from '../agent-api.js';
import type { DownloadedBundle } from '../transport/console-client.js';
import type { Link } from '../transport/link-state.js';
import type { Transport } from '../transport/resolve-agent-api.js';
import { useRoleExpiry } from './use-role-expiry.js';

export interface AgentStore {
  api: AgentApi;
  status: AgentStatus | undefined;
  role: Role;
  /** When the admin role lapses (epoch ms), when the transport says so (web console). */
  adminUntil: number | undefined;
  setRole: (role: Role, adminUntil?: number) => void;
  /** The live link: always 'live' in the desktop app. */
  link: Link;
  /** Since when the link is down (epoch ms). */
  linkDownSince: number | undefined;
  retryLink: () => void;
  /** Live log events received since the page opened, newest last (bounded). */
  liveLogs: LogEvent[];
  throughput: ThroughputSeries[] | undefined;
  /** Bumped by every dead-letter event, so pages showing dead letters can reload once. */
  deadLetterVersion: number;
  /** Wall clock, ticking every second, for "12 s ago" texts. */
  now: number;
  /** Why the live connection failed, when it did. */
  problem: unknown;
  /** Downloads a support bundle into the browser (web console only). */
  downloadBundle: (() => Promise<DownloadedBundle>) | undefined;
}

const StoreContext = createContext<AgentStore | undefined>(undefined);

const maxLiveLogs = 500;
const throughputEveryMs = 5_000;

export function AgentProvider({ transport, children }: { transport: Transport; children: ReactNode }) {
  const { api, link: watch, downloadBundle } = transport;
  const [status, setStatus] = useState<AgentStatus>();
  const [{ role, adminUntil }, setSession] = useState<{ role: Role; adminUntil?: number }>({
    role: 'viewer',
  });
  const setRole = useCallback(
    (next: Role, until?: number) =>
      setSession(until === undefined ? { role: next } : { role: next, adminUntil: until }),
    [],
  );
  const [link, setLink] = useState<Link>(watch?.current ?? 'live');
  const [liveLogs, setLiveLogs] = useState<LogEvent[]>([]);
  const [throughput, setThroughput] = useState<ThroughputSeries[]>();
  const [deadLetterVersion, setDeadLetterVersion] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [problem, setProblem] = useState<unknown>();
  const lastThroughput = useRef(0);

  const loadThroughput = useCallback(() => {
    lastThroughput.current = Date.now();
    api.throughput().then((t) => setThroughput(t.series), setProblem);
  }, [api]);

  const loadSession = useCallback(() => {
    api.session().then((s) => setRole(s.role, s.adminUntil), setProblem);
  }, [api, setRole]);
  useRoleExpiry(role, adminUntil, loadSession);

  useEffect(
    () =>
      watch?.subscribe((next) => {
        setLink(next);
        if (next === 'signed-out') setRole('viewer');
        if (next === 'live') loadSession(); // back after a drop: the role may have changed meanwhile
      }),
    [watch, loadSession, setRole],
  );

  useEffect(() => {
    api.status().then(setStatus, setProblem);
    loadSession();
    loadThroughput();
    const offStatus = api.on('status', (next) => {
      setStatus(next);
      setProblem(undefined);
      if (Date.now() - lastThroughput.current > throughputEveryMs) loadThroughput();
    });
    const offLog = api.on('log', (event) =>
      setLiveLogs((logs) => [...logs.slice(-(maxLiveLogs - 1)), event]),
    );
    const offDead = api.on('deadLetter', () => setDeadLetterVersion((v) => v + 1));
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      offStatus();
      offLog();
      offDead();
      window.clearInterval(tick);
    };
  }, [api, loadThroughput, loadSession]);

  const retryLink = useCallback(() => watch?.retryNow(), [watch]);
  const value = useMemo(
    () => ({
      api,
      status,
      role,
      adminUntil,
      setRole,
      link,
      linkDownSince: link === 'live' ? undefined : watch?.downSince,
      retryLink,
      liveLogs,
      throughput,
      deadLetterVersion,
      now,
      problem,
      downloadBundle,
    }),
    [
      api,
      status,
      role,
      adminUntil,
      setRole,
      link,
      watch,
      retryLink,
      liveLogs,
      throughput,
      deadLetterVersion,
      now,
      problem,
      downloadBundle,
    ],
  );
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

export function useAgent(): AgentStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAgent() must be used inside <AgentProvider>.');
  return store;
}
