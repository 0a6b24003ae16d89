/** Rooms from the page: "Open room" on one app page, "Join as worker" on another opened at its link. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { ViteDevServer } from 'vite';
import { launchBrowserForPages, startAppServer } from '../support/page-harness.ts';

let server: ViteDevServer;
let url: string;
let browser: Awaited<ReturnType<typeof launchBrowserForPages>>;

beforeAll(async () => {
  ({ server, url } = await startAppServer());
  browser = await launchBrowserForPages();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('rooms in the page', () => {
  it('opens a room, shows its link and QR code, and lists a peer that joins from the link', async () => {
    const head = await browser.newPage(`${url}/`);
    await head.getByRole('button', { name: 'Open room' }).click();
    const linkBox = head.locator('[data-room-link]');
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(link).toMatch(/\?room=[0-9a-f]{32}$/);
    await expect.poll(() => head.getByRole('img', { name: 'QR code of the room link' }).count()).toBe(1);
    expect(await head.getByRole('button', { name: 'Copy link' }).count()).toBe(1);

    const joiner = await browser.newPage(link);
    await joiner.getByRole('button', { name: 'Join as worker' }).waitFor();
    // The invitation is the joiner's main content until answered: the notebook waits behind it.
    const invitation = joiner.getByRole('region', { name: 'Room invitation' });
    expect(await invitation.textContent()).toMatch(/sandboxed workers/);
    expect(await joiner.locator('[data-notebook]').isHidden()).toBe(true);
    await joiner.screenshot({ path: 'test-results/screenshots/room-invitation.png' });
    await joiner.getByRole('button', { name: 'Join as worker' }).click();
    await joiner.locator('[data-room-status="joined"]').waitFor({ timeout: 20_000 });
    expect(await invitation.count()).toBe(0);
    expect(await joiner.locator('[data-notebook]').isVisible()).toBe(true);
    await expect.poll(() => head.locator('[data-room-peers] li').count(), { timeout: 20_000 }).toBe(1);
    mkdirSync('test-results/screenshots', { recursive: true });
    await head.screenshot({ path: 'test-results/screenshots/room-head.png' });

    // The joiner's workers take the head's tasks.
    const ran = await head.evaluate(async () => {
      const peer = window.raybox.nodes().find((n) => !n.isLocal && n.alive);
      const where = window.raybox.remote(() => raybox.getRuntimeContext().nodeId);
      return { peer: peer?.nodeId, ran: await window.raybox.get(where.options({ schedulingStrategy: { nodeId: peer?.nodeId ?? '', soft: false } }).remote(), { timeout: 30 }) };
    });
    expect(ran.ran).toBe(ran.peer);
    await expect.poll(() => joiner.locator('[data-room-status="joined"]').textContent(), { timeout: 10_000 }).toMatch(/has finished 1\./);

    await joiner.getByRole('button', { name: 'Leave room' }).click();
    await expect.poll(() => head.locator('[data-room-peers] li').count(), { timeout: 20_000 }).toBe(0);
    // An empty room after a departure is not a room nobody joined.
    expect(await head.locator('[data-room-count]').textContent()).toBe('No peers now (1 left): share the link again.');
  });
});

declare const raybox: typeof import('../../src/index.ts');
