import { existsSync } from 'node:fs';
import { CHROMIUM_FLAGS } from './chromium-flags.js';

/** The system Chromium; no test ever downloads a browser. `CHROME_PATH` overrides it. */
export function chromiumPath(): string {
  const path = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. Install it with "apt-get install -y chromium" or set CHROME_PATH.`,
    );
  }
  return path;
}

/** Flags that keep headless Chromium from reaching out to the network on its own, and expose gc(). */
export function chromiumArgs(): string[] {
  return [...CHROMIUM_FLAGS];
}
