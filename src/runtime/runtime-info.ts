import type { Resources } from '../core/resources.ts';

/** Options of `init()`, as Ray's `ray.init(...)`. */
export interface InitOptions {
  /** Workers of this page's node. @default max(1, navigator.hardwareConcurrency - 1) */
  numWorkers?: number;
  /** Custom resources this node offers, e.g. `{ accelerator: 1 }`. @default {} */
  resources?: Resources;
  /** Signaling server for rooms. @default the app's own, else the public PeerJS server */
  signaling?: { host: string; port: number; path: string; secure: boolean };
  /** STUN/TURN servers for rooms. */
  iceServers?: RTCIceServer[];
  /**
   * Force this TensorFlow.js backend in this page's workers instead of choosing the best one
   * (tests, benchmarks). A backend that cannot start there fails the tasks that use `tf`.
   */
  tfBackend?: 'webgpu' | 'webgl' | 'wasm' | 'cpu';
}

/** What `init()` returns. */
export interface RuntimeInfo {
  nodeId: string;
  numWorkers: number;
  resources: Resources;
}
