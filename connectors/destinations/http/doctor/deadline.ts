// Bounds one network step of the doctor: rejects with a plain-words timeout after `ms`, and runs a cleanup.

export class StepTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'StepTimeoutError';
  }
}

/** `work` or a StepTimeoutError after `ms`; `onTimeout` releases what the step holds (a socket…). */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  onTimeout: () => void = () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new StepTimeoutError(what, ms));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Milliseconds since `started` (performance.now()), rounded. */
export function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** "<problem>. Fix: <fix>" (the house style of error messages) split into its two halves. */
export function splitFix(message: string): { detail: string; fix?: string } {
  const at = message.indexOf('. Fix: ');
  if (at < 0) return { detail: message };
  return { detail: message.slice(0, at), fix: message.slice(at + '. Fix: '.length) };
}
