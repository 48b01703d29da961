// Calls a read-only agent method a moment after its arguments stop changing; only the newest answer counts.
import { useEffect, useRef, useState } from 'react';
import type { AgentMethodName, MethodArgs, MethodResult } from '../../../preload/contract/api.js';
import { useAgent } from '../shell/agent-store.js';

/** Waits this long after the last change before asking the agent. */
export const liveCallDelayMs = 400;

export interface LiveCall<R> {
  result?: R;
  error?: unknown;
  pending: boolean;
}

/** Nothing is called while `args` is undefined; the last answer stays shown until a newer one arrives. */
export function useLiveCall<M extends AgentMethodName>(
  method: M,
  args: MethodArgs<M> | undefined,
): LiveCall<MethodResult<M>> {
  const { api } = useAgent();
  const [result, setResult] = useState<MethodResult<M>>();
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const latest = useRef(0);
  const key = args === undefined ? '' : JSON.stringify(args);
  useEffect(() => {
    if (args === undefined) return undefined;
    const call = (latest.current += 1);
    setPending(true);
    const run = api[method] as unknown as (a: MethodArgs<M>) => Promise<MethodResult<M>>;
    const timer = setTimeout(() => {
      run(args).then(
        (answer) => {
          if (call !== latest.current) return;
          setResult(answer);
          setError(undefined);
          setPending(false);
        },
        (problem: unknown) => {
          if (call !== latest.current) return;
          setError(problem);
          setPending(false);
        },
      );
    }, liveCallDelayMs);
    return () => clearTimeout(timer);
    // The key holds everything args says; args itself is a new object on every render.
  }, [api, method, key]);
  return { result, error, pending };
}
