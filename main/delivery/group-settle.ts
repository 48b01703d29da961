// Group commit of settles: the outcomes of sends that finish in the same tick go into one outbox transaction (one fsync).
import type { Outbox } from '../outbox/outbox.js';
import type { SettleResult, Settlement } from '../outbox/settle.js';

interface Waiting {
  token: string;
  settlements: Settlement[];
  resolve: (result: SettleResult) => void;
  reject: (error: unknown) => void;
}

export class GroupSettle {
  private waiting: Waiting[] = [];

  constructor(private readonly outbox: Pick<Outbox, 'settleGroups'>) {}

  /** Resolves once the settlements are committed together with the others of this tick; rejects if that commit fails. */
  settle(token: string, settlements: Settlement[]): Promise<SettleResult> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ token, settlements, resolve, reject });
    });
  }

  private flush(): void {
    const group = this.waiting;
    this.waiting = [];
    let results: SettleResult[];
    try {
      results = this.outbox.settleGroups(group);
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => w.resolve(results[i] as SettleResult));
  }
}
