import type { Block } from './block.ts';
import { parseCsv, parseJson, parseText } from './csv.ts';
import { DataSourceError } from './errors.ts';
import { parseParquet } from './parquet.ts';
import { readOpfsFile } from './opfs.ts';

export type FileFormat = 'csv' | 'json' | 'text' | 'parquet';

/** One file to read and parse, inside a task: by URL, by OPFS path, or its text (a `Blob` read in the page). */
export interface ReadSpec {
  kind: 'read';
  format: FileFormat;
  /** What messages call the file. */
  name: string;
  url?: string;
  opfs?: string;
  text?: string;
  /** A binary file's bytes (Parquet from a `Blob`). */
  bytes?: ArrayBuffer;
}

export async function readBlock(spec: ReadSpec): Promise<Block> {
  if (spec.format === 'parquet') return parseParquet(await readBytes(spec), spec.name);
  const text = await readText(spec);
  if (spec.format === 'csv') return parseCsv(text, spec.name);
  if (spec.format === 'json') return parseJson(text, spec.name);
  return parseText(text);
}

async function readText(spec: ReadSpec): Promise<string> {
  if (spec.text !== undefined) return spec.text;
  if (spec.opfs !== undefined) return (await readOpfsFile(spec.opfs)).text();
  return (await fetchFile(spec)).text();
}

async function readBytes(spec: ReadSpec): Promise<ArrayBuffer> {
  if (spec.bytes !== undefined) return spec.bytes;
  if (spec.opfs !== undefined) return (await readOpfsFile(spec.opfs)).arrayBuffer();
  return (await fetchFile(spec)).arrayBuffer();
}

async function fetchFile(spec: ReadSpec): Promise<Response> {
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
  return response;
}
