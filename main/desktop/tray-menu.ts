// The tray menu as data (open, pause all, resume all, start at login, quit); main/electron turns it into a Menu.
import type { AgentStatus, ConnectionStatus } from '../../preload/contract/status.js';

export type TrayAction = 'open' | 'pause-all' | 'resume-all' | 'open-inbox' | 'toggle-open-at-login' | 'quit';

export type TrayMenuEntry =
  | { type: 'label'; label: string }
  | { type: 'separator' }
  | { type: 'action'; action: TrayAction; label: string; enabled: boolean; checked?: boolean };

export interface TrayMenuInput {
  status: AgentStatus;
  openAtLogin: boolean;
  /** False where the platform has no login items the app can set (then the entry is not shown). */
  loginItemSupported: boolean;
  /** The sandbox's inbox folder, when the sandbox runs. */
  sandboxInbox?: string;
}

/** Paused by a person (pause button / pause all), as opposed to capture paused by backpressure. */
export function isPausedByUser(c: ConnectionStatus): boolean {
  return c.destination?.state === 'paused';
}

export function trayMenuModel(input: TrayMenuInput): TrayMenuEntry[] {
  const { status } = input;
  const running = status.state === 'running';
  const enabled = status.connections.filter((c) => c.enabled);
  const summary = status.summary.length > 80 ? `${status.summary.slice(0, 79)}…` : status.summary;
  return [
    { type: 'label', label: summary },
    { type: 'separator' },
    { type: 'action', action: 'open', label: 'Open Integration agent', enabled: true },
    ...(input.sandboxInbox
      ? [{ type: 'action', action: 'open-inbox', label: 'Open sandbox inbox folder', enabled: true } as const]
      : []),
    { type: 'separator' },
    {
      type: 'action',
      action: 'pause-all',
      label: 'Pause all connections',
      enabled: running && enabled.some((c) => !isPausedByUser(c)),
    },
    {
      type: 'action',
      action: 'resume-all',
      label: 'Resume all connections',
      enabled: running && enabled.some(isPausedByUser),
    },
    { type: 'separator' },
    ...(input.loginItemSupported
      ? [
          {
            type: 'action',
            action: 'toggle-open-at-login',
            label: 'Start at login',
            enabled: true,
            checked: input.openAtLogin,
          } as const,
        ]
      : []),
    { type: 'action', action: 'quit', label: 'Quit (stops syncing)', enabled: true },
  ];
}

/** The connections "pause all" / "resume all" act on: enabled ones not yet in the wanted state. */
export function connectionsToToggle(action: 'pause-all' | 'resume-all', status: AgentStatus): string[] {
  const wantPaused = action === 'pause-all';
  return status.connections.filter((c) => c.enabled && isPausedByUser(c) !== wantPaused).map((c) => c.id);
}
