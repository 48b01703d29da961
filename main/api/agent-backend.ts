// What the contract handlers need from the agent: one function per method (arguments already validated), events, passphrase check.
import type { z } from 'zod';
import type {
  AgentEventName,
  AgentMethodName,
  AgentMethods,
  MethodResult,
  Role,
} from '../../preload/contract/api.js';

/** Methods the handlers answer themselves (session and admin unlock); the backend answers all others. */
export type SessionMethodName = 'session' | 'unlockAdmin' | 'lockAdmin';
export type BackendMethodName = Exclude<AgentMethodName, SessionMethodName>;

/** Arguments after validation: defaults filled in, unknown keys rejected. */
export type ParsedArgs<M extends AgentMethodName> = z.output<AgentMethods[M]['args']>;

export interface CallContext {
  role: Role;
  /** Who acts, for the audit log of dead-letter actions ("admin (console)", "admin (desktop)"). */
  actor: string;
}

export type BackendMethods = {
  [M in BackendMethodName]: (
    args: ParsedArgs<M>,
    context: CallContext,
  ) => Promise<MethodResult<M>> | MethodResult<M>;
};

export interface AgentBackend extends BackendMethods {
  adminPassphraseSet(): Promise<boolean>;
  verifyAdminPassphrase(passphrase: string): Promise<boolean>;
  /** Events for the UI (status, log, alert, deadLetter); returns the unsubscribe function. */
  subscribe(listener: (event: AgentEventName, payload: unknown) => void): () => void;
}
