// Runs one agent call on demand (a button) or on load, keeping its result, error and pending state.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>;
  pending: boolean;
  error: unknown;
  result: R | undefined;
  reset: () => void;
}

export function useAction<A extends unknown[], R>(call: (...args: A) => Promise<R>): Action<A, R> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<R>();
  const run = useCallback(
    async (...args: A) => {
      setPending(true);
      setError(undefined);
      try {
        const value = await call(...args);
        setResult(() => value);
        return value;
      } catch (e) {
        setError(e);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [call],
  );
  const reset = useCallback(() => {
    setError(undefined);
    setResult(undefined);
  }, []);
  return { run, pending, error, result, reset };
}

/** Loads once, and again whenever `key` changes (a filter, an id, a version bumped by a live event). */
export function useLoad<R>(call: () => Promise<R>, key: string): Action<[], R> {
  const latest = useRef(call);
  latest.current = call;
  const stable = useCallback(() => latest.current(), []);
  const action = useAction(stable);
  const { run } = action;
  useEffect(() => void run(), [run, key]);
  return action;
}
