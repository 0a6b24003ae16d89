import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import { signalingPlugin } from './server/signaling-plugin.js';

/**
 * Cross-origin isolation gives SharedArrayBuffer, fine timers and threaded wasm. The page must
 * also work without it (an embed inside a tutorial page is not isolated), so nothing depends on it.
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // A joiner's sandbox iframe has an opaque origin, so its page counts as embedded from another
  // origin: under require-corp, Firefox loads it only with this (Chromium does without).
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * A peer's sandbox (sandbox.html in an iframe without allow-same-origin) has the opaque origin
 * "null", and its workers import the app's modules from there: those requests need CORS. Only
 * this page's own loopback origins and "null" are allowed, not any website.
 */
export const corsForSandbox = {
  origin: [/^https?:\/\/(?:(?:[^:]+\.)?localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/, 'null'],
};

export default defineConfig({
  plugins: [signalingPlugin()],
  server: { headers: isolationHeaders, cors: corsForSandbox },
  preview: { headers: isolationHeaders, cors: corsForSandbox },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        sandbox: resolve(import.meta.dirname, 'sandbox.html'),
        embed: resolve(import.meta.dirname, 'embed.html'),
      },
    },
  },
});
