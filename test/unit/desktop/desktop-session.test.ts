// The desktop role: viewer by default, admin after unlock until locked or until the admin period ends.
import { describe, expect, it } from 'vitest';
import { DesktopSession } from '../../../main/desktop/desktop-session.js';

describe('DesktopSession', () => {
  it('starts as viewer, becomes admin on unlock and viewer again on lock', () => {
    const session = new DesktopSession(60_000, () => 0);
    expect(session.role()).toBe('viewer');
    session.change('admin');
    expect(session.role()).toBe('admin');
    session.change('viewer');
    expect(session.role()).toBe('viewer');
  });

  it('falls back to viewer when the admin period ends', () => {
    let now = 1_000;
    const session = new DesktopSession(60_000, () => now);
    session.change('admin');
    now += 59_999;
    expect(session.role()).toBe('admin');
    now += 1;
    expect(session.role()).toBe('viewer');
  });
});
