// What every benchmark phase gets: the options, the temp area, the RSS tracker and the report printer.
import type { BenchOptions } from './bench-options.js';
import type { RssTracker } from './measure.js';
import type { TempArea } from './temp-area.js';

export interface BenchContext {
  options: BenchOptions;
  area: TempArea;
  rss: RssTracker;
  /** Report output; never called inside a timed region. */
  log: (line?: string) => void;
}
