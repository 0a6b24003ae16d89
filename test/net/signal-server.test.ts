import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { startSignalServer, type RunningSignalServer } from '../../server/signal.js';

/** Every network step is bounded: a test fails in seconds rather than hanging. */
const STEP_MS = 5_000;

/** The first message a PeerJS-style WebSocket client receives at `url`. */
function firstMessage(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no message from ${url} within ${STEP_MS} ms`));
    }, STEP_MS);
    socket.once('message', (data) => {
      clearTimeout(timer);
      socket.close();
      resolve(JSON.parse(String(data)));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The HTTP status a WebSocket handshake at `url` is answered with (101 when it is accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
      timeout: STEP_MS,
    });
    req.once('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    req.once('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer from ${url} within ${STEP_MS} ms`)));
    req.once('error', reject);
    req.end();
  });
}

describe('startSignalServer', () => {
  let server: RunningSignalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers GET <path>/peerjs/id with a fresh peer id', async () => {
    server = await startSignalServer({ port: 0, host: '127.0.0.1' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/signal`);

    const response = await fetch(`${server.url}/peerjs/id`, { signal: AbortSignal.timeout(STEP_MS) });
    expect(response.status).toBe(200);
    const id = await response.text();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const info = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(STEP_MS) });
    expect(await info.json()).toMatchObject({ name: 'PeerJS Server' });
  });

  it('opens PeerJS WebSockets at <path>/peerjs and refuses other upgrades', async () => {
    server = await startSignalServer({ port: 0, path: '/custom/' });
    expect(server.path).toBe('/custom');
    const base = `ws://127.0.0.1:${server.port}`;

    await expect(firstMessage(`${base}/custom/peerjs?key=peerjs&id=a&token=t`)).resolves.toEqual({ type: 'OPEN' });
    await expect(firstMessage(`${base}/custom/peerjs?key=wrong&id=b&token=t`)).resolves.toMatchObject({
      type: 'ERROR',
      payload: { msg: 'Invalid key provided' },
    });
    await expect(upgradeStatus(`http://127.0.0.1:${server.port}/elsewhere`)).resolves.toBe(404);
  });

  it('answers other paths with 404', async () => {
    server = await startSignalServer({ port: 0 });
    const response = await fetch(`http://127.0.0.1:${server.port}/`, { signal: AbortSignal.timeout(STEP_MS) });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('/signal');
  });

  it('closes idempotently, dropping connected clients, and frees the port', async () => {
    const running = await startSignalServer({ port: 0 });
    server = running;
    const socket = new WebSocket(`ws://127.0.0.1:${running.port}/signal/peerjs?key=peerjs&id=c&token=t`);
    await new Promise((resolve, reject) => {
      socket.once('message', resolve);
      socket.once('error', reject);
    });
    const closedSocket = new Promise((resolve) => socket.once('close', resolve));

    await Promise.all([running.close(), running.close()]);
    await closedSocket;
    await expect(fetch(`${running.url}/peerjs/id`, { signal: AbortSignal.timeout(STEP_MS) })).rejects.toThrow();
  });

  it('reports a taken port', async () => {
    server = await startSignalServer({ port: 0 });
    await expect(startSignalServer({ port: server.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
