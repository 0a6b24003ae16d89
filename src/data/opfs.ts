import { DataSourceError } from './errors.ts';

/**
 * Paths in the origin private file system, written `'opfs:/dir/file.csv'`. Both the page and
 * workers reach it, so read tasks open their files themselves.
 */
export function isOpfsPath(source: unknown): source is string {
  return typeof source === 'string' && source.startsWith('opfs:');
}

export function opfsParts(path: string): string[] {
  return path.slice('opfs:'.length).split('/').filter((p) => p !== '' && p !== '.');
}

async function root(): Promise<FileSystemDirectoryHandle> {
  return navigator.storage.getDirectory();
}

/** The directory at `parts`, created when `create`; a missing one is a `DataSourceError`. */
export async function opfsDirectory(parts: string[], path: string, create = false): Promise<FileSystemDirectoryHandle> {
  let dir = await root();
  for (const part of parts) {
    try {
      dir = await dir.getDirectoryHandle(part, { create });
    } catch {
      throw new DataSourceError(`${path}: no such directory in the origin private file system; write it first (e.g. ds.writeCsv('${path}')) or check the path.`);
    }
  }
  return dir;
}

/** A file's text, or the files of a directory (sorted by name) when the path is a directory. */
export async function listOpfs(path: string, extension: string): Promise<string[]> {
  const parts = opfsParts(path);
  const parent = await opfsDirectory(parts.slice(0, -1), path);
  const last = parts[parts.length - 1];
  if (last === undefined) return listDirectory(await root(), 'opfs:', extension);
  try {
    await parent.getFileHandle(last);
    return [`opfs:/${parts.join('/')}`];
  } catch {
    // not a file: a directory, or nothing
  }
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await parent.getDirectoryHandle(last);
  } catch {
    throw new DataSourceError(`${path}: no such file or directory in the origin private file system; write it first or check the path.`);
  }
  return listDirectory(dir, `opfs:/${parts.join('/')}`, extension);
}

async function listDirectory(dir: FileSystemDirectoryHandle, prefix: string, extension: string): Promise<string[]> {
  const names: string[] = [];
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind === 'file' && (extension === '' || name.endsWith(extension))) names.push(name);
  }
  names.sort();
  return names.map((n) => `${prefix}/${n}`);
}

export async function readOpfsFile(path: string): Promise<File> {
  const parts = opfsParts(path);
  const dir = await opfsDirectory(parts.slice(0, -1), path);
  try {
    const handle = await dir.getFileHandle(parts[parts.length - 1] as string);
    return await handle.getFile();
  } catch {
    throw new DataSourceError(`${path}: no such file in the origin private file system; check the path.`);
  }
}

/**
 * Writes one file per entry into a new directory at `path`. The directory must not exist yet
 * (as Ray refuses a non-empty output path, nothing is silently mixed); if any write fails the
 * directory is removed again, so no partial output stays behind.
 */
export async function writeOpfsDirectory(path: string, files: AsyncIterable<{ name: string; text: string | ArrayBuffer }>): Promise<string[]> {
  const parts = opfsParts(path);
  const name = parts[parts.length - 1];
  if (name === undefined) throw new DataSourceError(`${path}: name a directory to write into, e.g. 'opfs:/out'.`);
  const parent = await opfsDirectory(parts.slice(0, -1), path, true);
  let exists = true;
  try {
    await parent.getDirectoryHandle(name);
  } catch {
    exists = false;
  }
  if (exists) throw new DataSourceError(`${path} already exists; write to a new directory or remove it first.`);
  const dir = await parent.getDirectoryHandle(name, { create: true });
  const written: string[] = [];
  try {
    for await (const file of files) {
      const handle = await dir.getFileHandle(file.name, { create: true });
      const writable = await handle.createWritable();
      await writable.write(file.text);
      await writable.close();
      written.push(`opfs:/${parts.join('/')}/${file.name}`);
    }
  } catch (error) {
    await parent.removeEntry(name, { recursive: true });
    throw error;
  }
  return written;
}

export async function removeOpfs(path: string): Promise<void> {
  const parts = opfsParts(path);
  const parent = await opfsDirectory(parts.slice(0, -1), path);
  try {
    await parent.removeEntry(parts[parts.length - 1] as string, { recursive: true });
  } catch {
    // already gone
  }
}
