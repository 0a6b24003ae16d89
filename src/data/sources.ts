import { RayboxUsageError } from '../core/errors.ts';
import { isOpfsPath, listOpfs } from './opfs.ts';
import type { FileFormat, ReadSpec } from './read-block.ts';

export type SourceLike = string | Blob | (string | Blob)[];

const extensions: Record<FileFormat, string> = { csv: '.csv', json: '', text: '', parquet: '.parquet' };

/**
 * The read inputs of a source: one per file. An `'opfs:/dir'` directory gives one per file in it
 * (sorted by name, of the format's extension for CSV); a `File`/`Blob` is read here, in the page,
 * and parsed in a task; a URL is fetched by the task itself.
 */
export async function readSpecs(source: SourceLike, format: FileFormat): Promise<ReadSpec[]> {
  const list = Array.isArray(source) ? source : [source];
  const specs: ReadSpec[] = [];
  for (const item of list) {
    if (typeof Blob !== 'undefined' && item instanceof Blob) {
      const name = (item as File).name ?? 'blob';
      specs.push(format === 'parquet' ? { kind: 'read', format, name, bytes: await item.arrayBuffer() } : { kind: 'read', format, name, text: await item.text() });
    } else if (isOpfsPath(item)) {
      for (const path of await listOpfs(item, extensions[format])) specs.push({ kind: 'read', format, name: path, opfs: path });
    } else if (typeof item === 'string') {
      const url = new URL(item, globalThis.location?.href).href;
      specs.push({ kind: 'read', format, name: item, url });
    } else {
      throw new RayboxUsageError(`read${format}: a source is a URL, an 'opfs:/…' path, a File or a Blob, or a list of them; got ${String(item)}.`);
    }
  }
  return specs;
}
