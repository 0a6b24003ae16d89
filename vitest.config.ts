import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { corsForSandbox, isolationHeaders } from './vite.config.ts';
import { chromiumPath, chromiumArgs } from './test/support/chromium.ts';
import { signalingPlugin } from './server/signaling-plugin.js';

export default defineConfig({
  plugins: [signalingPlugin()],
  server: { headers: isolationHeaders, cors: corsForSandbox },
  worker: { format: 'es' },
  // Every dependency the pages and workers import, bundled before the first test file: one found
  // later makes Vite re-bundle and reload, and a test file importing at that moment fails to load.
  optimizeDeps: {
    include: [
      '@codemirror/autocomplete',
      '@codemirror/commands',
      '@codemirror/lang-javascript',
      '@codemirror/lang-markdown',
      '@codemirror/language',
      '@codemirror/state',
      '@codemirror/view',
      '@lezer/highlight',
      'codemirror',
      'uplot',
      'qrcode-generator',
      'comlink',
      'peerjs',
      'sucrase',
      'valibot',
      'acorn',
      'd3-dsv',
      '@uwdata/flechette',
      'hyparquet',
      'hyparquet-writer',
      'itty-router',
      'ajv',
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts', 'test/**/*.e2e.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          // Real pages of the app, served by its own dev server and driven by Playwright.
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          environment: 'node',
          // Pages of a cold dev server on a 2-core machine running a second suite beside this one
          // take tens of seconds for what takes seconds alone. The limit only catches hangs.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.ts'],
          // A test that starts fresh workers waits for each to load the worker script (every library's
          // worker side included) and, on a cold dev server, for its modules to be transformed: on a
          // busy 2-core machine that alone can take several seconds. The limit only catches hangs.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: one test file at a time keeps worker pools from starving each other.
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath(), args: chromiumArgs() },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
