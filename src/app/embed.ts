import * as raybox from '../index.ts';
import { mountEmbedPage } from '../ui/embed-page.ts';
import '../ui/theme.css';
import { baseUrl, pageRuntime } from './page-runtime.ts';

// As on the app page: the console (and the tutorial around the iframe) can reach raybox.
window.raybox = raybox;

// `?theme=dark|light` follows the tutorial's own theme rather than the system's.
const theme = new URLSearchParams(window.location.search).get('theme');
if (theme === 'dark' || theme === 'light') document.documentElement.dataset['theme'] = theme;

const app = document.querySelector<HTMLElement>('#app');
if (app) {
  document.body.classList.add('rb-embed-body');
  const url = new URL(window.location.href);
  const mounted = mountEmbedPage(app, { runtime: pageRuntime(raybox), globals: { raybox }, onDemand: { tf: () => raybox.ml.loadTf() }, url, baseUrl: baseUrl() });
  // `?autorun`: the author chose "run on load"; otherwise nothing runs until the reader asks.
  if (url.searchParams.has('autorun')) void mounted.then((session) => session?.runAll());
}
