// Remembered window bounds are reused when visible, nudged inside a display, or re-centred when their display is gone.
import { describe, expect, it } from 'vitest';
import {
  clampWindowBounds,
  defaultWindowSize,
  type DisplayArea,
} from '../../../main/desktop/window-bounds.js';

const laptop: DisplayArea = { workArea: { x: 0, y: 0, width: 1440, height: 860 }, primary: true };
const rightMonitor: DisplayArea = { workArea: { x: 1440, y: -200, width: 2560, height: 1400 } };

describe('clampWindowBounds', () => {
  it('centres the default size on the primary display the first time', () => {
    expect(clampWindowBounds(undefined, [rightMonitor, laptop])).toEqual({
      x: 170,
      y: 50,
      ...defaultWindowSize,
    });
  });

  it('keeps saved bounds that lie fully on a display', () => {
    const saved = { x: 1600, y: 0, width: 1200, height: 900 };
    expect(clampWindowBounds(saved, [laptop, rightMonitor])).toEqual(saved);
  });

  it('nudges bounds hanging off the edge back inside the display they are mostly on', () => {
    expect(clampWindowBounds({ x: 1000, y: -50, width: 800, height: 600 }, [laptop])).toEqual({
      x: 640,
      y: 0,
      width: 800,
      height: 600,
    });
  });

  it('shrinks a window larger than its display to the work area', () => {
    expect(clampWindowBounds({ x: -10, y: -10, width: 3000, height: 2000 }, [laptop])).toEqual(
      laptop.workArea,
    );
  });

  it('moves a window from an unplugged monitor to the primary display, keeping its size', () => {
    expect(clampWindowBounds({ x: 2000, y: 100, width: 1000, height: 700 }, [laptop])).toEqual({
      x: 220,
      y: 80,
      width: 1000,
      height: 700,
    });
  });

  it('treats a sliver too small to grab (under the title bar size) as invisible', () => {
    const sliver = { x: 1400, y: 100, width: 800, height: 600 }; // 40 px visible
    expect(clampWindowBounds(sliver, [laptop])).toEqual({ x: 320, y: 130, width: 800, height: 600 });
  });

  it('raises a tiny or corrupt saved size to the minimum and rejects non-finite values', () => {
    expect(clampWindowBounds({ x: 10, y: 10, width: 50, height: 20 }, [laptop])).toEqual({
      x: 10,
      y: 10,
      width: 640,
      height: 480,
    });
    expect(clampWindowBounds({ x: Number.NaN, y: 0, width: 800, height: 600 }, [laptop])).toEqual(
      clampWindowBounds(undefined, [laptop]),
    );
  });

  it('fits a display smaller than the minimum size', () => {
    const tiny: DisplayArea = { workArea: { x: 0, y: 0, width: 600, height: 400 }, primary: true };
    expect(clampWindowBounds(undefined, [tiny])).toEqual({ x: 0, y: 0, width: 600, height: 400 });
  });

  it('takes the first display as primary when none is marked, and a default when there are none', () => {
    expect(clampWindowBounds(undefined, [{ workArea: { x: 100, y: 0, width: 1300, height: 860 } }]).x).toBe(
      200,
    );
    expect(clampWindowBounds(undefined, [])).toEqual({ x: 0, y: 0, ...defaultWindowSize });
  });
});
