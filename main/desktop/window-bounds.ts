// Where the window opens: the remembered bounds when they are still visible, else moved and shrunk onto a display.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayArea {
  /** The display's work area (without task bar / dock), in screen coordinates. */
  workArea: Rect;
  primary?: boolean;
}

export const defaultWindowSize = { width: 1100, height: 760 } as const;
export const minimumWindowSize = { width: 640, height: 480 } as const;
/** Of the saved window, at least this much (the title bar's worth) must lie on one display to be reused as is. */
const minVisible = { width: 120, height: 60 } as const;

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const width = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x);
  const height = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y);
  return { x, y, width, height };
}

const area = (r: Rect) => r.width * r.height;

function isFiniteRect(r: Rect): boolean {
  return [r.x, r.y, r.width, r.height].every((n) => Number.isFinite(n)) && r.width > 0 && r.height > 0;
}

/** Fits `size` inside `work` (shrinking it, but not below the minimum unless the display is smaller), centred. */
function centreOn(work: Rect, size: { width: number; height: number }): Rect {
  const width = Math.min(Math.max(size.width, minimumWindowSize.width), work.width);
  const height = Math.min(Math.max(size.height, minimumWindowSize.height), work.height);
  return {
    x: work.x + Math.round((work.width - width) / 2),
    y: work.y + Math.round((work.height - height) / 2),
    width,
    height,
  };
}

/** Shrinks `r` to fit `work` and shifts it inside, keeping its position as far as possible. */
function keepInside(r: Rect, work: Rect): Rect {
  const width = Math.min(Math.max(r.width, minimumWindowSize.width), work.width);
  const height = Math.min(Math.max(r.height, minimumWindowSize.height), work.height);
  const x = Math.min(Math.max(r.x, work.x), work.x + work.width - width);
  const y = Math.min(Math.max(r.y, work.y), work.y + work.height - height);
  return { x, y, width, height };
}

/**
 * The bounds to open the window with. Saved bounds mostly on a display (say the monitor is still there)
 * are kept and nudged inside that display; bounds on a display that is gone (unplugged monitor, changed
 * layout) or too small a sliver to grab are replaced by the saved size centred on the primary display.
 */
export function clampWindowBounds(saved: Rect | undefined, displays: readonly DisplayArea[]): Rect {
  const primary = displays.find((d) => d.primary) ?? displays[0];
  if (!primary) return { x: 0, y: 0, ...defaultWindowSize }; // no display information: let the OS place it
  if (!saved || !isFiniteRect(saved)) return centreOn(primary.workArea, defaultWindowSize);
  const sized = {
    ...saved,
    width: Math.max(saved.width, minimumWindowSize.width),
    height: Math.max(saved.height, minimumWindowSize.height),
  };
  let best: { display: DisplayArea; visible: Rect } | undefined;
  for (const display of displays) {
    const visible = overlap(sized, display.workArea);
    if (!best || area(visible) > area(best.visible)) best = { display, visible };
  }
  if (!best || best.visible.width < minVisible.width || best.visible.height < minVisible.height) {
    return centreOn(primary.workArea, sized);
  }
  return keepInside(sized, best.display.workArea);
}
