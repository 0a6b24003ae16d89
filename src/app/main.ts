import * as raybox from '../index.ts';
import { IndexedDbNotebookStore } from '../notebook/notebook-store.ts';
import { mountNotebookPage } from '../ui/notebook-page.ts';
import { mountRoomPanel } from '../ui/room-panel.ts';
import '../ui/theme.css';
import { baseUrl, pageRuntime } from './page-runtime.ts';

declare global {
  interface Window {
    raybox: typeof raybox;
  }
}

// The console and tests outside the project drive raybox through this (see API.md).
window.raybox = raybox;

const app = document.querySelector<HTMLElement>('#app');
if (app) {
  // The dashboard subscribes first (which starts the runtime), so it sees every task from the start.
  void mountNotebookPage(app, {
    runtime: pageRuntime(raybox),
    globals: { raybox },
    // `tf` in a cell loads TensorFlow.js on first use, as it does in tasks.
    onDemand: { tf: () => raybox.ml.loadTf() },
    store: new IndexedDbNotebookStore(),
    url: new URL(window.location.href),
    baseUrl: baseUrl(),
  }).then(() => {
    // A page opened at a room link asks before it joins (see the room panel).
    const roomArea = app.querySelector<HTMLElement>('[data-room-area]');
    const body = app.querySelector<HTMLElement>('.rb-body') ?? undefined;
    if (roomArea) mountRoomPanel(roomArea, raybox, { roomToJoin: new URL(window.location.href).searchParams.get('room'), ...(body ? { invitationHost: body } : {}) });
    return raybox.init();
  });
}
