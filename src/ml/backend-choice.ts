import type { BackendName } from './backend-name.ts';
import type { GpuProbe } from './gpu-probe.ts';

/**
 * The rules of the automatic backend choice, as pure functions (unit-tested without a browser):
 * which GPU backends deserve a try, how a calibration verdict is keyed, and who wins one.
 */

/**
 * GPU backends worth initialising, best first: WebGPU only on a hardware adapter, WebGL on a
 * hardware renderer or a masked one (calibration then tells). Software GPUs never take part: they
 * lose to wasm by an order of magnitude, and calibrating them would only waste the time.
 */
export function gpuCandidates(gpus: GpuProbe): BackendName[] {
  const candidates: BackendName[] = [];
  if (gpus.webgpu.kind === 'hardware') candidates.push('webgpu');
  if (gpus.webgl.kind === 'hardware' || gpus.webgl.kind === 'unknown') candidates.push('webgl');
  return candidates;
}

/** What a calibration verdict depends on; a new browser version or GPU driver calibrates again. */
export interface ChoiceContext {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export function choiceKey(gpus: GpuProbe, context: ChoiceContext): string {
  return [
    context.userAgent,
    `webgpu:${gpus.webgpu.kind}:${gpus.webgpu.description}`,
    `webgl:${gpus.webgl.kind}:${gpus.webgl.description}`,
    `isolated:${context.crossOriginIsolated}`,
    `cores:${context.hardwareConcurrency}`,
  ].join('|');
}

/**
 * The backend with the lowest median time. A GPU must be clearly faster to win (by `margin`,
 * 10 % by default): a near tie goes to the CPU side, which has no upload/readback latency, does
 * not share the GPU with the page's rendering, and behaves the same in every worker.
 */
export function pickFastest(
  timings: Partial<Record<BackendName, number>>,
  margin = 0.1,
): BackendName | undefined {
  const cost = (name: BackendName, ms: number): number => (name === 'webgpu' || name === 'webgl' ? ms * (1 + margin) : ms);
  let best: BackendName | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const [name, ms] of Object.entries(timings) as [BackendName, number][]) {
    if (!Number.isFinite(ms)) continue;
    const c = cost(name, ms);
    if (c < bestCost) {
      best = name;
      bestCost = c;
    }
  }
  return best;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
