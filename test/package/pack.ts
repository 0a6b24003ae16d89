import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '../..');

/**
 * `npm pack` of this repository (its `prepack` builds the library) into a fresh temp folder, and
 * the tarball unpacked as `node_modules/raybox` of `appDir`: what `npm install raybox` leaves
 * there, without a registry. The package's module bundles its dependencies, so nothing else is
 * installed; a user's `npm install` would add the declared ones, which only the types read.
 */
export function packInto(appDir: string): { tarball: string; packDir: string } {
  const packDir = mkdtempSync(join(tmpdir(), 'raybox-pack-'));
  execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  const name = readdirSync(packDir).find((file) => file.endsWith('.tgz'));
  if (!name) throw new Error(`npm pack wrote no tarball into ${packDir}`);
  const tarball = join(packDir, name);
  const target = join(appDir, 'node_modules', 'raybox');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  return { tarball, packDir };
}

/** Files of the tarball, as `tar -t` lists them (each under `package/`). */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
