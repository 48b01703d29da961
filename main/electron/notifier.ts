// Shows the desktop notifications the notification policy decides on, and flushes held ones when they are due.
import { Notification } from 'electron';
import type { AgentStatus } from '../../preload/contract/status.js';
import { NotificationPolicy, type DesktopNotification } from '../desktop/notification-policy.js';

export class DesktopNotifier {
  private readonly policy = new NotificationPolicy();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly iconPath: string,
    private readonly onClick: (notification: DesktopNotification) => void,
  ) {}

  observe(status: AgentStatus): void {
    this.show(this.policy.observe(status));
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private show(notifications: DesktopNotification[]): void {
    if (Notification.isSupported()) {
      for (const n of notifications) {
        const shown = new Notification({ title: n.title, body: n.body, icon: this.iconPath });
        shown.on('click', () => this.onClick(n));
        shown.show();
      }
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const at = this.policy.nextFlushAt();
    if (at === undefined) return;
    this.timer = setTimeout(() => this.show(this.policy.flush()), Math.max(0, at - Date.now()));
    this.timer.unref();
  }
}
