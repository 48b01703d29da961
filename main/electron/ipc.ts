// Electron IPC of the contract: one invoke channel answered by the handlers for the app's own page only; events pushed on one channel.
import type { IpcMain, WebContents, WebFrameMain } from 'electron';
import type { Role } from '../../preload/contract/api.js';
import { agentCallChannel, agentEventChannel, type IpcReply } from '../../preload/ipc-channels.js';
import type { ConsoleHandlers } from '../console/console-server.js';
import { contractErrorOf, internalErrorShape } from '../console/error-shape.js';
import { UnlockLimiter } from '../console/unlock-limiter.js';

export interface IpcHandlerOptions {
  /** True only for the app's own page (e.g. app://agent/…), never for a frame from elsewhere. */
  isTrustedSender(frame: WebFrameMain | null): boolean;
  /** The role of the desktop user's session now. */
  role: () => Role;
  /** Told after a successful unlockAdmin ('admin') or lockAdmin ('viewer'), so `role` can follow. */
  onRoleChange?: (role: Role) => void;
  /** Where unexpected handler failures are reported (their details never reach the page). */
  onError?: (error: unknown, method: string) => void;
  /** Wrong admin passphrases pause unlocking, as in the web console (default: a limiter of its own). */
  unlockLimiter?: UnlockLimiter;
}

/** Answers `agent:call` with an IpcReply; returns a function that removes the handler. */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: Pick<ConsoleHandlers, 'call'>,
  options: IpcHandlerOptions,
): () => void {
  const limiter = options.unlockLimiter ?? new UnlockLimiter();
  ipcMain.handle(agentCallChannel, async (event, method: unknown, args: unknown): Promise<IpcReply> => {
    if (!options.isTrustedSender(event.senderFrame)) {
      return {
        ok: false,
        error: {
          code: 'forbidden',
          message: "agent calls are answered only for the app's own page",
          hint: 'use the agent window itself',
        },
      };
    }
    if (typeof method !== 'string') {
      return {
        ok: false,
        error: {
          code: 'invalid-argument',
          message: 'the method name must be a string',
          hint: 'call window.agent.<method>',
        },
      };
    }
    const role = options.role();
    try {
      const run = () => handlers.call(method, args, { role, actor: `${role} (desktop)` });
      const value = await (method === 'unlockAdmin' ? limiter.attempt('desktop', run) : run());
      if (method === 'unlockAdmin') options.onRoleChange?.('admin');
      if (method === 'lockAdmin') options.onRoleChange?.('viewer');
      return { ok: true, value };
    } catch (error) {
      const shape = contractErrorOf(error);
      if (!shape) options.onError?.(error, method);
      return { ok: false, error: shape ?? internalErrorShape };
    }
  });
  return () => ipcMain.removeHandler(agentCallChannel);
}

/** Sends every contract event to one window until it is destroyed; returns a function that stops it earlier. */
export function forwardAgentEvents(
  handlers: Pick<ConsoleHandlers, 'subscribe'>,
  webContents: Pick<WebContents, 'send' | 'isDestroyed' | 'once'>,
): () => void {
  const unsubscribe = handlers.subscribe((event, payload) => {
    if (!webContents.isDestroyed()) webContents.send(agentEventChannel, event, payload);
  });
  webContents.once('destroyed', unsubscribe);
  return unsubscribe;
}
