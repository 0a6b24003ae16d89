/**
 * A CPU profile of the page's main thread while it runs a workload, summarised by function (self
 * time) — to find where the notebook page spends time that the bare page does not. Not part of
 * `npm run bench`: a tool for looking.
 *
 *   node test/bench/profile-page.mjs [bare|notebook|cell] [sync|async|burst] [out.cpuprofile]
 */
/* global window */
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBench, withTimeout } from './browser.mjs';

const [kind = 'notebook', workload = 'sync', out] = process.argv.slice(2);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bench = await startBench(root);
const PAGE_MODULE = '/test/bench/page-perf.ts';
try {
  const page =
    kind === 'bare'
      ? await bench.open('/test/bench/core-bench.html')
      : await bench.open('/', { readySelector: '[data-cell]', viewport: { width: 1500, height: 1000 } });
  if (kind !== 'bare') await page.locator('section[aria-label="Timeline"]').scrollIntoViewIfNeeded();
  await page.evaluate(async (path) => {
    window.pageBench = await import(path);
  }, PAGE_MODULE);
  const only = workload === 'async' ? ['single_client_tasks_async'] : ['single_client_tasks_sync'];
  const protocol = { warmupMs: 300, runMs: 1000, runs: 2 };
  // Warm the code first so the profile shows steady state.
  await page.evaluate(({ only, protocol }) => window.pageBench.runPagePerf({ only, protocol }), { only, protocol });
  // HISTORY=n: run n tasks first, so the dashboard's stores are full as in a page used a while.
  if (process.env.HISTORY) await page.evaluate((n) => window.pageBench.runHistory(n), Number(process.env.HISTORY));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const traceEvents = [];
  const tracing = process.env.TRACE === '1';
  if (tracing) {
    cdp.on('Tracing.dataCollected', ({ value }) => traceEvents.push(...value));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  }
  const inCell = async (code) => {
    await page.getByRole('button', { name: 'Add code cell', exact: true }).click();
    const cell = page.locator('[data-cell].rb-selected');
    await cell.locator('.cm-content').click();
    await page.keyboard.insertText(`window.pageBenchResult = await ${code};`);
    await page.evaluate(() => {
      window.pageBenchResult = undefined;
    });
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    const handle = await page.waitForFunction(() => window.pageBenchResult, undefined, { timeout: 300_000, polling: 500 });
    return handle.jsonValue();
  };
  const result = await withTimeout(
    kind === 'cell'
      ? inCell(workload === 'burst' ? 'window.pageBench.measureResponsiveness(100000)' : `window.pageBench.runPagePerf(${JSON.stringify({ only, protocol })})`)
      : workload === 'burst'
      ? page.evaluate((n) => window.pageBench.measureResponsiveness(n), 100_000)
      : page.evaluate(({ only, protocol }) => window.pageBench.runPagePerf({ only, protocol }), { only, protocol }),
    300_000,
    'workload',
  );
  const { profile } = await cdp.send('Profiler.stop');
  if (tracing) {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    // Main thread of the page: the thread with most 'RunTask' under the renderer's CrRendererMain.
    const names = new Map(traceEvents.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
    const sums = new Map();
    for (const e of traceEvents) {
      if (e.ph !== 'X' || names.get(`${e.pid}:${e.tid}`) !== 'CrRendererMain') continue;
      const k = e.name;
      const s = sums.get(k) ?? { ms: 0, n: 0, max: 0 };
      s.ms += (e.dur ?? 0) / 1000;
      s.n++;
      s.max = Math.max(s.max, (e.dur ?? 0) / 1000);
      sums.set(k, s);
    }
    console.log('trace, main thread (inclusive, nested events double count):');
    for (const [k, s] of [...sums].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) console.log(`${s.ms.toFixed(0).padStart(7)} ms ${String(s.n).padStart(7)}x max ${s.max.toFixed(1).padStart(6)}  ${k}`);
    if (out) await writeFile(`${out}.trace.json`, JSON.stringify(traceEvents));
    // Where the long tasks (≥ 50 ms) spend their time: the profile's samples inside them.
    const long = traceEvents.filter((e) => e.ph === 'X' && e.name === 'RunTask' && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain' && e.dur >= 50_000);
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const parentOf = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
    const inLong = new Map();
    let t = profile.startTime;
    let longTotal = 0;
    profile.samples.forEach((id, i) => {
      t += profile.timeDeltas[i] ?? 0;
      const dt = profile.timeDeltas[i + 1] ?? 0;
      if (!long.some((e) => t >= e.ts && t < e.ts + e.dur)) return;
      longTotal += dt;
      // Charge each distinct function on the stack (inclusive).
      const seen = new Set();
      for (let q = id; q !== undefined; q = parentOf.get(q)) {
        const f = byNode.get(q).callFrame;
        const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop().replace(/\?.*$/, '')}:${f.lineNumber + 1}`;
        if (seen.has(key)) continue;
        seen.add(key);
        inLong.set(key, (inLong.get(key) ?? 0) + dt);
      }
    });
    console.log(`long tasks: ${long.length}, ${(long.reduce((a, e) => a + e.dur, 0) / 1000).toFixed(0)} ms; sampled inside: ${(longTotal / 1000).toFixed(0)} ms; durations ${long.map((e) => Math.round(e.dur / 1000)).sort((a, b) => b - a).slice(0, 12).join(', ')}`);
    for (const [k, v] of [...inLong].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
  console.log(JSON.stringify(result.benchmarks ?? { longestTask: result.longestTask, p95: result.p95Frame, wall: result.wall, longTasks: result.longTasks }));
  if (out) await writeFile(out, JSON.stringify(profile));
  // Self time per function.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/(src|node_modules|test)\//, '$1/').replace(/\?.*$/, '')}:${f.lineNumber + 1}`;
    const t = dt[i] ?? 0;
    total += t;
    self.set(key, (self.get(key) ?? 0) + t);
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 45);
  console.log(`total ${(total / 1000).toFixed(0)} ms`);
  for (const [k, t] of rows) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`);
} finally {
  await bench.close();
}
