/**
 * The npm package's sandbox page: `sandbox.html` next to the package's module, wherever a static
 * host or a bundler put it (vite.lib.config.ts writes it there and swaps this module in for
 * `sandbox-page-url.ts`).
 */
export function sandboxPageUrl(): string {
  return new URL(/* @vite-ignore */ './sandbox.html', import.meta.url).href;
}
