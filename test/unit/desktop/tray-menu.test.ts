// The tray menu model: summary, open, sandbox inbox, pause/resume all enabled by state, start at login, quit.
import { describe, expect, it } from 'vitest';
import { connectionsToToggle, trayMenuModel, type TrayMenuEntry } from '../../../main/desktop/tray-menu.js';
import { connection, status } from './status-fixture.js';

const actions = (menu: TrayMenuEntry[]) =>
  Object.fromEntries(menu.flatMap((e) => (e.type === 'action' ? [[e.action, e]] : [])));

describe('trayMenuModel', () => {
  it('shows the summary first and the actions in order', () => {
    const menu = trayMenuModel({
      status: status([connection('a')], { summary: 'All 1 connection in sync.' }),
      openAtLogin: false,
      loginItemSupported: true,
    });
    expect(menu[0]).toEqual({ type: 'label', label: 'All 1 connection in sync.' });
    expect(menu.flatMap((e) => (e.type === 'action' ? [e.action] : []))).toEqual([
      'open',
      'pause-all',
      'resume-all',
      'toggle-open-at-login',
      'quit',
    ]);
  });

  it('enables pause all while something runs and resume all while something is paused', () => {
    const running = actions(
      trayMenuModel({
        status: status([connection('a'), connection('b')]),
        openAtLogin: false,
        loginItemSupported: true,
      }),
    );
    expect([running['pause-all']?.enabled, running['resume-all']?.enabled]).toEqual([true, false]);
    const mixed = actions(
      trayMenuModel({
        status: status([connection('a', { destinationState: 'paused' }), connection('b')]),
        openAtLogin: false,
        loginItemSupported: true,
      }),
    );
    expect([mixed['pause-all']?.enabled, mixed['resume-all']?.enabled]).toEqual([true, true]);
    const allPaused = actions(
      trayMenuModel({
        status: status([
          connection('a', { destinationState: 'paused' }),
          connection('off', { enabled: false }),
        ]),
        openAtLogin: false,
        loginItemSupported: true,
      }),
    );
    expect([allPaused['pause-all']?.enabled, allPaused['resume-all']?.enabled]).toEqual([false, true]);
  });

  it('disables pause and resume while the agent stops', () => {
    const stopping = actions(
      trayMenuModel({
        status: status([connection('a', { destinationState: 'paused' })], { state: 'stopping' }),
        openAtLogin: false,
        loginItemSupported: true,
      }),
    );
    expect([stopping['pause-all']?.enabled, stopping['resume-all']?.enabled]).toEqual([false, false]);
  });

  it('ticks start at login as stored, hides it where unsupported, and offers the sandbox inbox', () => {
    expect(
      actions(trayMenuModel({ status: status([]), openAtLogin: true, loginItemSupported: true }))[
        'toggle-open-at-login'
      ],
    ).toMatchObject({ checked: true });
    const menu = actions(
      trayMenuModel({
        status: status([]),
        openAtLogin: true,
        loginItemSupported: false,
        sandboxInbox: '/d/sandbox/inbox',
      }),
    );
    expect(menu['toggle-open-at-login']).toBeUndefined();
    expect(menu['open-inbox']).toMatchObject({ enabled: true });
  });

  it('clips a long summary', () => {
    const [first] = trayMenuModel({
      status: status([], { summary: 'x'.repeat(200) }),
      openAtLogin: false,
      loginItemSupported: true,
    });
    expect(first).toEqual({ type: 'label', label: `${'x'.repeat(79)}…` });
  });

  it('pauses the enabled running connections and resumes the paused ones', () => {
    const snapshot = status([
      connection('a'),
      connection('b', { destinationState: 'paused' }),
      connection('off', { enabled: false }),
    ]);
    expect(connectionsToToggle('pause-all', snapshot)).toEqual(['a']);
    expect(connectionsToToggle('resume-all', snapshot)).toEqual(['b']);
  });
});
