// The committed PNG icons exist with the right sizes and match a fresh render of build/icon.svg.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDir, iconFiles, iconSizes, renderIcon } from '../../../build/generate-icons.js';

const fix =
  'Fix: run `node --import tsx build/generate-icons.ts` and commit build/icon.png and build/icons/.';

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex'), 'PNG signature').toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii'), 'first chunk').toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('icon set', () => {
  it('has every size electron-builder looks for, in build/icons/NxN.png, plus build/icon.png ≥ 512', () => {
    expect(iconFiles().map((f) => f.path)).toEqual([
      'icon.png',
      ...iconSizes.map((s) => join('icons', `${s}x${s}.png`)),
    ]);
    for (const file of iconFiles()) {
      const png = readFileSync(join(buildDir, file.path));
      expect(pngSize(png), file.path).toEqual({ width: file.size, height: file.size });
    }
    expect(pngSize(readFileSync(join(buildDir, 'icon.png'))).width).toBeGreaterThanOrEqual(512);
  });

  it('is up to date with build/icon.svg', () => {
    const svg = readFileSync(join(buildDir, 'icon.svg'), 'utf8');
    for (const file of iconFiles()) {
      const committed = readFileSync(join(buildDir, file.path));
      expect(committed.equals(renderIcon(svg, file.size)), `${file.path} differs from icon.svg. ${fix}`).toBe(
        true,
      );
    }
  });
});
