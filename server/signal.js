#!/usr/bin/env node
// @ts-check
/**
 * The signaling server alone, for a static build served from elsewhere: `npm run signal`.
 *
 *   node server/signal.js [--port 9000] [--host 127.0.0.1] [--path /signal] [--key peerjs]
 *
 * Pages find it with `?signal=<host>:<port><path>` or a build made with
 * `VITE_SIGNAL_URL=http://<host>:<port><path>` (see src/net/signaling-config.ts).
 *
 * Plain ESM JavaScript so that Node 20 runs it directly; types are in `signal.d.ts`.
 */
import { createServer } from 'node:http';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { attachSignaling, DEFAULT_KEY, DEFAULT_PATH } from './signaling.js';

export const DEFAULT_PORT = 9000;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Starts a signaling server on its own http server and resolves once it listens.
 *
 * @param {import('./signal.d.ts').SignalServerOptions} [options]
 * @returns {Promise<import('./signal.d.ts').RunningSignalServer>}
 */
export async function startSignalServer(options = {}) {
  const { port = DEFAULT_PORT, host = DEFAULT_HOST, ...signalingOptions } = options;
  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  const signaling = attachSignaling(server, signalingOptions);
  app.use(signaling.app);
  app.use((_request, response) => {
    response.status(404).type('text/plain');
    response.send(`Not found. This is a PeerJS signaling server; it answers under ${signaling.path}.\n`);
  });
  // `attachSignaling` takes its own upgrades; nothing else here speaks WebSocket.
  server.on('upgrade', (request, socket) => {
    if (!signaling.handles(request)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });

  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing;
  return {
    host,
    port: boundPort,
    path: signaling.path,
    url: `http://${urlHost}:${boundPort}${signaling.path}`,
    close() {
      closing ??= (async () => {
        await signaling.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(() => resolve(undefined)));
      })();
      return closing;
    },
  };
}

const usage = `Usage: node server/signal.js [options]

Starts a PeerJS signaling server alone.

Options:
  --port <n>    port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr> address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for every interface)
  --path <path> URL path of the server (default ${DEFAULT_PATH})
  --key <key>   API key clients must send (default ${DEFAULT_KEY})
  --proxied     trust X-Forwarded-* headers (behind a reverse proxy)
  -h, --help    show this help
`;

/**
 * @param {string[]} argv
 */
function parseCommandLine(argv) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        path: { type: 'string' },
        key: { type: 'string' },
        proxied: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}

/**
 * Command line entry: parses `argv`, starts the server, prints where it listens, and exits on
 * SIGINT/SIGTERM. Exits explicitly, since `peer` and open sockets could otherwise keep Node alive.
 *
 * @param {string[]} argv
 */
async function main(argv) {
  const values = parseCommandLine(argv);
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer from 0 to 65535, not ${JSON.stringify(values.port)}.`);
    process.exit(2);
  }

  let running;
  try {
    running = await startSignalServer({
      port,
      host: values.host ?? DEFAULT_HOST,
      path: values.path ?? DEFAULT_PATH,
      key: values.key ?? DEFAULT_KEY,
      proxied: values.proxied ?? false,
    });
  } catch (error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    const hint = code === 'EADDRINUSE' ? ' The port is taken: pick another with --port.' : '';
    console.error(`Cannot start the signaling server: ${error instanceof Error ? error.message : String(error)}.${hint}`);
    process.exit(1);
  }

  const { host, path, url } = running;
  const hostAndPort = url.slice('http://'.length, url.length - path.length);
  const reachable = host === '0.0.0.0' || host === '::' ? `<this machine's address>:${running.port}` : hostAndPort;
  console.log(`PeerJS signaling server listening at ${url}`);
  console.log(`  check:  ${url.replace(/\/$/, '')}/${values.key ?? DEFAULT_KEY}/id answers a fresh peer id`);
  console.log(`  pages:  open the app with ?signal=${reachable}${path}`);
  console.log(`          or build it with VITE_SIGNAL_URL=http://${reachable}${path}`);
  console.log('  stop:   Ctrl-C');

  /** @param {NodeJS.Signals} signal */
  const stop = (signal) => {
    console.log(`\n${signal}: stopping the signaling server.`);
    // A stuck close must not leave the process hanging.
    globalThis.setTimeout(() => process.exit(1), 3000).unref();
    running.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && realpathSync(invokedPath) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
