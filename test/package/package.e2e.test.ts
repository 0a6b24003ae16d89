/**
 * The npm package as a user gets it: `npm pack`, unpacked into a scratch app made here, then
 * (1) a Vite app that imports 'raybox', built and served, and (2) a plain static page, no
 * bundler, that imports the package's module by path. Each runs a task, an actor and a
 * TensorFlow.js task in Chromium: the worker script and the wasm files must be found next to the
 * module wherever it is served from. Neither server sends cross-origin isolation headers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { demoScript } from './demo-script.ts';
import { packInto, tarballFiles } from './pack.ts';
import { readmeSnippet } from './readme-snippet.ts';

const repo = join(import.meta.dirname, '../..');
let scratch: string;
let appDir: string;
let tarball: string;
let packDir: string;
let browser: Browser;
const servers: (PreviewServer | ViteDevServer)[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'raybox-package-'));
  appDir = join(scratch, 'app');
  mkdirSync(appDir);
  ({ tarball, packDir } = packInto(appDir));
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs() });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

/** Serves `dir` as a static host would, on a free port; closed after the file. */
async function serveStatic(dir: string): Promise<string> {
  const server = await preview({ configFile: false, root: dir, logLevel: 'silent', build: { outDir: dir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  servers.push(server);
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no port');
  return `http://127.0.0.1:${address.port}`;
}

/** Opens `url` and returns what the demo script printed, or the first page error. */
async function runDemo(url: string): Promise<{ squares: number[]; count: number; tensor: { sum: number; backend: string } }> {
  const page = await (await browser.newContext()).newPage();
  try {
    const printed = new Promise<string>((resolve, reject) => {
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith('raybox-demo ')) resolve(text.slice('raybox-demo '.length));
      });
      page.on('pageerror', (error) => reject(error));
    });
    await page.goto(url);
    return JSON.parse(await printed) as Awaited<ReturnType<typeof runDemo>>;
  } finally {
    await page.context().close();
  }
}

/** Opens `url` and returns the first value the page logs with console.log. */
async function firstLogged(url: string): Promise<unknown> {
  const page = await (await browser.newContext()).newPage();
  try {
    const logged = new Promise<unknown>((resolve, reject) => {
      page.on('console', (message) => {
        const first = message.args()[0];
        if (message.type() === 'log' && first) resolve(first.jsonValue());
      });
      page.on('pageerror', (error) => reject(error));
    });
    await page.goto(url);
    return await logged;
  } finally {
    await page.context().close();
  }
}

describe('the npm package', () => {
  it('holds the built module, its types, worker and wasm files, and no sources or tests', () => {
    const files = tarballFiles(tarball);
    expect(files).toContain('package/package.json');
    expect(files).toContain('package/dist-lib/raybox.js');
    expect(files).toContain('package/dist-lib/types/index.d.ts');
    expect(files.some((f) => /^package\/dist-lib\/.*worker.*\.js$/.test(f))).toBe(true);
    expect(files.filter((f) => f.endsWith('.wasm')).length).toBeGreaterThanOrEqual(3);
    expect(files.filter((f) => /^package\/(src|test|server|node_modules)\//.test(f))).toEqual([]);
  });

  it("works in a fresh Vite app: import { init, remote, get } from 'raybox'", async () => {
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/main.js"></script>');
    writeFileSync(join(appDir, 'main.js'), demoScript('raybox'));
    const outDir = join(appDir, 'dist');
    await build({ configFile: false, root: appDir, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const result = await runDemo(`${await serveStatic(outDir)}/`);
    expect(result.squares).toEqual([1, 4, 9]);
    expect(result.count).toBe(7);
    expect(result.tensor).toEqual({ sum: 6.5, backend: 'wasm' });
  }, 300_000);

  it("works in a Vite app's dev server, with the package left out of dependency pre-bundling as the README says", async () => {
    writeFileSync(join(appDir, 'dev.html'), '<!doctype html><title>dev</title><script type="module" src="/dev-main.js"></script>');
    writeFileSync(join(appDir, 'dev-main.js'), demoScript('raybox'));
    const server = await createServer({
      configFile: false,
      root: appDir,
      logLevel: 'silent',
      optimizeDeps: { exclude: ['raybox'] },
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    servers.push(server);
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('the dev server has no port');
    const result = await runDemo(`http://127.0.0.1:${address.port}/dev.html`);
    expect(result.squares).toEqual([1, 4, 9]);
    expect(result.count).toBe(7);
    expect(result.tensor).toEqual({ sum: 6.5, backend: 'wasm' });
  }, 300_000);

  it('works from a plain static page, no bundler, importing the module by path', async () => {
    const site = join(scratch, 'site');
    // Served from a folder of the author's choosing, not the package's own layout.
    cpSync(join(appDir, 'node_modules/raybox/dist-lib'), join(site, 'vendor/raybox'), { recursive: true });
    writeFileSync(join(site, 'index.html'), `<!doctype html><title>page</title><script type="module">\n${demoScript('./vendor/raybox/raybox.js')}</script>`);
    const result = await runDemo(`${await serveStatic(site)}/`);
    expect(result.squares).toEqual([1, 4, 9]);
    expect(result.count).toBe(7);
    expect(result.tensor).toEqual({ sum: 6.5, backend: 'wasm' });
  }, 120_000);

  it('type-checks a TypeScript user of the package against its declarations', () => {
    // What `npm install raybox` adds next to it: the declared dependencies the types refer to.
    symlinkSync(join(repo, 'node_modules/@tensorflow'), join(appDir, 'node_modules/@tensorflow'), 'dir');
    writeFileSync(
      join(appDir, 'typed.ts'),
      `import { init, remote, get, type ObjectRef } from 'raybox';\nawait init();\nconst square = remote((x: number) => x * x);\nconst ref: ObjectRef<number> = square.remote(3);\nconst n: number = await get(ref);\nexport { n };\n`,
    );
    writeFileSync(join(appDir, 'bad.ts'), `import { remote } from 'raybox';\nconst square = remote((x: number) => x * x);\nsquare.remote('three');\n`);
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const flags = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2023,dom'];
    execFileSync('node', [tsc, ...flags, 'typed.ts'], { cwd: appDir, encoding: 'utf8' });
    // The declarations carry real types: a wrong argument is an error, not `any`.
    const bad = spawnSync('node', [tsc, ...flags, 'bad.ts'], { cwd: appDir, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.ts\(3,\d+\): error TS2345/);
  }, 120_000);

  it("runs the README's bundler snippet verbatim", async () => {
    const snippetApp = join(appDir, 'snippet');
    mkdirSync(snippetApp);
    writeFileSync(join(snippetApp, 'index.html'), '<!doctype html><title>snippet</title><script type="module" src="./main.js"></script>');
    writeFileSync(join(snippetApp, 'main.js'), readmeSnippet('package-app'));
    const outDir = join(snippetApp, 'dist');
    await build({ configFile: false, root: snippetApp, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    expect(await firstLogged(`${await serveStatic(outDir)}/`)).toEqual([1, 4, 9]);
  }, 300_000);

  it("runs the README's static-page snippet verbatim", async () => {
    const site = join(scratch, 'readme-site');
    cpSync(join(appDir, 'node_modules/raybox/dist-lib'), join(site, 'raybox'), { recursive: true });
    writeFileSync(join(site, 'index.html'), readmeSnippet('static-page'));
    expect(await firstLogged(`${await serveStatic(site)}/`)).toEqual([1, 4, 9]);
  }, 120_000);
});
