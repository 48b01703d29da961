// Vite build of the renderer into dist/renderer (served by the Electron window and the web console).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // One bundle loaded from disk or loopback: size matters little, fewer requests through the console token check.
    chunkSizeWarningLimit: 1024,
  },
});
