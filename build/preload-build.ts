// Vite settings that bundle the preload into ONE CommonJS file: a sandboxed preload can require only 'electron'.
import type { InlineConfig } from 'vite';

export interface PreloadBuildOptions {
  /** The preload source, e.g. preload/index.ts. */
  entry: string;
  /** Where index.cjs goes, e.g. dist/preload (kept: tsc writes there too). */
  outDir: string;
  /** The folder modules resolve from (the package root). */
  root: string;
}

export const preloadBundleName = 'index.cjs';

/**
 * Electron's sandboxed renderers run the preload as a classic script with a `require` that knows only
 * electron (and events, timers, url): no ESM, no local files, no node_modules. So everything the preload
 * imports (the contract, zod) is bundled in and only 'electron' stays a require.
 */
export function preloadBuildConfig(options: PreloadBuildOptions): InlineConfig {
  return {
    configFile: false,
    root: options.root,
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: options.outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: false,
      sourcemap: false,
      target: 'es2022',
      lib: { entry: options.entry, formats: ['cjs'], fileName: () => preloadBundleName },
      rolldownOptions: { external: ['electron'] },
    },
  };
}
