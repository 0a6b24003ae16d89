/**
 * Flags for every headless Chromium the tests and benchmarks start. Plain JavaScript, so the
 * benchmark runner (Node without TypeScript) and the tests share one list.
 */
export const CHROMIUM_FLAGS = [
  // Without these, headless Chromium reaches out to the network on its own, which is refused here.
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  // Lets tests call gc() to show that released objects are really freed.
  '--js-flags=--expose-gc',
];
