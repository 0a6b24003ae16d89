/**
 * `npm run bench`: raybox's benchmarks in headless Chromium, results printed and written to
 * test/bench/results/{core,tf}.json.
 *
 *   node test/bench/run.mjs                    everything (core, scaling, million, tf), ~10 min
 *   node test/bench/run.mjs --only core        one part; --only core,scaling for several
 *   node test/bench/run.mjs --quick            toy sizes to check the plumbing; writes nothing
 *
 * Parts: core = platform baselines + Ray's microbenchmarks; scaling = Monte Carlo π on 1 and 2
 * workers; million = 100k then 1M tiny tasks; tf = the TensorFlow.js benchmark (tf-bench.html);
 * peer = a head and a joiner page in a room, beside a raw DataChannel between the same pages;
 * rl = PPO on CartPole-v1 to a mean return of 450 with 1 and 2 env runners (rl-bench.html);
 * tune = 1,000 trivial trials vs plain actor calls, ASHA vs FIFO iterations (tune-bench.html).
 * A part that fails or hangs is reported and the others still run; the exit code is then 1.
 */
/* global window -- the functions given to page.evaluate run in the page */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBench, withTimeout } from './browser.mjs';
import { compare, RAY_2_2_0 } from './compare.mjs';
import { printCore, printMillion, printPeer, printRl, printScaling, printTf, printTune } from './report.mjs';

const PARTS = ['core', 'scaling', 'million', 'tf', 'peer', 'rl', 'tune'];
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const resultsDir = resolve(here, 'results');

function parseArgs(argv) {
  let only = PARTS;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      only = (value ?? '').split(',').filter(Boolean);
      const unknown = only.filter((p) => !PARTS.includes(p));
      if (unknown.length > 0 || only.length === 0) throw new Error(`--only takes ${PARTS.join('|')} (comma-separated), got '${value ?? ''}'`);
    } else throw new Error(`unknown argument '${arg}'. Usage: node test/bench/run.mjs [--only ${PARTS.join('|')}] [--quick]`);
  }
  return { only: PARTS.filter((p) => only.includes(p)), quick };
}

async function readJson(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return {};
  }
}

const { only, quick } = parseArgs(process.argv.slice(2));
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const log = (message) => console.log(`[bench ${seconds()}] ${message}`);

const bench = await startBench(root);
const machine = { cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memory: { unit: 'B', value: totalmem() }, platform: process.platform, node: process.version };
const header = () => ({ date: new Date().toISOString(), chromium: bench.chromiumVersion, machine });
log(`Vite at ${bench.origin}, Chromium ${bench.chromiumVersion}, ${machine.cores} cores${quick ? ' — QUICK mode, nothing written' : ''}`);

/** Opens `path` in a fresh page, evaluates `fn(arg)` there within `limitS`, closes the page. */
async function inPage(path, fn, arg, limitS, what) {
  const page = await bench.open(path);
  try {
    return await withTimeout(page.evaluate(fn, arg), limitS * 1000, what);
  } finally {
    await page.context().close().catch(() => {});
  }
}

const failures = [];
async function part(name, body) {
  if (!only.includes(name)) return;
  log(`${name}: running`);
  try {
    await body();
    log(`${name}: done`);
  } catch (error) {
    failures.push(name);
    console.error(`[bench ${seconds()}] ${name}: FAILED — ${error instanceof Error ? error.message : String(error)}`);
  }
}

const corePath = resolve(resultsDir, 'core.json');
const coreJson = { ...(await readJson(corePath)), ...header() };
const CORE_PAGE = '/test/bench/core-bench.html';
const PEER_PAGE = '/test/bench/peer-bench.html';

