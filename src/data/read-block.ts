import type { Block } from './block.ts';
import { parseCsv, parseJson, parseText } from './csv.ts';
import { DataSourceError } from './errors.ts';
import { readOpfsFile } from './opfs.ts';

export type FileFormat = 'csv' | 'json' | 'text';

/** One file to read and parse, inside a task: by URL, by OPFS path, or its text (a `Blob` read in the page). */
export interface ReadSpec {
  kind: 'read';
  format: FileFormat;
  /** What messages call the file. */
  name: string;
  url?: string;
  opfs?: string;
  text?: string;
}

export async function readBlock(spec: ReadSpec): Promise<Block> {
  const text = await readText(spec);
  if (spec.format === 'csv') return parseCsv(text, spec.name);
  if (spec.format === 'json') return parseJson(text, spec.name);
  return parseText(text);
}

async function readText(spec: ReadSpec): Promise<string> {
  if (spec.text !== undefined) return spec.text;
  if (spec.opfs !== undefined) return readOpfsFile(spec.opfs);
  let response: Response;
  try {
    response = await fetch(spec.url as string);
  } catch (cause) {
    throw new DataSourceError(`${spec.name}: could not fetch (${String(cause)}); check the URL, or pass a File or an 'opfs:/…' path.`);
  }
  if (!response.ok) throw new DataSourceError(`${spec.name}: the server answered ${response.status} ${response.statusText}; check the URL.`);
  // A dev server or an app's fallback answers a missing file with its HTML page.
  if ((response.headers.get('content-type') ?? '').includes('text/html') && !/\.html?$/.test(new URL(response.url || (spec.url as string)).pathname)) {
    throw new DataSourceError(`${spec.name}: the server answered with an HTML page, so the file is probably missing; check the URL.`);
  }
  return response.text();
}
