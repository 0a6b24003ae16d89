import { RayboxUsageError } from './errors.ts';
import type { Resources } from './resources.ts';

/** Where the scheduler may place a task or actor. */
export type SchedulingStrategy = 'DEFAULT' | 'SPREAD' | { nodeId: string; soft: boolean };

/** Options of a remote function, as Ray's `@ray.remote(...)` / `.options(...)`. */
export interface TaskOptions {
  /** CPUs the task holds while it runs. @default 1 */
  numCpus?: number;
  /** WebGPU adapters the task needs. @default 0 */
  numGpus?: number;
  /** Custom resources, e.g. `{ memoryHeavy: 1 }`. @default {} */
  resources?: Resources;
  /** Retries after system failures (a crashed worker, a departed peer); -1 retries forever. @default 3 */
  maxRetries?: number;
  /** Also retry when the task throws: `true` for any error, or the error names to retry. @default false */
  retryExceptions?: boolean | string[];
  /** How many objects the task returns; its function then returns an array of that length. @default 1 */
  numReturns?: number;
  /** Shown in events and the dashboard. @default the function's name */
  name?: string;
  /** @default 'DEFAULT' */
  schedulingStrategy?: SchedulingStrategy;
}

/** Options of an actor class, as Ray's `@ray.remote(...)` on a class. */
export interface ActorOptions {
  /** Registers the actor under this name for `getActor(name)`. */
  name?: string;
  /** Times the actor is restarted (its constructor runs again) after its worker dies. @default 0 */
  maxRestarts?: number;
  /** Retries of a method call lost with its worker. @default 0 */
  maxTaskRetries?: number;
  /** Async method calls that may interleave. @default 1 */
  maxConcurrency?: number;
  /** CPUs held for the actor's lifetime. @default 0 */
  numCpus?: number;
  /** @default 0 */
  numGpus?: number;
  /** @default {} */
  resources?: Resources;
  /** @default 'DEFAULT' */
  schedulingStrategy?: SchedulingStrategy;
}

/** Options of one actor method call: `handle.method.options({ numReturns }).remote()`. */
export interface ActorMethodOptions {
  numReturns?: number;
  name?: string;
}

const taskOptionNames = new Set<string>([
  'numCpus', 'numGpus', 'resources', 'maxRetries', 'retryExceptions', 'numReturns', 'name', 'schedulingStrategy',
]);
const actorOptionNames = new Set<string>([
  'name', 'maxRestarts', 'maxTaskRetries', 'maxConcurrency', 'numCpus', 'numGpus', 'resources', 'schedulingStrategy',
]);
const methodOptionNames = new Set<string>(['numReturns', 'name']);

export function validateTaskOptions(options: unknown, where: string): TaskOptions {
  const o = checkObject(options, where, taskOptionNames);
  checkNonNegative(o, 'numCpus', where);
  checkNonNegative(o, 'numGpus', where);
  checkResources(o['resources'], where);
  checkInteger(o, 'maxRetries', where, -1);
  checkInteger(o, 'numReturns', where, 1);
  checkName(o, where);
  checkStrategy(o['schedulingStrategy'], where);
  const retry = o['retryExceptions'];
  if (retry !== undefined && typeof retry !== 'boolean' && !(Array.isArray(retry) && retry.every((n) => typeof n === 'string'))) {
    throw new RayboxUsageError(`${where}: retryExceptions must be true, false or a list of error names like ['TypeError'].`);
  }
  return o as TaskOptions;
}

export function validateActorOptions(options: unknown, where: string): ActorOptions {
  const o = checkObject(options, where, actorOptionNames);
  checkNonNegative(o, 'numCpus', where);
  checkNonNegative(o, 'numGpus', where);
  checkResources(o['resources'], where);
  checkInteger(o, 'maxRestarts', where, -1);
  checkInteger(o, 'maxTaskRetries', where, -1);
  checkInteger(o, 'maxConcurrency', where, 1);
  checkName(o, where);
  checkStrategy(o['schedulingStrategy'], where);
  return o as ActorOptions;
}

export function validateMethodOptions(options: unknown, where: string): ActorMethodOptions {
  const o = checkObject(options, where, methodOptionNames);
  checkInteger(o, 'numReturns', where, 1);
  checkName(o, where);
  return o as ActorMethodOptions;
}

function checkObject(options: unknown, where: string, allowed: Set<string>): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new RayboxUsageError(`${where}: options must be an object like { numCpus: 1 }, not ${describe(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) {
      throw new RayboxUsageError(
        `${where}: unknown option '${key}'. Known options: ${[...allowed].join(', ')}.`,
      );
    }
  }
  return options as Record<string, unknown>;
}

function checkNonNegative(o: Record<string, unknown>, key: string, where: string): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RayboxUsageError(`${where}: ${key} must be a number ≥ 0, got ${describe(v)}.`);
  }
}

function checkInteger(o: Record<string, unknown>, key: string, where: string, min: number): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RayboxUsageError(`${where}: ${key} must be an integer ≥ ${min}, got ${describe(v)}.`);
  }
}

function checkName(o: Record<string, unknown>, where: string): void {
  const v = o['name'];
  if (v !== undefined && (typeof v !== 'string' || v.length === 0)) {
    throw new RayboxUsageError(`${where}: name must be a non-empty string, got ${describe(v)}.`);
  }
}

function checkResources(v: unknown, where: string): void {
  if (v === undefined) return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new RayboxUsageError(`${where}: resources must be an object like { myResource: 1 }, got ${describe(v)}.`);
  }
  for (const [name, amount] of Object.entries(v)) {
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
      throw new RayboxUsageError(`${where}: resource '${name}' must be a number ≥ 0, got ${describe(amount)}.`);
    }
    if (name === 'CPU' || name === 'GPU') {
      throw new RayboxUsageError(`${where}: request ${name} with num${name === 'CPU' ? 'Cpus' : 'Gpus'}, not resources.`);
    }
  }
}

function checkStrategy(v: unknown, where: string): void {
  if (v === undefined || v === 'DEFAULT' || v === 'SPREAD') return;
  if (typeof v === 'object' && v !== null && typeof (v as { nodeId?: unknown }).nodeId === 'string'
    && typeof (v as { soft?: unknown }).soft === 'boolean') return;
  throw new RayboxUsageError(
    `${where}: schedulingStrategy must be 'DEFAULT', 'SPREAD' or { nodeId, soft }, got ${describe(v)}.`,
  );
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}

/**
 * The resources a task or actor asks for, as the scheduler sees them. The common requests (one
 * CPU, or nothing) are shared frozen objects: a million queued tasks would otherwise hold a million
 * equal `{ CPU: 1 }`. Nothing may change a request after this.
 */
export function requestedResources(o: { numCpus?: number; numGpus?: number; resources?: Resources }, defaultCpus: number): Resources {
  if (o.resources === undefined && (o.numGpus ?? 0) <= 0) {
    const cpus = o.numCpus ?? defaultCpus;
    if (cpus === 1) return ONE_CPU;
    if (cpus <= 0) return NOTHING;
  }
  const r: Resources = { ...o.resources };
  const cpus = o.numCpus ?? defaultCpus;
  if (cpus > 0) r['CPU'] = cpus;
  if ((o.numGpus ?? 0) > 0) r['GPU'] = o.numGpus ?? 0;
  return r;
}

const ONE_CPU: Resources = Object.freeze({ CPU: 1 });
const NOTHING: Resources = Object.freeze({});
