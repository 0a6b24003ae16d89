import { afterEach, describe, expect, it } from 'vitest';
import { Peer, type DataConnection } from 'peerjs';
import { resolveSignaling, type SignalingOptions } from '../../src/net/signaling-config.ts';

/** Every step is bounded: a broken server fails the test in seconds rather than hanging it. */
const STEP_MS = 4_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${STEP_MS} ms`)), STEP_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Resolves with the peer's id once the signaling server has registered it. */
function opened(peer: Peer): Promise<string> {
  return new Promise((resolve, reject) => {
    peer.once('open', resolve);
    peer.once('error', reject);
  });
}

function connectionOpened(connection: DataConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.once('open', () => resolve());
    connection.once('error', reject);
  });
}

/** The signaling server the plugin mounts on this test page's own origin. */
const ownOrigin: SignalingOptions = {
  host: location.hostname,
  port: Number(location.port),
  path: '/signal',
  secure: location.protocol === 'https:',
  config: { iceServers: [] },
};

describe('signaling plugin in the Vitest browser server', () => {
  const peers: Peer[] = [];
  afterEach(() => {
    for (const peer of peers.splice(0)) peer.destroy();
  });

  it('connects two peers through the page origin and echoes a message', async () => {
    const echo = new Peer(ownOrigin);
    const caller = new Peer(ownOrigin);
    peers.push(echo, caller);
    const [echoId] = await within(Promise.all([opened(echo), opened(caller)]), 'registering both peers');

    echo.on('connection', (connection) => {
      connection.on('data', (data) => void connection.send(data));
    });
    const connection = caller.connect(echoId, { reliable: true });
    await within(connectionOpened(connection), 'opening the data connection');

    const reply = new Promise<unknown>((resolve) => connection.once('data', resolve));
    const message = { hello: 'raybox', n: 42 };
    await connection.send(message);
    expect(await within(reply, 'the echo')).toEqual(message);
  });

  it('resolves to this origin from what the plugin tells the page', () => {
    const options = resolveSignaling({ search: '', location, env: import.meta.env });
    expect(options).toEqual(ownOrigin);
  });
});
