/**
 * Where a joiner's sandbox page is served. In the app it is the build's `sandbox.html`, beside
 * the app's pages. The npm package's build swaps this module for `sandbox-page-url.lib.ts`,
 * which finds the page next to the module instead (vite.lib.config.ts).
 */
export function sandboxPageUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}sandbox.html`, location.href).href;
}
