// The desktop user's role: viewer, admin after unlockAdmin until locked or for a limited time (like the web console).
export type DesktopRole = 'viewer' | 'admin';

export const desktopAdminMs = 15 * 60_000;

export class DesktopSession {
  private adminUntil: number | undefined;

  constructor(
    private readonly adminMs = desktopAdminMs,
    private readonly now: () => number = Date.now,
  ) {}

  role(): DesktopRole {
    if (this.adminUntil !== undefined && this.now() >= this.adminUntil) this.adminUntil = undefined;
    return this.adminUntil === undefined ? 'viewer' : 'admin';
  }

  /** After a successful unlockAdmin ('admin') or lockAdmin ('viewer'). */
  change(role: DesktopRole): void {
    this.adminUntil = role === 'admin' ? this.now() + this.adminMs : undefined;
  }
}
