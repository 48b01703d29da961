// Keeps the latest alert inputs, evaluates them at the clock's time on every update and tells listeners each transition.
import type { AlertEngine } from './alert-engine.js';
import type { Alert, AlertInput, AlertTransition } from './alert-types.js';

export type AlertListener = (transition: AlertTransition) => void;

export class AlertMonitor {
  private input: AlertInput = {};
  private readonly listeners = new Set<AlertListener>();

  constructor(
    private readonly engine: AlertEngine,
    private readonly clock: () => number = Date.now,
    private readonly onListenerError: (error: unknown) => void = () => {},
  ) {}

  /**
   * Merges `partial` into the latest inputs (status snapshots, free disk, certificate checks arrive separately)
   * and evaluates them all; a status snapshot every few seconds also drives the cooldown repeats.
   */
  update(partial: AlertInput): AlertTransition[] {
    this.input = { ...this.input, ...partial };
    const transitions = this.engine.evaluate(this.input, this.clock());
    for (const transition of transitions)
      for (const listener of this.listeners) {
        try {
          listener(transition);
        } catch (error) {
          this.onListenerError(error); // one broken sink must not keep the others from hearing about it
        }
      }
    return transitions;
  }

  onTransition(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  active(): Alert[] {
    return this.engine.active();
  }
}
