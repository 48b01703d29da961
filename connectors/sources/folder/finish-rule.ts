// "Export finished" rules: quiet period, marker file (x.csv.done) or trigger file, each with a minimum file age.
import { dirname, join } from 'node:path';
import type { FolderSourceConfig } from './config.js';
import type { Observation } from './file-reader.js';

type ExistingFile = Extract<Observation, { exists: true }>;

export interface FinishRule {
  /** Whether a file observed unchanged for `stableForMs` counts as finished writing. */
  isFinished(path: string, file: ExistingFile, stableForMs: number, now: number): Promise<boolean>;
  /** The marker file that belongs to `path` (moved or deleted together with it), if this rule has one. */
  companionOf(path: string): string | undefined;
  /** Plain words for status ("quiet period 2 s"). */
  readonly description: string;
}

type RuleOptions = Pick<
  FolderSourceConfig,
  'finishedWhen' | 'quietPeriodMs' | 'markerSuffix' | 'triggerFile' | 'minFileAgeMs'
>;

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  if (ms < 2 * 3_600_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}

/**
 * `observe` answers for the marker or trigger file. A marker or trigger counts only when it was written at or after
 * the file's last change, so a stale `x.csv.done` left from yesterday does not release today's half-written x.csv.
 */
export function finishRule(
  options: RuleOptions,
  observe: (path: string) => Promise<Observation>,
): FinishRule {
  const oldEnough = (file: ExistingFile, now: number) => now - file.mtimeMs >= options.minFileAgeMs;
  const age = options.minFileAgeMs > 0 ? `, at least ${formatMs(options.minFileAgeMs)} old` : '';
  const newerSignal = async (signal: string, file: ExistingFile) => {
    const seen = await observe(signal);
    return seen.exists && seen.isFile && seen.mtimeMs >= file.mtimeMs;
  };
  switch (options.finishedWhen) {
    case 'marker':
      return {
        description: `finished when its ${options.markerSuffix} marker file is written${age}`,
        companionOf: (path) => `${path}${options.markerSuffix}`,
        isFinished: async (path, file, _stable, now) =>
          oldEnough(file, now) && (await newerSignal(`${path}${options.markerSuffix}`, file)),
      };
    case 'trigger':
      return {
        description: `finished when ${options.triggerFile} is written in its folder${age}`,
        companionOf: () => undefined,
        isFinished: async (path, file, _stable, now) =>
          oldEnough(file, now) && (await newerSignal(join(dirname(path), options.triggerFile), file)),
      };
    case 'quiet':
      return {
        description: `quiet period ${formatMs(options.quietPeriodMs)}${age}`,
        companionOf: () => undefined,
        isFinished: (_path, file, stableForMs, now) =>
          Promise.resolve(stableForMs >= options.quietPeriodMs && oldEnough(file, now)),
      };
  }
}
