// Renders build/icon.svg into the PNG icon set electron-builder uses: build/icon.png and build/icons/NxN.png.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

export const buildDir = import.meta.dirname;
export const iconSizes = [16, 32, 48, 64, 128, 256, 512, 1024] as const;
/** electron-builder's default app icon (macOS and Windows derive .icns / .ico from it; it wants ≥ 512). */
export const mainIconSize = 1024;

export interface IconFile {
  /** Relative to build/. */
  path: string;
  size: number;
}

export function iconFiles(): IconFile[] {
  return [
    { path: 'icon.png', size: mainIconSize },
    ...iconSizes.map((size) => ({ path: join('icons', `${size}x${size}.png`), size })),
  ];
}

/** Same SVG and resvg version give the same bytes, so the committed PNGs can be checked against a fresh render. */
export function renderIcon(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' })
    .render()
    .asPng();
}

export function generateIcons(dir = buildDir): IconFile[] {
  const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
  mkdirSync(join(dir, 'icons'), { recursive: true });
  const files = iconFiles();
  for (const file of files) writeFileSync(join(dir, file.path), renderIcon(svg, file.size));
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of generateIcons())
    process.stdout.write(`build/${file.path} (${file.size}×${file.size})\n`);
}
