// One AMQP publish awaiting the broker's confirm: answered by the confirm, a blocked connection, or a cancelled send.
import type { Outcome } from '../../core/destination.js';
import type { Cancellable, SendCancel } from '../../core/send-cancel.js';
import type { BlockedListener, ChannelState } from './broker-link.js';

/** A retry while the broker holds publishers back: RabbitMQ names the alarm in the reason ("low on memory"…). */
export function blockedOutcome(reason: string): Outcome {
  return {
    kind: 'retry',
    error: `the broker blocked publishing: low on memory/disk (${reason}); delivery waits`,
    code: 'blocked',
    signal: 'throttled',
  };
}

export class AwaitedConfirm implements Cancellable, BlockedListener {
  readonly outcome: Promise<Outcome>;
  /** The callback to hand to channel.publish. */
  readonly confirmed: (error: unknown) => void;
  private resolve!: (outcome: Outcome) => void;
  private settled = false;

  /**
   * Counts the message as awaiting on `state` until it is answered; `judge` turns the confirm (an error or none) into
   * the outcome, `abandoned` is the outcome when the send is cancelled first.
   */
  constructor(
    private readonly state: ChannelState,
    private readonly messageId: string,
    private readonly sending: SendCancel,
    judge: (error: unknown) => Outcome,
    private readonly abandoned: () => Outcome,
  ) {
    this.outcome = new Promise((resolve) => (this.resolve = resolve));
    this.confirmed = (error) => {
      // amqplib fails the pending confirms before it reports why the connection closed: read the state a moment later
      if (error) setImmediate(() => this.finish(judge(error)));
      else this.finish(judge(undefined)); // a basic.return comes before its ack: state.returned is complete now
    };
    sending.watch(this);
    state.connection.onBlocked.add(this);
    state.pending += 1;
    state.awaiting.add(messageId);
  }

  cancel(): void {
    this.finish(this.abandoned());
  }

  blocked(reason: string): void {
    this.finish(blockedOutcome(reason));
  }

  private finish(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    const { state, messageId } = this;
    state.pending -= 1;
    state.awaiting.delete(messageId);
    state.returned.delete(messageId);
    state.connection.onBlocked.delete(this);
    this.sending.forget(this);
    this.resolve(outcome);
  }
}
