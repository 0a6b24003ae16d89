/**
 * What raybox's figures are held against: the platform limit measured in the same run, Ray
 * 2.2.0's published figures, and the project's targets.
 */

/** Ray 2.2.0's release microbenchmark (ray_perf.py), 64-vCPU machine; put in GB/s, the rest per second. */
export const RAY_2_2_0 = {
  source: 'Ray 2.2.0 release microbenchmark, 64-vCPU machine',
  figures: {
    single_client_tasks_sync: 974,
    single_client_tasks_async: 8865,
    '1_1_actor_calls_sync': 1606,
    '1_1_actor_calls_async': 6603,
    single_client_put_gigabytes: 19.9,
  },
};

/** The platform figure that bounds each benchmark (a Ray benchmark not listed has none). */
const LIMITS = {
  single_client_tasks_sync: 'pingPong',
  single_client_tasks_async: 'pipelinedPostMessage',
  '1_1_actor_calls_sync': 'pingPong',
  '1_1_actor_calls_async': 'pipelinedPostMessage',
  '1_1_actor_calls_concurrent': 'pipelinedPostMessage',
  n_n_actor_calls_async: 'pipelinedPostMessage',
  single_client_put_gigabytes: 'slice256MiB',
};

/**
 * A baseline's median, in the unit of the benchmarks it bounds. Message rates were measured before
 * and after raybox's benchmarks; the better median is the limit, since load from elsewhere on the
 * machine can only lower a rate.
 */
function limitOf(core, key) {
  const { baselines, baselinesAfter } = core;
  if (key === 'slice256MiB') return { name: 'Float32Array slice 256 MiB', value: baselines.slice256MiB.rate.value, unit: 'GB/s' };
  const names = { pingPong: 'postMessage ping-pong', pipelinedPostMessage: 'pipelined postMessage' };
  const medians = [baselines[key].median, baselinesAfter?.[key]?.median ?? 0];
  return { name: names[key] ?? key, value: Math.max(...medians), unit: baselines[key].unit, before: medians[0], after: medians[1] };
}

/**
 * One row per benchmark and one per target.
 * @param {{ baselines: any, baselinesAfter?: any, rayPerf: { benchmarks: Record<string, any> } }} core
 */
export function compare(core) {
  const rows = Object.entries(core.rayPerf.benchmarks).map(([name, m]) => {
    const limitKey = LIMITS[name];
    const limit = limitKey ? limitOf(core, limitKey) : null;
    const ray = RAY_2_2_0.figures[name];
    return {
      name,
      unit: m.unit,
      mean: m.mean,
      std: m.std,
      median: m.median,
      limit,
      ratioToLimit: limit ? m.median / limit.value : null,
      ray220: ray === undefined ? null : { value: ray, unit: m.unit },
      ratioToRay220: ray === undefined ? null : m.median / ray,
    };
  });

  const median = (name) => core.rayPerf.benchmarks[name]?.median;
  const pipelined = limitOf(core, 'pipelinedPostMessage').value;
  const target = (name, description, value, threshold) => ({
    name,
    description,
    value: value ?? null,
    threshold,
    met: value === undefined ? null : value >= threshold,
  });
  // A synchronous figure is held against the ping-pong round by round (see paired-rounds.ts): the
  // value is the median of the rounds' ratios, the threshold a ratio.
  const pairedTarget = (name, description, paired, threshold) => ({
    name,
    description: `${description}, median of ${paired?.ratios.length ?? 0} paired rounds`,
    value: paired?.ratioMedian ?? null,
    threshold,
    met: paired ? paired.ratioMedian >= threshold : null,
    ratio: true,
  });
  const targets = [
    target('single_client_tasks_async', '≥ 50% of pipelined postMessage', median('single_client_tasks_async'), 0.5 * pipelined),
    target('single_client_tasks_async', '≥ 20,000 /s', median('single_client_tasks_async'), 20_000),
    pairedTarget('single_client_tasks_sync', '≥ 70% of postMessage ping-pong', core.pairedSync?.tasks, 0.7),
    pairedTarget('1_1_actor_calls_sync', '≥ 50% of postMessage ping-pong', core.pairedSync?.actorCalls, 0.5),
    target('1_1_actor_calls_async', '≥ 50% of pipelined postMessage', median('1_1_actor_calls_async'), 0.5 * pipelined),
    target('1_1_actor_calls_async', '≥ 20,000 /s (as tasks_async)', median('1_1_actor_calls_async'), 20_000),
  ];
  return { rows, targets };
}
