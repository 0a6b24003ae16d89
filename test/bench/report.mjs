/**
 * Printing of benchmark results as plain-text tables. Figures only; nothing here measures.
 */

/** 12,345 or 1.23 or 0.0123: enough digits to read, no more. */
export function fmt(value, digits) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  const d = digits ?? (abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

const pct = (ratio) => (ratio === null || ratio === undefined ? '—' : `${fmt(100 * ratio, 0)}%`);

/** Prints rows under headers, columns padded; numbers-looking cells right-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((c) => String(c ?? '—')));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const numeric = (s) => /^[-+]?[\d,.]+( ?[%×a-zA-Z/]+)?$/.test(s);
  const line = (row) =>
    row.map((c, i) => (numeric(c) && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells.slice(1)) console.log(line(row));
}

/** Worker boot: raybox's worker (libraries on use) and the same with libraries at boot, beside a bare worker. */
export function printWorkerBoot(boot) {
  console.log(`\nWorker boot, new Worker → takes tasks (median of ${boot.rounds} in turns, same page)`);
  table(
    ['worker', 'ms', '× bare worker'],
    [
      ['bare module worker (echo)', fmt(boot.bare.median, 1), '1'],
      ['raybox worker (libraries load on use)', fmt(boot.raybox.median, 1), fmt(boot.overBare.raybox, 2)],
      ['raybox worker, libraries at boot (before)', fmt(boot.eager.median, 1), fmt(boot.overBare.eager, 2)],
    ],
  );
}

export function printCore(core) {
  const b = core.baselines;
  const a = core.baselinesAfter;
  console.log(`\nPlatform baselines (raw module worker, same page; numWorkers ${core.rayPerf.numWorkers}, hardwareConcurrency ${core.environment.hardwareConcurrency}, crossOriginIsolated ${core.environment.crossOriginIsolated})`);
  table(
    ['baseline', 'median', 'mean ± std', 'unit'],
    [
      ['postMessage ping-pong', fmt(b.pingPong.median), `${fmt(b.pingPong.mean)} ± ${fmt(b.pingPong.std)}`, 'round trips/s'],
      ['pipelined postMessage (numbers)', fmt(b.pipelinedPostMessage.median), `${fmt(b.pipelinedPostMessage.mean)} ± ${fmt(b.pipelinedPostMessage.std)}`, 'messages/s'],
      ['postMessage ping-pong, again after', fmt(a.pingPong.median), `${fmt(a.pingPong.mean)} ± ${fmt(a.pingPong.std)}`, 'round trips/s'],
      ['pipelined postMessage, again after', fmt(a.pipelinedPostMessage.median), `${fmt(a.pipelinedPostMessage.mean)} ± ${fmt(a.pipelinedPostMessage.std)}`, 'messages/s'],
      ['Comlink calls, pipelined', fmt(b.comlinkPipelined.median), `${fmt(b.comlinkPipelined.mean)} ± ${fmt(b.comlinkPipelined.std)}`, 'calls/s'],
      ['64 MiB transfer there and back', fmt(b.transfer64MiB.roundTrip.median), `${fmt(b.transfer64MiB.rate.value)} GB/s`, 'ms'],
      ['64 MiB clone there (+ transfer back)', fmt(b.clone64MiB.postMessage.median), `${fmt(b.clone64MiB.rate.value)} GB/s`, 'ms'],
      ['64 MiB structuredClone in page', fmt(b.clone64MiB.structuredClone.median), '', 'ms'],
      ['256 MiB Float32Array slice', fmt(b.slice256MiB.time.median), `${fmt(b.slice256MiB.rate.value)} GB/s`, 'ms'],
    ],
  );

  console.log('\nRay microbenchmarks (ray_perf.py protocol: 1 s warm-up, 4 runs of ≥ 2 s); a message-rate limit is the better of its before/after medians');
  table(
    ['benchmark', 'median', 'mean ± std', 'unit', 'limit (median)', 'vs limit', 'Ray 2.2.0', 'vs Ray'],
    core.comparison.rows.map((r) => [
      r.name,
      fmt(r.median),
      `${fmt(r.mean)} ± ${fmt(r.std)}`,
      r.unit,
      r.limit ? `${r.limit.name} ${fmt(r.limit.value)}` : '—',
      pct(r.ratioToLimit),
      r.ray220 ? fmt(r.ray220.value) : '—',
      pct(r.ratioToRay220),
    ]),
  );
  if (core.rayPerf.storeAfterPutGigabytes) {
    const s = core.rayPerf.storeAfterPutGigabytes;
    console.log(`Object store after put gigabytes and gc(): ${s.count} objects, ${fmt(s.bytes.value / 2 ** 20)} MiB`);
  }

  if (core.pairedSync) {
    const p = core.pairedSync;
    const { rounds, runMs } = p.tasks.setup;
    console.log(`\nSynchronous calls against the raw ping-pong in ${rounds} alternating rounds of ${runMs} ms each (same page, same minute)`);
    table(
      ['benchmark', 'median calls/s', 'ping-pong median', 'ratio median', 'ratio range'],
      [
        ['single_client_tasks_sync', p.tasks],
        ['1_1_actor_calls_sync', p.actorCalls],
      ].map(([name, r]) => [name, fmt(r.subject.median), fmt(r.baseline.median), pct(r.ratioMedian), `${pct(Math.min(...r.ratios))}–${pct(Math.max(...r.ratios))}`]),
    );
  }

  console.log('\nTargets');
  const shown = (t, value) => (t.ratio ? pct(value) : fmt(value));
  table(
    ['benchmark', 'target', 'median', 'threshold', 'met'],
    core.comparison.targets.map((t) => [t.name, t.description, shown(t, t.value), shown(t, t.threshold), t.met === null ? 'not run' : t.met ? 'yes' : 'NO']),
  );
}

export function printScaling(scaling) {
  console.log(`\nScaling: Monte Carlo π, ${scaling.tasks} tasks × ${fmt(scaling.samplesPerTask, 0)} samples (one task ≈ ${fmt(scaling.calibratedTaskMs.value)} ms)`);
  table(
    ['workers', 'median wall ms', 'runs ms', 'speedup', 'π'],
    scaling.runs.map((r) => [
      r.numWorkers,
      fmt(r.wall.median),
      r.wall.runs.map((v) => fmt(v, 0)).join(' / '),
      scaling.speedup[String(r.numWorkers)] ? `${fmt(scaling.speedup[String(r.numWorkers)].value, 2)}×` : '1.00×',
      fmt(r.piEstimate, 5),
    ]),
  );
}

const mib = (bytes) => (bytes ? `${fmt(bytes.value / 2 ** 20, 1)} MiB` : '—');

export function printMillion(runs) {
  console.log('\nMany tiny tasks: submit in one loop, drain with one get (page heap = main thread only)');
  table(
    ['tasks', 'workers', 'submit ms', 'wall ms', 'tasks/s', 'finished', 'correct', 'heap before', 'heap after submit', 'queued, live', 'B per queued task', 'heap peak', 'peak B per task', 'heap after gc', 'store after'],
    runs.map((r) => [
      fmt(r.count, 0),
      r.numWorkers,
      fmt(r.submit.value),
      fmt(r.wall.value),
      fmt(r.rate.value),
      `${fmt(r.finished, 0)}${r.timedOut ? ' (timed out)' : ''}`,
      r.valuesCorrect ? 'yes' : 'NO',
      mib(r.heap?.before),
      mib(r.heap?.afterSubmit),
      mib(r.heap?.queued),
      fmt(r.heap?.perQueuedTask.value, 0),
      mib(r.heap?.peak),
      fmt(r.heap?.peakPerTask.value, 0),
      mib(r.heap?.after),
      `${r.storeAfter.count} objects`,
    ]),
  );
}

export function printTf(tf) {
  const sizes = tf.setup.sizes.map(String);
  console.log(`\nTensorFlow.js: median ms per op, readback included (automatic choice: main ${tf.environment.automatic.main?.backend ?? '—'}, worker ${tf.environment.automatic.worker?.backend ?? '—'})`);
  table(
    ['realm', 'backend', ...sizes.map((s) => `matmul ${s}`), 'train step', 'init ms', 'detail / error'],
    tf.entries.map((e) => [
      e.realm,
      e.backend,
      ...sizes.map((s) => fmt(e.matmulMs[s])),
      fmt(e.trainStepMs),
      fmt(e.initMs),
      e.error ? `error: ${e.error.slice(0, 70)}` : (e.detail ?? ''),
    ]),
  );
}

/** The room figures beside their raw DataChannel baselines; returns them with ratios and targets. */
export function printPeer(result) {
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const raw = median(result.raw.throughputMiBs);
  const toJoiner = median(result.raybox.headToJoinerMiBs);
  const toHead = median(result.raybox.joinerToHeadMiBs);
  const rtt = result.raybox.taskRoundTripMs / result.raw.pingPongMs;
  const summary = {
    rounds: result.rounds,
    bytes: { unit: 'B', value: result.bytes },
    raw: { pingPong: { unit: 'ms', median: result.raw.pingPongMs }, throughput: { unit: 'MiB/s', median: raw, runs: result.raw.throughputMiBs } },
    raybox: {
      taskRoundTrip: { unit: 'ms', median: result.raybox.taskRoundTripMs },
      headToJoiner: { unit: 'MiB/s', median: toJoiner, runs: result.raybox.headToJoinerMiBs },
      joinerToHead: { unit: 'MiB/s', median: toHead, runs: result.raybox.joinerToHeadMiBs },
    },
    ratios: {
      taskRoundTripToRaw: { unit: '×', value: rtt, target: '≤ 1.5', met: rtt <= 1.5 },
      headToJoinerToRaw: { unit: '×', value: toJoiner / raw, target: '≥ 0.8', met: toJoiner / raw >= 0.8 },
      joinerToHeadToRaw: { unit: '×', value: toHead / raw, target: '≥ 0.8', met: toHead / raw >= 0.8 },
    },
  };
  console.log('\nRoom (head ↔ one joiner, same machine), medians');
  table(
      ['metric', 'raybox', 'raw DataChannel', 'ratio', 'target'],
      [
        ['task round trip (ms)', fmt(result.raybox.taskRoundTripMs, 3), fmt(result.raw.pingPongMs, 3), fmt(rtt, 2), `≤ 1.5 ${rtt <= 1.5 ? 'met' : 'MISSED'}`],
        ['object head → joiner (MiB/s)', fmt(toJoiner, 1), fmt(raw, 1), fmt(toJoiner / raw, 2), `≥ 0.8 ${toJoiner / raw >= 0.8 ? 'met' : 'MISSED'}`],
        ['object joiner → head (MiB/s)', fmt(toHead, 1), fmt(raw, 1), fmt(toHead / raw, 2), `≥ 0.8 ${toHead / raw >= 0.8 ? 'met' : 'MISSED'}`],
      ],
  );
  return summary;
}

/** PPO on CartPole-v1 to the target return, per number of env runners, against the goal. */
export function printRl(rl) {
  console.log(`\nPPO on CartPole-v1 to a mean return of ${rl.setup.targetReturn} (last 100 episodes); goal: < ${rl.goal.envSteps.toLocaleString('en-US')} env steps and < ${rl.goal.wallS} s. ${rl.goal.reference}`);
  table(
    ['env runners', 'reached', 'env steps', 'iterations', 'wall s', 'learn s', 'steps/s', 'sampling steps/s/runner', 'final return'],
    rl.runs.map((run) => [
      run.numEnvRunners,
      run.reached ? 'yes' : 'no',
      fmt(run.envSteps.value, 0),
      run.iterations,
      fmt(run.wallTime.value, 1),
      fmt(run.learnTime.value, 1),
      fmt(run.envStepsPerS.value, 0),
      fmt(run.samplingEnvStepsPerSPerRunner.value, 0),
      fmt(run.finalEpisodeReturnMean, 1),
    ]),
  );
}

const PAGE_NAMES = ['single_client_tasks_sync', 'single_client_tasks_async', '1_1_actor_calls_sync', '1_1_actor_calls_async'];

/** The microbenchmarks per page with their ratios to the bare page, the history and responsiveness, against the goals. */
export function printPage(page) {
  console.log(`\nThe same microbenchmarks in the pages people use (one run, the pages measured in turns, the order reversed each round, ${page.rounds} rounds; rates are medians, a ratio the median of the rounds' ratios; numWorkers ${page.bare.numWorkers}); goal: every ratio ≥ ${page.goals.ratio}`);
  table(
    ['benchmark', 'bare page', 'notebook page', 'notebook/bare', 'embed page', 'embed/bare'],
    PAGE_NAMES.map((name) => [
      name,
      fmt(page.bare.benchmarks[name]?.median),
      fmt(page.notebook.benchmarks[name]?.median),
      fmt(page.ratios.notebook[name], 2),
      fmt(page.embed.benchmarks[name]?.median),
      fmt(page.ratios.embed[name], 2),
    ]),
  );
  if (page.history) {
    console.log(`\nHistory: the notebook page's rates after earlier tasks (dashboard open on the timeline); goal: ≥ ${page.goals.history} of fresh after a million`);
    console.log(`(fresh: mean of point 0 and a fresh page measured after the last point, which gave sync ${fmt(page.history.freshAgain?.sync)}/s, async ${fmt(page.history.freshAgain?.async)}/s)`);
    table(
      ['earlier tasks', 'tasks sync /s', 'vs fresh', 'tasks async /s', 'vs fresh', 'heap after gc', 'history ms'],
      page.history.points.map((p) => [
        fmt(p.earlierTasks, 0),
        fmt(p.sync),
        fmt(p.syncVsFresh, 2),
        fmt(p.async),
        fmt(p.asyncVsFresh, 2),
        mib(p.heap),
        fmt(p.historyMs),
      ]),
    );
  }
  if (page.responsiveness) {
    const r = page.responsiveness;
    console.log(`\nResponsiveness: ${fmt(r.tasks, 0)} tasks (${fmt(r.chunk, 0)} per macrotask) in the notebook page, ${fmt(r.wall.value)} ms; goal: no long task over ${page.goals.longestTaskMs} ms, p95 frame ≤ ${page.goals.p95FrameMs} ms`);
    const row = (name, x) => [name, fmt(x.wall.value), x.longTasks, fmt(x.longestTask.value), x.frames, fmt(x.p95Frame.value), fmt(x.maxFrame.value)];
    table(
      ['page', 'wall ms', 'long tasks', 'longest ms', 'frames', 'p95 frame ms', 'max frame ms'],
      [row('notebook', r), ...(r.barePage ? [row('bare (baseline)', r.barePage)] : [])],
    );
  }
  console.log('\nGoals');
  table(['goal', 'met'], Object.entries(page.met).map(([goal, met]) => [goal, met === null ? 'not run' : met ? 'yes' : 'NO']));
}

export function printTune(t) {
  const o = t.overhead;
  console.log(`\nTune: ${t.setup.trials} trials x ${t.setup.reports} reports, ${t.setup.concurrency} at once; goal ${o.goal}`);
  table(
    ['what', 'ms', 'ratio'],
    [
      ['tune (trials in actors)', fmt(o.tuneMs.value, 0), fmt(o.ratio, 2)],
      ['plain actor calls', fmt(o.plainActorCallsMs.value, 0), '1.00'],
    ],
  );
  const a = t.ashaVsFifo;
  console.log(`\nASHA vs FIFO, ${t.setup.population} trials, maxT ${t.setup.maxT}; goal ${a.goal}`);
  table(
    ['scheduler', 'iterations', 'best score'],
    [
      ['FIFO', a.fifo.iterations, fmt(a.fifo.bestScore, 4)],
      ['ASHA', a.asha.iterations, fmt(a.asha.bestScore, 4)],
    ],
  );
  console.log(`iterations saved: ${fmt(a.iterationsSaved, 2)}x, same best score: ${a.sameBestScore}`);
}

export function printServe(s) {
  const row = (name, side, unit) => [name, fmt(side.requestsPerS.median), unit, fmt(side.latency.p50, 2), fmt(side.latency.p95, 2), fmt(side.latency.p99, 2)];
  console.log(`\nServe: ${s.setup.concurrency} requests in flight, ${s.setup.rounds} rounds (median; a ratio is the median of the rounds' ratios); latency one request at a time`);
  table(
    ['what', 'median', 'unit', 'p50 ms', 'p95 ms', 'p99 ms'],
    [
      row('handle calls', s.handle.measured, 'requests/s'),
      row('plain actor calls, same actor', s.handle.baseline, 'calls/s'),
      row("fetch('/serve/…') via Service Worker", s.http.measured, 'requests/s'),
      row('fetch of a static file, same scope', s.http.baseline, 'requests/s'),
    ],
  );
  console.log(`handle / plain actor: ${pct(s.handle.ratio)} (goal: ${s.handle.goal})`);
  console.log(`Service Worker / static file: ${pct(s.http.ratio)} (goal: ${s.http.goal})`);
  const b = s.batching;
  console.log(`\nBatching a TensorFlow.js model, 20 in flight (mean batch sizes ${fmt(b.meanBatchSize.batch10, 1)} and ${fmt(b.meanBatchSize.batch1, 1)})`);
  table(
    ['maxBatchSize', 'requests/s', 'p50 ms (one at a time)'],
    [
      ['10', fmt(b.measured.requestsPerS.median), fmt(b.measured.latency.p50, 2)],
      ['1', fmt(b.baseline.requestsPerS.median), fmt(b.baseline.latency.p50, 2)],
    ],
  );
  console.log(`batching gain: ${fmt(b.gain, 2)}x`);
}

export function printTrain(t) {
  const a = t.allreduce;
  console.log(`\nTrain: allreduce of ${t.setup.megabytes} MB between 2 workers, median of ${t.setup.rounds}; goal ${a.goal}`);
  table(
    ['what', 'ms', 'MB/s', 'ratio'],
    [
      ['allreduce (sum)', fmt(a.allreduceMs.value, 1), fmt(a.allreduceMBps.value, 1), fmt(a.ratio, 2)],
      ...(a.ringMs ? [['  star, through the leader (default)', fmt(a.starMs.value, 1), '', ''], ['  ring', fmt(a.ringMs.value, 1), '', `star/ring ${fmt(a.starOverRing, 2)}`]] : []),
      ['raw port round trip, copied', fmt(a.rawRoundTripMs.value, 1), fmt(a.rawMBps.value, 1), '1.00'],
      ['raw port round trip, transferred (never read)', fmt(a.handOverRoundTripMs.value, 1), '', fmt(a.ratioToHandOver, 2)],
      ['actor call there and back', fmt(a.actorCallRoundTripMs.value, 1), '', fmt(a.ratioToActorCall, 2)],
    ],
  );
  const s = t.throughput;
  console.log(`\nChapter 7 MLP on ${t.setup.rows} flights, batch ${t.setup.batchPerWorker} per worker; goal ${s.goal}`);
  table(
    ['workers', 'samples/s', 'ratio'],
    [
      ['1', fmt(s.oneWorker.value, 0), '1.00'],
      ['2', fmt(s.twoWorkers.value, 0), fmt(s.ratio, 2)],
    ],
  );
  if (s.note) console.log(s.note);
  if (s.roundRatios) console.log(`each round, 2 workers over 1: ${s.roundRatios.map((r) => fmt(r, 2)).join(', ')} (median ${fmt(s.roundRatioMedian, 2)})`);
  if (t.loadAverage) console.log(`load average before ${t.loadAverage.before.map((l) => l.toFixed(2)).join(' ')}, after ${t.loadAverage.after.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`gradient bytes per worker per step: ${t.bytesPerStep.uncompressed.value} (${t.bytesPerStep.note})`);
  if (t.wire) {
    const w = t.wire;
    console.log(`allreduce bytes on the wire (2 workers): uncompressed ${w.uncompressed.value}, float16 ${w.float16.value} (${fmt(w.float16.ofUncompressed, 2)}), top-1% ${w.topK1Percent.value} (${fmt(w.topK1Percent.ofUncompressed, 3)})`);
  }
  if (t.room) {
    const r = t.room;
    console.log(`\nTrain across a room: allreduce of ${t.setup.megabytes} MB between a head worker and a joiner worker; goal ${r.goal}`);
    table(
      ['what', 'ms', 'ratio'],
      [
        ['allreduce (sum)', fmt(r.allreduceMs.value, 1), fmt(r.ratio, 2)],
        ['raw DataChannel round trip', fmt(r.rawRoundTripMs.value, 1), '1.00'],
      ],
    );
  }
}

