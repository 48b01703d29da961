// Watermark values: comparison, the overlap window's lower bound, and their age for the lag in status.
import type { Dialect } from './identifiers.js';
import { integerValue, timestampLike, timestampMicros } from './values.js';

export interface WatermarkSpec {
  column: string;
  type: 'timestamp' | 'integer';
}

export interface OverlapWindow {
  /** timestamp watermarks: how far behind the newest value each poll re-reads. */
  overlapMs: number;
  /** integer watermarks: how many values behind the newest one each poll re-reads. */
  overlapValues: number;
}

export class Watermark {
  constructor(
    private readonly spec: WatermarkSpec,
    private readonly dialect: Dialect,
    private readonly window: OverlapWindow,
  ) {}

  get column(): string {
    return this.spec.column;
  }

  get type(): WatermarkSpec['type'] {
    return this.spec.type;
  }

  /** A number that grows with the value (µs since epoch, or the integer), for ordering and pruning. */
  order(value: unknown): number {
    if (this.spec.type === 'integer') return Number(this.integer(value));
    return this.micros(value);
  }

  /** Negative, zero or positive, exactly (microseconds; bigints for integers). */
  compare(a: unknown, b: unknown): number {
    if (this.spec.type === 'integer') {
      const x = this.integer(a);
      const y = this.integer(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return Math.sign(this.micros(a) - this.micros(b));
  }

  /** The lowest watermark the overlap window re-reads behind `newest`, as a parameter for `column >= ?`; undefined without a window. */
  overlapStart(newest: unknown): unknown {
    if (this.spec.type === 'integer') {
      if (this.window.overlapValues === 0) return undefined;
      const start = this.integer(newest) - BigInt(this.window.overlapValues);
      return this.dialect === 'sqlite' ? start : start.toString();
    }
    if (this.window.overlapMs === 0) return undefined;
    return timestampLike(newest, this.micros(newest) - this.window.overlapMs * 1000);
  }

  /** Milliseconds from the watermark value to `now`, for a timestamp watermark; undefined otherwise. */
  ageMs(value: unknown, now: number): number | undefined {
    if (this.spec.type !== 'timestamp') return undefined;
    const micros = timestampMicros(value);
    return micros === undefined ? undefined : Math.max(0, now - Math.floor(micros / 1000));
  }

  private micros(value: unknown): number {
    const micros = timestampMicros(value);
    if (micros === undefined) throw this.notA(value, 'timestamp');
    return micros;
  }

  private integer(value: unknown): bigint {
    const integer = integerValue(value);
    if (integer === undefined) throw this.notA(value, 'integer');
    return integer;
  }

  private notA(value: unknown, what: string): Error {
    const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : String(value);
    return new Error(
      `the watermark column ${this.spec.column} holds ${shown}, which is not ${what === 'integer' ? 'an integer' : 'a timestamp'}. ` +
        `Fix: set watermark.type to ${what === 'integer' ? 'timestamp' : 'integer'}, or choose another watermark column`,
    );
  }
}
