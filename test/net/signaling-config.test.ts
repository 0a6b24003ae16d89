import { describe, expect, it } from 'vitest';
import {
  PUBLIC_ICE_SERVERS,
  PUBLIC_SIGNALING,
  SignalingConfigError,
  resolveSignaling,
  type PageLocation,
  type SignalingEnv,
} from '../../src/net/signaling-config.ts';

const devPage: PageLocation = { protocol: 'http:', hostname: '127.0.0.1', port: '5173' };
const deployedPage: PageLocation = { protocol: 'https:', hostname: 'raybox.example.org', port: '' };

function resolve(search: string, env: SignalingEnv = {}, location: PageLocation = deployedPage) {
  return resolveSignaling({ search, location, env });
}

/** The error `fn` throws, checked to be a SignalingConfigError. */
function configError(fn: () => unknown): SignalingConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SignalingConfigError);
    return error as SignalingConfigError;
  }
  throw new Error('expected a SignalingConfigError, but nothing was thrown');
}

describe('resolveSignaling: which server', () => {
  it('uses the public PeerJS server, with Google STUN, when nothing is configured', () => {
    expect(resolve('')).toEqual({
      host: '0.peerjs.com',
      port: 443,
      path: '/',
      secure: true,
      config: { iceServers: [{ urls: 'stun:stun.l.google.com:19302' }] },
    });
  });

  it('uses the page origin on the dev server, with no ICE servers', () => {
    expect(resolve('', { VITE_SIGNAL_SAME_ORIGIN: '/signal' }, devPage)).toEqual({
      host: '127.0.0.1',
      port: 5173,
      path: '/signal',
      secure: false,
      config: { iceServers: [] },
    });
  });

  it('fills in the default port of the page protocol', () => {
    const options = resolve('', { VITE_SIGNAL_SAME_ORIGIN: '/signal' }, deployedPage);
    expect(options).toMatchObject({ host: 'raybox.example.org', port: 443, secure: true });
  });

  it('uses the preview path only on a loopback page', () => {
    const env = { VITE_SIGNAL_PREVIEW_PATH: '/signal' };
    for (const hostname of ['127.0.0.1', 'localhost', '[::1]', 'app.localhost']) {
      expect(resolve('', env, { protocol: 'http:', hostname, port: '4173' })).toMatchObject({
        host: hostname,
        port: 4173,
        path: '/signal',
      });
    }
    expect(resolve('', env, deployedPage)).toMatchObject(PUBLIC_SIGNALING);
  });

  it('prefers VITE_SIGNAL_URL to the page origin', () => {
    const env = { VITE_SIGNAL_URL: 'https://signal.example.org/peer', VITE_SIGNAL_SAME_ORIGIN: '/signal' };
    expect(resolve('', env, devPage)).toMatchObject({
      host: 'signal.example.org',
      port: 443,
      path: '/peer',
      secure: true,
    });
  });

  it('prefers ?signal= to VITE_SIGNAL_URL', () => {
    const env = { VITE_SIGNAL_URL: 'https://signal.example.org/peer' };
    expect(resolve('?signal=10.0.0.2:9000/signal', env, devPage)).toMatchObject({
      host: '10.0.0.2',
      port: 9000,
      path: '/signal',
      secure: false,
    });
  });

  it('treats blank build settings as unset', () => {
    expect(resolve('', { VITE_SIGNAL_URL: '  ', VITE_ICE_SERVERS: '' })).toMatchObject(PUBLIC_SIGNALING);
  });

  it('returns a fresh copy of the public ICE servers', () => {
    const options = resolve('');
    options.config.iceServers.push({ urls: 'stun:other.example.org' });
    expect(PUBLIC_ICE_SERVERS).toHaveLength(1);
  });
});

