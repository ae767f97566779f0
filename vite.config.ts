import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built once (npm run build:renderer) and served by the web host or loaded by
// Electron from dist/renderer. No inline scripts: the host's CSP is script-src 'self'.
export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    // /assets/ is the host's basemap and glyphs; the bundles get their own folder.
    assetsDir: 'bundle',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    sourcemap: true,
  },
});
