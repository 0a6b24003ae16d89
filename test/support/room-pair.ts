import type { Page } from 'playwright-core';
import { launchBrowserForPages, startAppServer } from './page-harness.ts';

declare const raybox: typeof import('../../src/index.ts');

/** A head page and a joiner page in one room, each in a browser context of its own. */
export interface RoomPair {
  head: Page;
  joiner: Page;
  /** The joiner's node, as the head lists it. */
  joinerNode: string;
  /** Closes the browser and the dev server. */
  close(): Promise<void>;
}

/**
 * Starts the app's dev server, opens the room test page twice, makes the first the head of a room
 * and joins it with the second, and resolves once the head counts every worker of both among the
 * room's CPUs (so a test's first scheduling decision already sees the joiner). Bounded: it throws
 * after 90 s with what the head saw.
 */
export async function openRoomPair(options: { headWorkers?: number; joinerWorkers?: number } = {}): Promise<RoomPair> {
  const headWorkers = options.headWorkers ?? 1;
  const joinerWorkers = options.joinerWorkers ?? 1;
  const { url, server } = await startAppServer();
  const browser = await launchBrowserForPages();
  const close = async (): Promise<void> => {
    await browser.close();
    await server.close();
  };
  try {
    const page = `${url}/test/net/fixtures/room-page.html`;
    const head = await browser.newPage(page);
    const joiner = await browser.newPage(page);
    const { roomId } = await head.evaluate(async (n) => {
      await raybox.init({ numWorkers: n });
      return raybox.openRoom();
    }, headWorkers);
    await joiner.evaluate(([room, n]) => raybox.joinRoom(room as string, { numWorkers: n as number }), [roomId, joinerWorkers] as const);
    const joinerNode = await head.evaluate(async (cpus) => {
      for (let i = 0; i < 900; i++) {
        const peer = raybox.nodes().find((node) => node.alive && !node.isLocal);
        if (peer && (raybox.clusterResources().CPU ?? 0) >= cpus) return peer.nodeId;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the joiner's workers never showed up: ${JSON.stringify(raybox.nodes())}`);
    }, headWorkers + joinerWorkers);
    return { head, joiner, joinerNode, close };
  } catch (error) {
    await close();
    throw error;
  }
}
