import { describe, expect, it } from 'vitest';
import { decodeNotebook, NotebookFormatError } from '../../src/notebook/format.ts';
import { decodeShareHash, encodeShareHash, hasSharedNotebook, shareUrl } from '../../src/notebook/share-link.ts';

const file = decodeNotebook({
  format: 'raybox-notebook',
  version: 1,
  title: 'Shared ✓',
  cells: [{ type: 'code', language: 'javascript', source: 'const x = "ünïcode";\n'.repeat(50) }],
});

describe('share links', () => {
  it('carry the notebook, compressed, in the hash', async () => {
    const url = await shareUrl('https://example.com/raybox/?notebook=x#old', file);
    const parsed = new URL(url);
    expect(parsed.hash).toMatch(/^#nb=[A-Za-z0-9_-]+$/);
    expect(url.length).toBeLessThan(JSON.stringify(file).length);
    expect(hasSharedNotebook(parsed.hash)).toBe(true);
    expect(await decodeShareHash(parsed.hash)).toEqual(file);
  });

  it.each([
    ['cut short', (hash: string) => hash.slice(0, hash.length / 2)],
    ['altered', (hash: string) => hash.slice(0, 10) + 'AAAA' + hash.slice(14)],
    ['not base64url', () => 'nb=%%%'],
    ['empty', () => 'nb='],
  ])('refuse a link that is %s', async (_, damage) => {
    const hash = await encodeShareHash(file);
    await expect(decodeShareHash(damage(hash))).rejects.toThrow(NotebookFormatError);
    await expect(decodeShareHash(damage(hash))).rejects.toThrow(/damaged|not a raybox notebook/);
  });
});
