// `vite build --config build/vite.preload.config.ts`: preload/index.ts → dist/preload/index.cjs (sandbox-ready).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { preloadBuildConfig } from './preload-build.js';

const root = resolve(import.meta.dirname, '..');

export default defineConfig(
  preloadBuildConfig({
    root,
    entry: resolve(root, 'preload/index.ts'),
    outDir: resolve(root, 'dist/preload'),
  }),
);
