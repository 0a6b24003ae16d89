/**
 * Whether a GPU that the browser offers is real hardware. Browsers without a usable GPU still
 * offer one in software (SwiftShader for WebGPU and WebGL in Chromium, llvmpipe/lavapipe in Mesa,
 * WARP on Windows); those run tensor code many times slower than wasm on the same CPU (on the
 * reference machine: webgl ≈ 170 ms, wasm ≈ 20 ms for a 512×512 matmul), so they must never win.
 * Pure functions, so the rules are unit-tested without a browser.
 */

export type GpuKind =
  /** A real GPU as far as the browser tells. */
  | 'hardware'
  /** A software rasteriser or a fallback adapter. */
  | 'software'
  /** A GPU whose nature is hidden (masked renderer string): only a calibration can tell. */
  | 'unknown'
  /** No adapter or no context at all. */
  | 'absent';

export interface GpuVerdict {
  kind: GpuKind;
  /** What the browser said about it, for logs, error messages and the calibration cache key. */
  description: string;
}

/** Substrings (lower case) of adapter or renderer names that mean "this GPU is software". */
const SOFTWARE_MARKERS = ['swiftshader', 'llvmpipe', 'lavapipe', 'softpipe', 'software', 'microsoft basic render'];

function mentionsSoftware(text: string): boolean {
  const lower = text.toLowerCase();
  return SOFTWARE_MARKERS.some((marker) => lower.includes(marker));
}

/** What a WebGPU adapter says about itself (`GPUAdapterInfo` plus the adapter's fallback flag). */
export interface WebGpuAdapterFacts {
  isFallbackAdapter: boolean;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/**
 * Classifies a WebGPU adapter. Chromium names SwiftShader's vendor 'google' and its architecture
 * 'swiftshader'; real adapters carry the PCI vendor's name, so a 'google' vendor means software.
 */
export function classifyWebGpuAdapter(facts: WebGpuAdapterFacts): GpuVerdict {
  const description = [facts.vendor, facts.architecture, facts.device, facts.description]
    .filter((part) => part !== '')
    .join(' / ');
  const software =
    facts.isFallbackAdapter ||
    facts.vendor.toLowerCase() === 'google' ||
    mentionsSoftware(description);
  return { kind: software ? 'software' : 'hardware', description: description || '(no adapter info)' };
}

/** What a WebGL context says about its renderer. */
export interface WebGlRendererFacts {
  /** `UNMASKED_RENDERER_WEBGL` where the debug extension is offered, else `RENDERER`. */
  renderer: string;
  /**
   * False when a context with `failIfMajorPerformanceCaveat: true` could not be created: the
   * browser itself says rendering would be slow (software), whatever the renderer string says.
   */
  fastContext: boolean;
}

/** Strings browsers return when they hide the real renderer. */
const MASKED_RENDERERS = ['webkit webgl', 'mozilla', 'generic renderer', ''];

/** Classifies a WebGL renderer; a masked name is 'unknown' and goes to calibration. */
export function classifyWebGlRenderer(facts: WebGlRendererFacts): GpuVerdict {
  const description = facts.renderer.trim();
  if (!facts.fastContext || mentionsSoftware(description)) {
    return { kind: 'software', description: description || '(software renderer)' };
  }
  if (MASKED_RENDERERS.includes(description.toLowerCase())) {
    return { kind: 'unknown', description: description || '(masked renderer)' };
  }
  return { kind: 'hardware', description };
}
