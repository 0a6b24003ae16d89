import { WorkerLink } from '../../src/workers/host/worker-link.ts';
import { median } from './measure.ts';

/**
 * How long a worker takes to start, from `new Worker` to taking tasks: raybox's worker script
 * (its libraries load on use), the same script with every library imported at boot (as it was
 * before), and a bare module worker that answers one message (the platform's floor). The three
 * are started in turns, round after round, so the machine's load weighs on each alike; each
 * kind is started once first, unmeasured, so the dev server's first transform is not counted.
 */

export interface WorkerBootResult {
  rounds: number;
  bare: { unit: 'ms'; median: number; runs: number[] };
  raybox: { unit: 'ms'; median: number; runs: number[] };
  eager: { unit: 'ms'; median: number; runs: number[] };
  /** raybox's boot over the bare worker's; and the eager script's. */
  overBare: { raybox: number; eager: number };
}

type Kind = 'bare' | 'raybox' | 'eager';

const factories: Record<Exclude<Kind, 'bare'>, () => Worker> = {
  raybox: () => new Worker(new URL('../../src/worker.ts', import.meta.url), { type: 'module', name: 'raybox-boot' }),
  eager: () => new Worker(new URL('./eager-worker.ts', import.meta.url), { type: 'module', name: 'raybox-boot-eager' }),
};

async function bootOnce(kind: Kind): Promise<number> {
  const t0 = performance.now();
  if (kind === 'bare') {
    const worker = new Worker(new URL('./raw-echo.worker.ts', import.meta.url), { type: 'module' });
    await new Promise<void>((resolve) => {
      worker.onmessage = () => resolve();
      worker.postMessage(0);
    });
    const ms = performance.now() - t0;
    worker.terminate();
    return ms;
  }
  const link = new WorkerLink(`boot-${kind}`, 'boot', factories[kind], { items: () => undefined, died: () => undefined });
  await link.ready();
  const ms = performance.now() - t0;
  link.terminate();
  return ms;
}

export async function runWorkerBoot(options: { rounds?: number } = {}): Promise<WorkerBootResult> {
  const rounds = options.rounds ?? 7;
  const kinds: Kind[] = ['bare', 'raybox', 'eager'];
  for (const kind of kinds) await bootOnce(kind);
  const runs: Record<Kind, number[]> = { bare: [], raybox: [], eager: [] };
  for (let round = 0; round < rounds; round++) for (const kind of kinds) runs[kind].push(await bootOnce(kind));
  const figure = (kind: Kind) => ({ unit: 'ms' as const, median: median(runs[kind]), runs: runs[kind] });
  const bare = figure('bare');
  const raybox = figure('raybox');
  const eager = figure('eager');
  return { rounds, bare, raybox, eager, overBare: { raybox: raybox.median / bare.median, eager: eager.median / bare.median } };
}
