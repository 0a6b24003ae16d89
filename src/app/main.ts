import * as raybox from '../index.ts';
import { mountStatusPanel } from '../ui/status-panel.ts';

declare global {
  interface Window {
    raybox: typeof raybox;
  }
}

// The console and tests outside the project drive raybox through this (see API.md).
window.raybox = raybox;

const app = document.querySelector<HTMLElement>('#app');
if (app) {
  app.innerHTML = `
    <header><h1>raybox</h1><p>Ray's tasks, objects and actors, running in this page's Web Workers. Open the console and try
    <code>const sq = raybox.remote((x) => x * x); await raybox.get(sq.remote(4))</code>.</p></header>
    <main data-status></main>`;
  void raybox.init().then(() => mountStatusPanel(app.querySelector('[data-status]') as HTMLElement, raybox));
}
