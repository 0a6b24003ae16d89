import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, createServer, preview, type PreviewServer, type Rollup, type ViteDevServer } from 'vite';
import { WebSocket, WebSocketServer } from 'ws';
import { signalingPlugin } from '../../server/signaling-plugin.js';

/** Every network step is bounded: a test fails in seconds rather than hanging. */
const STEP_MS = 5_000;

/** The first message of a WebSocket at `url`, opened with `protocol` (Vite's is 'vite-hmr'). */
function firstMessage(url: string, protocol?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = protocol === undefined ? new WebSocket(url) : new WebSocket(url, protocol);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no message from ${url} within ${STEP_MS} ms`));
    }, STEP_MS);
    socket.once('message', (data) => {
      clearTimeout(timer);
      socket.close();
      resolve(JSON.parse(String(data)));
    });
    socket.once('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      reject(new Error(`WebSocket ${url} answered HTTP ${response.statusCode}`));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function get(url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(STEP_MS) });
}

function origin(server: ViteDevServer | PreviewServer): string {
  const address = server.httpServer?.address() as AddressInfo;
  return `127.0.0.1:${address.port}`;
}

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'raybox-signaling-'));
  const page = '<!doctype html><title>page</title><script type="module" src="/main.js"></script>';
  await writeFile(join(root, 'index.html'), page);
  await writeFile(
    join(root, 'main.js'),
    'console.log(import.meta.env.VITE_SIGNAL_SAME_ORIGIN, import.meta.env.VITE_SIGNAL_PREVIEW_PATH);\n',
  );
  await mkdir(join(root, 'dist'));
  await writeFile(join(root, 'dist', 'index.html'), page);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('signalingPlugin in the dev server', () => {
  let server: ViteDevServer;
  beforeAll(async () => {
    server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [signalingPlugin()],
      server: { host: '127.0.0.1', port: 0, strictPort: true, watch: null },
    });
    await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers PeerJS id requests at /signal and still serves the page', async () => {
    const id = await get(`http://${origin(server)}/signal/peerjs/id`);
    expect(id.status).toBe(200);
    expect(await id.text()).toMatch(/^[0-9a-f-]{36}$/);

    const page = await get(`http://${origin(server)}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>page</title>');
  });

  it('opens PeerJS WebSockets and leaves the hot-reload WebSocket to Vite', async () => {
    await expect(firstMessage(`ws://${origin(server)}/signal/peerjs?key=peerjs&id=a&token=t`)).resolves.toEqual({
      type: 'OPEN',
    });
    // Answered 400 here, the page would reload in a loop: see FINDINGS.md.
    await expect(firstMessage(`ws://${origin(server)}/`, 'vite-hmr')).resolves.toEqual({ type: 'connected' });
  });

  it('leaves upgrades for other paths to their own listeners', async () => {
    // Another WebSocket user of the same http server, as Vitest's API socket is.
    const other = new WebSocketServer({ noServer: true });
    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (request.url !== '/other') return;
      other.handleUpgrade(request, socket, head, (ws) => ws.send(JSON.stringify({ from: 'other' })));
    };
    server.httpServer?.on('upgrade', onUpgrade);
    try {
      await expect(firstMessage(`ws://${origin(server)}/other`)).resolves.toEqual({ from: 'other' });
    } finally {
      server.httpServer?.off('upgrade', onUpgrade);
      other.close();
    }
  });

  it('tells the page where signaling is', async () => {
    const module = await get(`http://${origin(server)}/main.js`);
    expect(await module.text()).toContain('"/signal"');
  });
});

describe('signalingPlugin in the preview server', () => {
  let server: PreviewServer;
  beforeAll(async () => {
    server = await preview({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [signalingPlugin({ path: '/peer-signal' })],
      preview: { host: '127.0.0.1', port: 0, strictPort: true },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers at its path and still serves the build', async () => {
    const id = await get(`http://${origin(server)}/peer-signal/peerjs/id`);
    expect(await id.text()).toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      firstMessage(`ws://${origin(server)}/peer-signal/peerjs?key=peerjs&id=b&token=t`),
    ).resolves.toEqual({ type: 'OPEN' });
    expect(await (await get(`http://${origin(server)}/`)).text()).toContain('<title>page</title>');
  });
});

describe('signalingPlugin in a build', () => {
  it('records the preview path, and not the dev-server flag', async () => {
    const output = (await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [signalingPlugin({ path: '/sig' })],
      build: { write: false, minify: false },
    })) as Rollup.RollupOutput;
    const code = output.output.map((file) => (file.type === 'chunk' ? file.code : '')).join('\n');
    expect(code).toContain('console.log(void 0, "/sig")');
  });
});

describe('signalingPlugin options', () => {
  it('refuses the root path, which would hide the page', () => {
    expect(() => signalingPlugin({ path: '/' })).toThrow(/would hide the page/);
  });
});

describe('signalingPlugin shutdown', () => {
  // `peer` re-arms timers forever; if the plugin did not stop them, this process would not end.
  it('lets Node exit once the dev server is closed', async () => {
    const script = `
      import { createServer } from 'vite';
      import { signalingPlugin } from './server/signaling-plugin.js';
      const server = await createServer({
        root: ${JSON.stringify(root)}, configFile: false, logLevel: 'silent',
        plugins: [signalingPlugin()],
        server: { host: '127.0.0.1', port: 0, watch: null },
      });
      await server.listen();
      const { port } = server.httpServer.address();
      const id = await (await fetch('http://127.0.0.1:' + port + '/signal/peerjs/id')).text();
      await server.close();
      console.log('closed after id ' + id.length);
    `;
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { cwd: process.cwd(), timeout: 20_000, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout })),
      );
    });
    expect(stdout).toContain('closed after id 36');
  }, 30_000);
});
