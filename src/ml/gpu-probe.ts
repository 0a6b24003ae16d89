import { classifyWebGlRenderer, classifyWebGpuAdapter, type GpuVerdict } from './gpu-verdict.ts';
import { TIMED_OUT, withTimeout } from './with-timeout.ts';

/**
 * Asks the browser which GPUs it offers and whether they are hardware, without loading
 * TensorFlow.js: the answer decides a node's GPU resource even where no task ever touches tf.
 * Works on the main thread and in workers (WebGL through OffscreenCanvas).
 */

/** The few WebGPU members used here; TypeScript's DOM library does not declare WebGPU yet. */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

/** How long an adapter request may take before it counts as "no adapter". */
const ADAPTER_TIMEOUT_MS = 5_000;

function gpuOf(): GpuLike | undefined {
  return (globalThis.navigator as (Navigator & { gpu?: GpuLike }) | undefined)?.gpu;
}

/**
 * The WebGPU adapter TensorFlow.js would get (it asks for 'high-performance' too), classified.
 * Never throws: any failure is an 'absent' verdict that says why.
 */
export async function probeWebGpu(timeoutMs = ADAPTER_TIMEOUT_MS): Promise<GpuVerdict> {
  const gpu = gpuOf();
  if (!gpu) return { kind: 'absent', description: 'navigator.gpu is not defined' };
  try {
    const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), timeoutMs);
    if (adapter === TIMED_OUT) return { kind: 'absent', description: `requestAdapter() took over ${timeoutMs} ms` };
    if (!adapter) return { kind: 'absent', description: 'requestAdapter() returned null' };
    // `info` replaced `requestAdapterInfo()` (Chrome 127); older browsers only have the method.
    const info: GpuAdapterInfoLike = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    return classifyWebGpuAdapter({
      isFallbackAdapter: adapter.isFallbackAdapter === true || info.isFallbackAdapter === true,
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
    });
  } catch (error) {
    return { kind: 'absent', description: `requestAdapter() failed: ${String(error)}` };
  }
}

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;

function newCanvas(): AnyCanvas | undefined {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1);
  if (typeof document !== 'undefined') return document.createElement('canvas');
  return undefined;
}

function webGlContext(attributes: WebGLContextAttributes): WebGL2RenderingContext | WebGLRenderingContext | null {
  const canvas = newCanvas();
  if (!canvas) return null;
  // Both canvas kinds take the same arguments; TypeScript's overloads just do not unify.
  const get = canvas.getContext.bind(canvas) as (id: string, attributes: WebGLContextAttributes) => unknown;
  return (get('webgl2', attributes) ?? get('webgl', attributes)) as WebGL2RenderingContext | WebGLRenderingContext | null;
}

/** Frees a probe's context now: browsers cap live WebGL contexts per page (about 16). */
function release(gl: WebGLRenderingContext | WebGL2RenderingContext): void {
  gl.getExtension('WEBGL_lose_context')?.loseContext();
}

/** The WebGL renderer TensorFlow.js's webgl backend would draw with, classified. Never throws. */
export function probeWebGl(): GpuVerdict {
  try {
    const gl = webGlContext({});
    if (!gl) return { kind: 'absent', description: 'no WebGL context could be created' };
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    release(gl);
    const fast = webGlContext({ failIfMajorPerformanceCaveat: true });
    if (fast) release(fast);
    return classifyWebGlRenderer({ renderer, fastContext: fast !== null });
  } catch (error) {
    return { kind: 'absent', description: `WebGL probe failed: ${String(error)}` };
  }
}

export interface GpuProbe {
  webgpu: GpuVerdict;
  webgl: GpuVerdict;
}

let probed: Promise<GpuProbe> | undefined;

/** Both probes, run once per realm: the GPU a realm sees does not change while it lives. */
export function probeGpus(): Promise<GpuProbe> {
  probed ??= probeWebGpu().then((webgpu) => ({ webgpu, webgl: probeWebGl() }));
  return probed;
}

/**
 * True when this realm has a hardware WebGPU adapter: what makes a node offer a `GPU` resource.
 * Software and fallback adapters do not count. Does not load TensorFlow.js.
 */
export async function hasHardwareWebGpu(): Promise<boolean> {
  return (await probeGpus()).webgpu.kind === 'hardware';
}
