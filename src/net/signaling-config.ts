/**
 * Where the page finds its PeerJS signaling server, and which ICE servers (STUN/TURN) it uses.
 *
 * Signaling server, first that applies:
 * 1. `?signal=` in the page's URL: `host:port/path`, a URL `https://host:port/path`, a path
 *    `/signal` on the page's own origin, or `public`.
 * 2. The build's `VITE_SIGNAL_URL` (same forms).
 * 3. The page's own origin, when the page was served by the Vite dev server with the signaling
 *    plugin (`VITE_SIGNAL_SAME_ORIGIN`), or is a build loaded from a loopback host, as by
 *    `vite preview` (`VITE_SIGNAL_PREVIEW_PATH`). Both are set by `server/signaling-plugin.js`.
 * 4. The public PeerJS server.
 *
 * ICE servers, first that applies: `?ice=`, the build's `VITE_ICE_SERVERS`, then a default: Google's
 * STUN server with the public signaling server, none otherwise (pages on one machine or one LAN
 * connect through host candidates, with no outside server). Each takes a JSON array of
 * RTCIceServer, a comma-separated list of `stun:`/`turn:` URLs, or `none`.
 *
 * Pure: the page's location, query string and build environment come in as arguments, so the
 * rules run in Node tests too.
 */
import { RayboxError, registerErrorClasses } from '../core/errors.ts';

/** The public PeerJS server, used when nothing else is configured. */
export const PUBLIC_SIGNALING = {
  host: '0.peerjs.com',
  port: 443,
  path: '/',
  secure: true,
} as const;

/** The ICE servers used with the public signaling server unless configured otherwise. */
export const PUBLIC_ICE_SERVERS: readonly RTCIceServer[] = [{ urls: 'stun:stun.l.google.com:19302' }];

/** Connection options for PeerJS (`new Peer(id, options)`): a subset of its `PeerOptions`. */
export interface SignalingOptions {
  /** Host name of the signaling server; an IPv6 address comes in brackets, e.g. `[::1]`. */
  host: string;
  port: number;
  /** URL path of the signaling server, e.g. `'/signal'` (PeerJS adds the trailing slash). */
  path: string;
  /** `https`/`wss` rather than `http`/`ws`. */
  secure: boolean;
  config: { iceServers: RTCIceServer[] };
}

/**
 * Build configuration read by `resolveSignaling`; pass `import.meta.env`. Empty strings count as
 * unset, so `VITE_SIGNAL_URL=` in an `.env` file changes nothing.
 */
export interface SignalingEnv {
  /** Anything else the build defines, such as Vite's `MODE`; ignored. */
  readonly [name: string]: unknown;
  /** Signaling server for this build, in any `?signal=` form. */
  readonly VITE_SIGNAL_URL?: string | undefined;
  /** ICE servers for this build: JSON RTCIceServer[], comma-separated URLs, or `none`. */
  readonly VITE_ICE_SERVERS?: string | undefined;
  /** Set by the signaling plugin on its dev server: the signaling path of the page's origin. */
  readonly VITE_SIGNAL_SAME_ORIGIN?: string | undefined;
  /** Set by the signaling plugin in builds: the path `vite preview` serves signaling at. */
  readonly VITE_SIGNAL_PREVIEW_PATH?: string | undefined;
}

/** The parts of the page's `location` that matter here. */
export interface PageLocation {
  /** `'http:'` or `'https:'`. */
  readonly protocol: string;
  /** As `location.hostname`: brackets around an IPv6 address. */
  readonly hostname: string;
  /** As `location.port`: `''` for the protocol's default port. */
  readonly port: string;
}

/** What `resolveSignaling` reads. */
export interface SignalingInputs {
  /** The page's query string, `location.search`, e.g. `'?signal=127.0.0.1:9000/signal'`. */
  readonly search: string;
  /** The page's location. */
  readonly location: PageLocation;
  /** Build configuration: `import.meta.env`. */
  readonly env: SignalingEnv;
}

