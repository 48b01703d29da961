// The only two IPC channels between the desktop window and the main process, and the shape of a call's reply.
import type { ContractErrorShape } from './contract/errors.js';

/** renderer → main: `invoke(agentCallChannel, method, args)` answers an IpcReply. */
export const agentCallChannel = 'agent:call';
/** main → renderer: `send(agentEventChannel, event, payload)` for every contract event. */
export const agentEventChannel = 'agent:event';

/** Errors travel as data: an Error crossing IPC or the context bridge loses its code and hint. */
export type IpcReply = { ok: true; value: unknown } | { ok: false; error: ContractErrorShape };
