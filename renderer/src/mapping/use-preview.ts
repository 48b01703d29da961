// The live preview: the agent runs the draft a moment after the admin stops typing; only the newest answer counts.
import { useEffect, useRef, useState } from 'react';
import type { MethodArgs, MethodResult } from '../../../preload/contract/api.js';
import { useAgent } from '../shell/agent-store.js';

export type PreviewArgs = MethodArgs<'previewMapping'>;
export type PreviewReport = MethodResult<'previewMapping'>;

/** Waits this long after the last change before asking the agent. */
export const previewDelayMs = 400;

export function usePreview(args: PreviewArgs | undefined): {
  report?: PreviewReport;
  error?: unknown;
  pending: boolean;
} {
  const { api } = useAgent();
  const [report, setReport] = useState<PreviewReport>();
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const latest = useRef(0);
  const key = args === undefined ? '' : JSON.stringify(args);
  useEffect(() => {
    if (args === undefined) return undefined;
    const call = (latest.current += 1);
    setPending(true);
    const timer = setTimeout(() => {
      api.previewMapping(args).then(
        (answer) => {
          if (call !== latest.current) return;
          setReport(answer);
          setError(undefined);
          setPending(false);
        },
        (problem: unknown) => {
          if (call !== latest.current) return;
          setError(problem);
          setPending(false);
        },
      );
    }, previewDelayMs);
    return () => clearTimeout(timer);
    // The key holds everything args says; args itself is a new object on every render.
  }, [api, key]);
  return { report, error, pending };
}