/** Which setting a `SignalingConfigError` is about. */
export type SignalingSetting = '?signal=' | 'VITE_SIGNAL_URL' | '?ice=' | 'VITE_ICE_SERVERS';

const SIGNAL_FORMS =
  'Accepted forms: "host:port/path" (e.g. 127.0.0.1:9000/signal), a URL "https://host:port/path" ' +
  '(http, https, ws or wss), a path "/signal" on this page\'s own origin, or "public" for the public PeerJS server.';

const ICE_FORMS =
  'Accepted forms: a JSON array of RTCIceServer (e.g. [{"urls":"turn:turn.example.org:3478","username":"u","credential":"c"}]), ' +
  'a comma-separated list of stun:, stuns:, turn: or turns: URLs (e.g. stun:stun.example.org:3478), or "none".';

/**
 * A signaling or ICE setting that cannot be understood. The message names the setting, the value
 * and the forms that are accepted; the page should show it rather than fall back silently, since
 * somebody asked for that server on purpose.
 */
export class SignalingConfigError extends RayboxError {
  override readonly name = 'SignalingConfigError';
  /** The setting that holds the bad value. */
  readonly setting: SignalingSetting;
  /** The value as given. */
  readonly value: string;

  constructor(setting: SignalingSetting, value: string, problem: string) {
    const forms = setting === '?ice=' || setting === 'VITE_ICE_SERVERS' ? ICE_FORMS : SIGNAL_FORMS;
    super(`Cannot use ${setting} ${JSON.stringify(value)}: ${problem}. ${forms}`);
    this.setting = setting;
    this.value = value;
  }

  override details(): Record<string, unknown> {
    return { setting: this.setting, value: this.value };
  }
}
registerErrorClasses(SignalingConfigError);

/**
 * Works out the PeerJS options of this page: signaling server and ICE servers.
 *
 * @throws {SignalingConfigError} when `?signal=`, `?ice=`, `VITE_SIGNAL_URL` or
 *   `VITE_ICE_SERVERS` holds a value it cannot read.
 *
 * @example
 * import { Peer } from 'peerjs';
 * const options = resolveSignaling({ search: location.search, location, env: import.meta.env });
 * const peer = new Peer(options);
 */
export function resolveSignaling({ search, location, env }: SignalingInputs): SignalingOptions {
  const params = new URLSearchParams(search);
  const server = chooseServer(params.get('signal'), location, env);
  const isPublic = server.host === PUBLIC_SIGNALING.host;
  const iceServers =
    readIce('?ice=', params.get('ice')) ??
    readIce('VITE_ICE_SERVERS', setting(env.VITE_ICE_SERVERS)) ??
    (isPublic ? PUBLIC_ICE_SERVERS.map((entry) => ({ ...entry })) : []);
  return { ...server, config: { iceServers } };
}

type Server = Omit<SignalingOptions, 'config'>;

function chooseServer(signal: string | null, location: PageLocation, env: SignalingEnv): Server {
  if (signal !== null) return parseSignal('?signal=', signal, location);
  const built = setting(env.VITE_SIGNAL_URL);
  if (built !== undefined) return parseSignal('VITE_SIGNAL_URL', built, location);
  const sameOrigin = setting(env.VITE_SIGNAL_SAME_ORIGIN);
  if (sameOrigin !== undefined) return ownOrigin(location, sameOrigin);
  const preview = setting(env.VITE_SIGNAL_PREVIEW_PATH);
  if (preview !== undefined && isLoopback(location.hostname)) return ownOrigin(location, preview);
  return { ...PUBLIC_SIGNALING };
}

/** `value` trimmed, or undefined when it is missing, blank or not a string. */
function setting(value: unknown): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

