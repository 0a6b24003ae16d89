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
};

export default defineConfig({
  plugins: [signalingPlugin()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: { main: resolve(import.meta.dirname, 'index.html') },
    },
  },
});
