/**
 * Proof of a room's passphrase without sending it: the head sends a random nonce, the joiner
 * answers HMAC-SHA256(key, nonce) with a key derived from the passphrase and the room id
 * (PBKDF2, so a captured answer is costly to brute-force), and the head checks the answer.
 */

const ITERATIONS = 100_000;

async function roomKey(passphrase: string, roomId: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new TextEncoder().encode(`raybox-room:${roomId}`), iterations: ITERATIONS },
    material,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  );
}

export function newNonce(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

export async function prove(passphrase: string, roomId: string, nonce: string): Promise<string> {
  const key = await roomKey(passphrase, roomId);
  return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(nonce))));
}

export async function verify(passphrase: string, roomId: string, nonce: string, proof: string): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/.test(proof)) return false;
  const key = await roomKey(passphrase, roomId);
  return crypto.subtle.verify('HMAC', key, fromHex(proof), new TextEncoder().encode(nonce));
}

/** A room id: 128 random bits, as 32 hex characters (valid as a PeerJS id). */
export function newRoomId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