try {
  await part('core', async () => {
    const options = quick ? { protocol: { warmupMs: 200, runMs: 300, runs: 2 } } : {};
    const result = await inPage(CORE_PAGE, (o) => window.runCoreBench(o), options, 400, 'runCoreBench');
    const core = {
      date: new Date().toISOString(),
      numWorkers: result.rayPerf.numWorkers,
      hardwareConcurrency: result.environment.hardwareConcurrency,
      ...result,
      comparison: compare(result),
      ray220: RAY_2_2_0,
    };
    printCore(core);
    coreJson.core = core;
  });

  await part('scaling', async () => {
    const options = quick ? { tasks: 4, repetitions: 1, targetTaskMs: 100 } : {};
    const { result, environment } = await inPage(
      CORE_PAGE,
      async (o) => ({ result: await window.runScaling(o), environment: window.benchEnvironment() }),
      options,
      180,
      'runScaling',
    );
    printScaling(result);
    coreJson.scaling = { date: new Date().toISOString(), hardwareConcurrency: environment.hardwareConcurrency, ...result };
  });

  await part('million', async () => {
    const probeCount = quick ? 10_000 : 100_000;
    const fullCount = quick ? 50_000 : 1_000_000;
    const probe = await inPage(CORE_PAGE, (o) => window.runMillion(o), { count: probeCount }, 120, `runMillion(${probeCount})`);
    const estimateS = ((probe.wall.value / 1000) * fullCount) / probeCount;
    log(`million: ${probeCount.toLocaleString('en-US')} tasks took ${(probe.wall.value / 1000).toFixed(1)} s → ${fullCount.toLocaleString('en-US')} estimated at ${estimateS.toFixed(0)} s (get times out at 170 s)`);
    const runs = [probe];
    const full = await inPage(CORE_PAGE, (o) => window.runMillion(o), { count: fullCount, timeoutS: 170 }, 240, `runMillion(${fullCount})`);
    runs.push(full);
    printMillion(runs);
    coreJson.million = { date: new Date().toISOString(), estimateFromProbe: { unit: 's', value: estimateS, probeCount }, runs };
  });

  if (!quick && only.some((p) => ['core', 'scaling', 'million'].includes(p))) {
    await mkdir(resultsDir, { recursive: true });
    await writeFile(corePath, `${JSON.stringify(coreJson, null, 2)}\n`);
    log(`wrote ${corePath}`);
  }

  await part('tf', async () => {
    const options = quick ? { sizes: [64], backends: ['wasm', 'cpu'], minRuns: 1, maxRuns: 2, budgetMs: 0 } : {};
    const result = await inPage('/test/bench/tf-bench.html', (o) => window.runTfBench(o), options, 420, 'runTfBench');
    printTf(result);
    if (!quick) {
      const tfPath = resolve(resultsDir, 'tf.json');
      await mkdir(resultsDir, { recursive: true });
      await writeFile(tfPath, `${JSON.stringify({ ...header(), ...result, totalMs: { unit: 'ms', value: result.totalMs } }, null, 2)}\n`);
      log(`wrote ${tfPath}`);
    }
  });
  await part('peer', async () => {
    const head = await bench.open(PEER_PAGE);
    const joiner = await bench.open(PEER_PAGE);
    try {
      const { roomId } = await head.evaluate(async () => {
        await window.raybox.init({ numWorkers: 1 });
        return window.raybox.openRoom();
      });
      const echoId = await joiner.evaluate(() => window.peerBench.startRawEcho());
      await withTimeout(joiner.evaluate((id) => window.raybox.joinRoom(id, { numWorkers: 1 }), roomId), 30_000, 'joinRoom');
      const joinerNodeId = await withTimeout(
        head.evaluate(async () => {
          for (;;) {
            const peer = window.raybox.nodes().find((n) => !n.isLocal && n.alive);
            if (peer) return peer.nodeId;
            await new Promise((r) => setTimeout(r, 100));
          }
        }),
        30_000,
        'joiner node',
      );
      const options = quick ? { rounds: 50, megabytes: 4, repeats: 1 } : { rounds: 400, megabytes: 32, repeats: 5 };
      const result = await withTimeout(head.evaluate((o) => window.peerBench.runPeerBench(o), { echoId, joinerNodeId, ...options }), 300_000, 'runPeerBench');
      const peer = printPeer(result);
      if (!quick) {
        const peerPath = resolve(resultsDir, 'peer.json');
        await mkdir(resultsDir, { recursive: true });
        await writeFile(peerPath, `${JSON.stringify({ ...header(), ...peer }, null, 2)}\n`);
        log(`wrote ${peerPath}`);
      }
    } finally {
      await head.context().close().catch(() => {});
      await joiner.context().close().catch(() => {});
    }
  });
  await part('rl', async () => {
    const options = quick ? { numEnvRunners: [1], targetReturn: 40, maxEnvSteps: 8000 } : {};
    const result = await inPage('/test/bench/rl-bench.html', (o) => window.runRlBench(o), options, 420, 'runRlBench');
    printRl(result);
    if (!quick) {
      const rlPath = resolve(resultsDir, 'rl.json');
      await mkdir(resultsDir, { recursive: true });
      await writeFile(rlPath, `${JSON.stringify({ ...header(), ...result }, null, 2)}\n`);
      log(`wrote ${rlPath}`);
    }
  });
  await part('tune', async () => {
    const options = quick ? { trials: 20, population: 8, maxT: 16 } : {};
    const result = await inPage('/test/bench/tune-bench.html', (o) => window.runTuneBench(o), options, 420, 'runTuneBench');
    printTune(result);
    if (!quick) {
      const tunePath = resolve(resultsDir, 'tune.json');
      await mkdir(resultsDir, { recursive: true });
      await writeFile(tunePath, `${JSON.stringify({ ...header(), ...result }, null, 2)}\n`);
      log(`wrote ${tunePath}`);
    }
  });
} finally {
  await bench.close();
}

log(failures.length === 0 ? 'all parts done' : `failed: ${failures.join(', ')}`);
process.exit(failures.length === 0 ? 0 : 1);
