// The handler side of the contract: validates method and arguments, enforces roles, maps errors, then calls the backend.
import type { z } from 'zod';
import { agentMethods, isAgentMethod, type AgentMethodName, type Role } from '../../preload/contract/api.js';
import type { AgentBackend, CallContext } from './agent-backend.js';
import { ContractError } from './contract-error.js';
import { toContractError } from './error-mapping.js';

export interface CallSession {
  role: Role;
  /** Shown in the audit log; default "admin (ui)" / "viewer (ui)". */
  actor?: string;
}

export interface AgentHandlers {
  /** Rejects with a ContractError ('invalid-argument', 'forbidden', 'not-found', 'unavailable', 'conflict'), or a plain error for bugs. */
  call(method: string, args: unknown, session: CallSession): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface HandlerOptions {
  /** Check every result against its schema (tests): a backend that breaks the contract fails loudly. */
  validateResults?: boolean;
}

const maxIssues = 5;

/** Plain-words list of what is wrong with the arguments; never echoes the values (they may be secrets). */
function describeIssues(method: string, error: z.ZodError): string {
  const lines = error.issues.slice(0, maxIssues).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(arguments)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > maxIssues ? `; and ${error.issues.length - maxIssues} more` : '';
  return `invalid arguments for ${method}: ${lines.join('; ')}${more}`;
}

function shownName(method: unknown): string {
  const text = typeof method === 'string' ? method : typeof method;
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

export function createAgentHandlers(backend: AgentBackend, options: HandlerOptions = {}): AgentHandlers {
  const session = async (role: Role) => ({ role, adminPassphraseSet: await backend.adminPassphraseSet() });
  const unlock = async (passphrase: string) => {
    if (!(await backend.adminPassphraseSet()))
      throw new ContractError(
        'unavailable',
        'no admin passphrase is set on this agent',
        'on the agent machine run `integration-agent admin set-passphrase`, then unlock again',
      );
    if (!(await backend.verifyAdminPassphrase(passphrase)))
      throw new ContractError('forbidden', 'the admin passphrase is wrong', 'check it and try again');
    return { role: 'admin' as const };
  };

  async function dispatch(method: AgentMethodName, args: unknown, context: CallContext): Promise<unknown> {
    switch (method) {
      case 'session':
        return session(context.role);
      case 'unlockAdmin':
        return unlock((args as { passphrase: string }).passphrase);
      case 'lockAdmin':
        return { role: 'viewer' as const };
      default: {
        const run = backend[method] as (a: unknown, c: CallContext) => unknown;
        return run.call(backend, args, context);
      }
    }
  }

  return {
    async call(method, args, callSession) {
      if (!isAgentMethod(method))
        throw new ContractError(
          'invalid-argument',
          `unknown method ${shownName(method)}`,
          'use one of the methods of preload/contract/api.ts (agentMethods)',
        );
      const spec = agentMethods[method];
      const role: Role = callSession.role === 'admin' ? 'admin' : 'viewer';
      if (spec.role === 'admin' && role !== 'admin')
        throw new ContractError(
          'forbidden',
          `${method} ${spec.adminBecause ?? 'changes the agent'} and needs the admin role`,
          'unlock admin mode with the admin passphrase first',
        );
      const parsed = spec.args.safeParse(args);
      if (!parsed.success) throw new ContractError('invalid-argument', describeIssues(method, parsed.error));
      const context: CallContext = { role, actor: callSession.actor ?? `${role} (ui)` };
      let result: unknown;
      try {
        result = await dispatch(method, parsed.data, context);
      } catch (error) {
        throw toContractError(error);
      }
      if (options.validateResults) spec.result.parse(result);
      return result;
    },
    subscribe(listener) {
      return backend.subscribe(listener);
    },
  };
}