/** Reads one signaling server address in any of the `SIGNAL_FORMS`. */
function parseSignal(name: '?signal=' | 'VITE_SIGNAL_URL', raw: string, location: PageLocation): Server {
  const value = raw.trim();
  const fail = (problem: string): never => {
    throw new SignalingConfigError(name, raw, problem);
  };
  if (value === '') fail('it is empty');
  if (value.toLowerCase() === 'public') return { ...PUBLIC_SIGNALING };
  if (value.startsWith('/')) {
    if (/[?#\s]/.test(value)) fail('a path must not hold a query, a fragment or spaces');
    return ownOrigin(location, value);
  }

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  let secure: boolean;
  if (scheme === undefined) {
    // `host:port/path`: the page's own scheme, since an https page cannot reach a ws:// server.
    secure = location.protocol === 'https:';
  } else if (scheme === 'https' || scheme === 'wss') {
    secure = true;
  } else if (scheme === 'http' || scheme === 'ws') {
    secure = false;
  } else {
    return fail(`the scheme "${scheme}:" is not one of http, https, ws or wss`);
  }

  let url: URL;
  try {
    url = new URL(scheme === undefined ? `${secure ? 'https' : 'http'}://${value}` : value);
  } catch {
    return fail('it is not a host, a URL or a path');
  }
  if (url.hostname === '') fail('it names no host');
  if (url.username !== '' || url.password !== '') fail('credentials in the address are not supported');
  if (url.search !== '' || url.hash !== '') fail('a query or fragment would be ignored');
  // URL drops the scheme's default port: put it back, and refuse port 0.
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  if (port === 0) fail('port 0 is not a port a server listens on');
  return { host: url.hostname, port, path: trimPath(url.pathname), secure };
}

/** The page's own origin at `path`. */
function ownOrigin(location: PageLocation, path: string): Server {
  const secure = location.protocol === 'https:';
  const port = location.port === '' ? (secure ? 443 : 80) : Number(location.port);
  return { host: location.hostname, port, path: trimPath(path), secure };
}

/** `path` with one leading slash and no trailing one, `'/'` for the root. */
function trimPath(path: string): string {
  return `/${path.replace(/^\/+|\/+$/g, '')}`;
}

/** Whether a page at `hostname` is on this machine, as pages served by `vite preview` are. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Reads ICE servers in any of the `ICE_FORMS`, or undefined when `raw` is null/undefined. */
function readIce(name: '?ice=' | 'VITE_ICE_SERVERS', raw: string | null | undefined): RTCIceServer[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  const value = raw.trim();
  const fail = (problem: string): never => {
    throw new SignalingConfigError(name, raw, problem);
  };
  if (value === '') fail('it is empty');
  if (value.toLowerCase() === 'none') return [];
  if (value.startsWith('[') || value.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return fail('it is not valid JSON');
    }
    if (!Array.isArray(parsed)) return fail('the JSON is not an array');
    return parsed.map((entry: unknown, index) => toIceServer(entry, `entry ${index}`, fail));
  }
  return value.split(',').map((url, index) => toIceServer({ urls: url.trim() }, `URL ${index}`, fail));
}

const ICE_URL = /^(stuns?|turns?):[^\s]+$/i;

/** Checks one RTCIceServer and copies the fields WebRTC knows. */
function toIceServer(entry: unknown, where: string, fail: (problem: string) => never): RTCIceServer {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail(`${where} is not an object with "urls"`);
  }
  const { urls, username, credential } = entry as Record<string, unknown>;
  const list = typeof urls === 'string' ? [urls] : urls;
  if (!Array.isArray(list) || list.length === 0) return fail(`${where} has no "urls"`);
  for (const url of list) {
    if (typeof url !== 'string' || !ICE_URL.test(url)) {
      fail(`${where} has ${JSON.stringify(url)}, which is not a stun:, stuns:, turn: or turns: URL`);
    }
  }
  if (username !== undefined && typeof username !== 'string') fail(`${where} has a "username" that is not a string`);
  if (credential !== undefined && typeof credential !== 'string') {
    fail(`${where} has a "credential" that is not a string`);
  }
  const server: RTCIceServer = { urls: typeof urls === 'string' ? urls : (list as string[]) };
  if (typeof username === 'string') server.username = username;
  if (typeof credential === 'string') server.credential = credential;
  return server;
}
