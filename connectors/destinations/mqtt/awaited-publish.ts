// One MQTT publish awaiting its acknowledgement: answered by mqtt.js, or given up on timeout, cancel or close.
import type { IClientPublishOptions, MqttClient, Packet } from 'mqtt';
import type { Cancellable, SendCancel } from '../../core/send-cancel.js';

export type Published = { packet: Packet | undefined } | { error: Error };

/** The id mqtt.js gave the publish whose callback is `callback`, while it awaits its acknowledgement. */
function messageIdOf(client: MqttClient, callback: unknown): number | undefined {
  for (const [id, pending] of Object.entries(client.outgoing)) if (pending.cb === callback) return Number(id);
  return undefined;
}

function timedOut(publish: AwaitedPublish, timeoutMs: number): void {
  publish.giveUp(new Error(`no acknowledgement within ${timeoutMs} ms`));
}

export class AwaitedPublish implements Cancellable {
  readonly answer: Promise<Published>;
  private resolve!: (published: Published) => void;
  private settled = false;
  private readonly timer: NodeJS.Timeout;
  private readonly callback: (error?: Error, packet?: Packet) => void;

  /** Publishes at once; `open` holds every publish still waiting (the destination gives them up when it closes). */
  constructor(
    private readonly client: MqttClient,
    topic: string,
    payload: Buffer,
    options: IClientPublishOptions,
    timeoutMs: number,
    private readonly sending: SendCancel,
    private readonly open: Set<AwaitedPublish>,
  ) {
    this.answer = new Promise((resolve) => (this.resolve = resolve));
    this.callback = (error, packet) => this.finish(error ? { error } : { packet });
    this.timer = setTimeout(timedOut, timeoutMs, this, timeoutMs);
    open.add(this);
    sending.watch(this);
    client.publish(topic, payload, options, this.callback);
  }

  cancel(): void {
    this.giveUp(new Error('the send was cancelled'));
  }

  /** Settles with `error` and takes the message back, so mqtt.js does not resend it later: the dispatcher retries it. */
  giveUp(error: Error): void {
    if (this.settled) return;
    const id = messageIdOf(this.client, this.callback);
    this.finish({ error });
    if (id !== undefined) this.client.removeOutgoingMessage(id);
  }

  private finish(published: Published): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.sending.forget(this);
    this.open.delete(this);
    this.resolve(published);
  }
}