describe('resolveSignaling: ?signal= forms', () => {
  it('reads host:port/path with the page protocol', () => {
    expect(resolve('?signal=127.0.0.1:9000/signal', {}, devPage)).toMatchObject({
      host: '127.0.0.1',
      port: 9000,
      path: '/signal',
      secure: false,
      config: { iceServers: [] },
    });
    expect(resolve('?signal=signal.example.org:8443/signal', {}, deployedPage)).toMatchObject({
      port: 8443,
      secure: true,
    });
  });

  it('reads a host alone, with the default port and path', () => {
    expect(resolve('?signal=signal.example.org', {}, devPage)).toMatchObject({
      host: 'signal.example.org',
      port: 80,
      path: '/',
      secure: false,
    });
  });

  it('reads full URLs of every accepted scheme', () => {
    expect(resolve('?signal=https://signal.example.org:8443/a/b/')).toMatchObject({
      host: 'signal.example.org',
      port: 8443,
      path: '/a/b',
      secure: true,
    });
    expect(resolve('?signal=http://signal.example.org/x')).toMatchObject({ port: 80, secure: false });
    expect(resolve('?signal=wss://signal.example.org/x')).toMatchObject({ port: 443, secure: true });
    expect(resolve('?signal=ws://signal.example.org:9000/x')).toMatchObject({ port: 9000, secure: false });
  });

  it('keeps IPv6 hosts in brackets, as PeerJS needs them', () => {
    expect(resolve('?signal=[::1]:9000/signal', {}, devPage)).toMatchObject({ host: '[::1]', port: 9000 });
    expect(resolve(`?signal=${encodeURIComponent('http://[::1]:9000/signal')}`)).toMatchObject({
      host: '[::1]',
    });
  });

  it('reads a path as the page origin', () => {
    expect(resolve('?signal=/other', {}, devPage)).toMatchObject({
      host: '127.0.0.1',
      port: 5173,
      path: '/other',
      secure: false,
    });
  });

  it('reads public, in any case, even over a configured server', () => {
    const env = { VITE_SIGNAL_URL: 'https://signal.example.org/peer' };
    expect(resolve('?signal=Public', env, devPage)).toEqual({
      ...PUBLIC_SIGNALING,
      config: { iceServers: [...PUBLIC_ICE_SERVERS] },
    });
  });

  it.each([
    ['', 'it is empty'],
    ['ftp://signal.example.org/x', 'the scheme "ftp:"'],
    ['https://', 'it is not a host, a URL or a path'],
    ['not a host', 'it is not a host, a URL or a path'],
    ['signal.example.org:99999', 'it is not a host, a URL or a path'],
    ['signal.example.org:0/x', 'port 0'],
    ['https://user:pw@signal.example.org/x', 'credentials'],
    ['https://signal.example.org/x?y=1', 'query or fragment'],
    ['/path with space', 'query, a fragment or spaces'],
  ])('refuses %j, saying why and which forms work', (value, problem) => {
    const error = configError(() => resolve(`?signal=${encodeURIComponent(value)}`));
    expect(error.name).toBe('SignalingConfigError');
    expect(error.setting).toBe('?signal=');
    expect(error.value).toBe(value);
    expect(error.message).toContain(problem);
    expect(error.message).toContain('"host:port/path"');
    expect(error.message).toContain('"public"');
  });

  it('refuses a bad VITE_SIGNAL_URL, naming it', () => {
    const error = configError(() => resolve('', { VITE_SIGNAL_URL: 'gopher://x' }));
    expect(error.setting).toBe('VITE_SIGNAL_URL');
    expect(error.message).toMatch(/^Cannot use VITE_SIGNAL_URL "gopher:\/\/x"/);
  });
});

describe('resolveSignaling: ICE servers', () => {
  const turn = { urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'c' };

  it('reads VITE_ICE_SERVERS as JSON, keeping only RTCIceServer fields', () => {
    const env = { VITE_ICE_SERVERS: JSON.stringify([{ ...turn, extra: 1 }]) };
    expect(resolve('', env).config.iceServers).toEqual([turn]);
  });

  it('reads a comma-separated list of URLs', () => {
    expect(resolve('?ice=stun:a.example.org:3478, stun:b.example.org').config.iceServers).toEqual([
      { urls: 'stun:a.example.org:3478' },
      { urls: 'stun:b.example.org' },
    ]);
  });

  it('reads none, even with the public server', () => {
    expect(resolve('?ice=none').config.iceServers).toEqual([]);
  });

  it('prefers ?ice= to VITE_ICE_SERVERS', () => {
    const env = { VITE_ICE_SERVERS: JSON.stringify([turn]), VITE_SIGNAL_SAME_ORIGIN: '/signal' };
    expect(resolve('?ice=stun:a.example.org', env, devPage).config.iceServers).toEqual([
      { urls: 'stun:a.example.org' },
    ]);
    expect(resolve('', env, devPage).config.iceServers).toEqual([turn]);
  });

  it('uses none with a configured server unless told', () => {
    expect(resolve('?signal=signal.example.org:9000/signal').config.iceServers).toEqual([]);
  });

  it.each([
    ['', 'it is empty'],
    ['[{"urls":', 'not valid JSON'],
    ['{"urls":"stun:a"}', 'not an array'],
    ['[42]', 'entry 0 is not an object'],
    ['[{"urls":[]}]', 'entry 0 has no "urls"'],
    ['[{"urls":"http://a"}]', 'not a stun:'],
    ['[{"urls":"turn:a","username":1}]', '"username" that is not a string'],
    ['stun:a,https://b', 'URL 1 has "https://b"'],
  ])('refuses %j, saying why and which forms work', (value, problem) => {
    const error = configError(() => resolve(`?ice=${encodeURIComponent(value)}`));
    expect(error.setting).toBe('?ice=');
    expect(error.message).toContain(problem);
    expect(error.message).toContain('JSON array of RTCIceServer');
  });
});

describe('SignalingConfigError', () => {
  it('is an Error that names the setting and the value', () => {
    const error = new SignalingConfigError('?signal=', 'x', 'it is odd');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SignalingConfigError');
    expect(error.message).toMatch(/^Cannot use \?signal= "x": it is odd\. Accepted forms: /);
  });

  it('accepts import.meta.env as the environment', () => {
    // Type-level check: the real build environment is a SignalingEnv.
    const env: SignalingEnv = import.meta.env;
    expect(resolve('?signal=public', env)).toMatchObject(PUBLIC_SIGNALING);
  });
});
