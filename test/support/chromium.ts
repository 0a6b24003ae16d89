import { existsSync } from 'node:fs';

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

/** Flags that keep headless Chromium from reaching out to the network on its own. */
export function chromiumArgs(): string[] {
  return [
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    // Lets tests call gc() to show that released objects are really freed.
    '--js-flags=--expose-gc',
  ];
}
