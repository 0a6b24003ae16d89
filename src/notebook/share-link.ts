import { decodeNotebook, NotebookFormatError, type NotebookFile } from './format.ts';

/**
 * Share links carry the notebook itself: its JSON, deflated ('deflate-raw') and base64url-encoded
 * into the URL's hash (`#nb=…`), which browsers never send to a server. Opening one needs nothing
 * but this page.
 */
export const SHARE_PARAM = 'nb';

/** The largest notebook a link may unpack to; a hostile link cannot make the page inflate more. */
const MAX_INFLATED = 16 * 2 ** 20;

/** The hash (without '#') that carries `file`. */
export async function encodeShareHash(file: NotebookFile): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(file));
  const packed = await pipe(bytes, new CompressionStream('deflate-raw'), Infinity);
  return `${SHARE_PARAM}=${toBase64Url(packed)}`;
}

/** The link that opens `file` on the page at `pageUrl` (its own hash is replaced). */
export async function shareUrl(pageUrl: string, file: NotebookFile): Promise<string> {
  const url = new URL(pageUrl);
  url.hash = await encodeShareHash(file);
  return url.toString();
}

/** Whether a location hash carries a notebook at all. */
export function hasSharedNotebook(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).has(SHARE_PARAM);
}

/**
 * The notebook a hash carries. Throws `NotebookFormatError` with a message a person can act on
 * when the link is cut short, altered, or not a notebook.
 */
export async function decodeShareHash(hash: string): Promise<NotebookFile> {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get(SHARE_PARAM);
  const damaged = 'This share link is damaged (cut short or altered), so the notebook it carries cannot be opened. Ask for the link again.';
  if (!value) throw new NotebookFormatError(damaged);
  let text: string;
  try {
    const bytes = fromBase64Url(value);
    text = new TextDecoder('utf-8', { fatal: true }).decode(await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_INFLATED));
  } catch (error) {
    if (error instanceof NotebookFormatError) throw error;
    throw new NotebookFormatError(damaged);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new NotebookFormatError(damaged);
  }
  return decodeNotebook(data);
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = transform.writable.getWriter();
  // Errors surface on the reading side; the writer's own promises must not go unhandled.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = transform.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      throw new NotebookFormatError(`This share link unpacks to more than ${limit / 2 ** 20} MiB; raybox does not open it.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
