/**
 * Deployments and applications as values (`serve.deployment(...)`, `.options()`, `.bind()`):
 * nothing runs until `serve.run`. A deployment's code travels to its replicas as source text.
 */
import { describeFunction, isClass } from '../core/function-descriptor.ts';
import type { ActorOptions } from '../core/options.ts';
import { batchSpecKey, type BatchSpec } from './batch.ts';
import { ServeConfigError } from './errors.ts';
import { ingressSpecKey, type IngressSpec } from './ingress-spec.ts';

export interface AutoscalingConfig {
  minReplicas?: number;
  maxReplicas?: number;
  targetOngoingRequests?: number;
  /** Seconds the load must stay above the target before a replica is added (default 30). */
  upscaleDelayS?: number;
  /** Seconds the load must stay below the target before a replica is removed (default 600). */
  downscaleDelayS?: number;
}

export interface DeploymentOptions {
  name?: string;
  /** Replicas started by `serve.run` (default 1). */
  numReplicas?: number;
  /** Requests one replica works on at once (default 5); more wait at the router. */
  maxOngoingRequests?: number;
  /** Requests that may wait at the router when every replica is full (default 100); more are refused. */
  maxQueuedRequests?: number;
  autoscalingConfig?: AutoscalingConfig;
  /** Options of each replica's actor (resources, restarts …). */
  rayActorOptions?: ActorOptions;
  /** Passed to `reconfigure(userConfig)` of a class deployment when a replica starts. */
  userConfig?: unknown;
}

export type ResolvedOptions = Required<Omit<DeploymentOptions, 'autoscalingConfig' | 'userConfig'>> & {
  autoscalingConfig?: AutoscalingConfig;
  userConfig?: unknown;
};

/** The code of a deployment as it travels to replicas. */
export interface DeploymentCode {
  kind: 'class' | 'function' | 'ingress';
  source: string;
  /** Set when the function deployment is a `serve.batch` function. */
  batch?: BatchSpec['options'];
  /** Routes of a `serve.ingress(router)` deployment: handlers as sources, schemas as data. */
  ingress?: IngressSpec;
}

const known = ['name', 'numReplicas', 'maxOngoingRequests', 'maxQueuedRequests', 'autoscalingConfig', 'rayActorOptions', 'userConfig'];

function positiveInteger(value: unknown, field: string, where: string): void {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new ServeConfigError(`${where}: ${field} must be an integer ≥ 1 (got ${String(value)}).`);
  }
}

export function resolveOptions(name: string, options: DeploymentOptions, where: string): ResolvedOptions {
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new ServeConfigError(`${where} got unknown option(s) ${unknown.join(', ')}; known: ${known.join(', ')}.`);
  const resolved: ResolvedOptions = {
    name: options.name ?? name,
    numReplicas: options.numReplicas ?? 1,
    maxOngoingRequests: options.maxOngoingRequests ?? 5,
    maxQueuedRequests: options.maxQueuedRequests ?? 100,
    rayActorOptions: options.rayActorOptions ?? {},
    autoscalingConfig: options.autoscalingConfig,
    userConfig: options.userConfig,
  };
  if (typeof resolved.name !== 'string' || resolved.name === '') throw new ServeConfigError(`${where}: name must be a non-empty string.`);
  positiveInteger(resolved.numReplicas, 'numReplicas', where);
  positiveInteger(resolved.maxOngoingRequests, 'maxOngoingRequests', where);
  if (!Number.isInteger(resolved.maxQueuedRequests) || resolved.maxQueuedRequests < 0) {
    throw new ServeConfigError(`${where}: maxQueuedRequests must be an integer ≥ 0 (got ${String(resolved.maxQueuedRequests)}).`);
  }
  const auto = resolved.autoscalingConfig;
  if (auto) {
    const { minReplicas = 1, maxReplicas = 1, targetOngoingRequests = 2 } = auto;
    positiveInteger(minReplicas, 'autoscalingConfig.minReplicas', where);
    positiveInteger(maxReplicas, 'autoscalingConfig.maxReplicas', where);
    if (maxReplicas < minReplicas) throw new ServeConfigError(`${where}: autoscalingConfig.maxReplicas (${maxReplicas}) is below minReplicas (${minReplicas}).`);
    if (!(targetOngoingRequests > 0)) throw new ServeConfigError(`${where}: autoscalingConfig.targetOngoingRequests must be > 0.`);
    for (const key of ['upscaleDelayS', 'downscaleDelayS'] as const) {
      const v = auto[key];
      if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new ServeConfigError(`${where}: autoscalingConfig.${key} must be a number of seconds ≥ 0.`);
    }
  }
  return resolved;
}

const deploymentTag: unique symbol = Symbol('raybox.serve.deployment');
const applicationTag: unique symbol = Symbol('raybox.serve.application');

/** A deployment: code plus options. `.bind(...args)` makes an application of it. */
/** A deployment of class instances of type `T` (unknown for functions). */
export class Deployment<T = unknown> {
  readonly [deploymentTag] = true;
  constructor(
    readonly code: DeploymentCode,
    readonly config: ResolvedOptions,
  ) {}
  get name(): string {
    return this.config.name;
  }
  /** The same code with some options changed. */
  options(more: DeploymentOptions): Deployment<T> {
    const merged = { ...this.config, ...more };
    return new Deployment<T>(this.code, resolveOptions(this.config.name, merged, `${this.name}.options()`));
  }
  /** An application: this deployment with its constructor arguments. Bound deployments among them become handles. */
  bind(...args: unknown[]): Application<T> {
    for (const arg of args) {
      if (arg instanceof Deployment) {
        throw new ServeConfigError(`${this.name}.bind(): argument '${arg.name}' is a deployment, not an application. Pass ${arg.name}.bind(...) to get a handle to it.`);
      }
    }
    return new Application<T>(this, args);
  }
}

/** A deployment bound to its arguments: what `serve.run` starts. */
export class Application<T = unknown> {
  readonly [applicationTag] = true;
  constructor(
    readonly deployment: Deployment<T>,
    readonly args: unknown[],
  ) {}
}

/** Reads the code of what `serve.deployment` was given: a class, a function, a batch function or an ingress. */
export function describeTarget(target: unknown): { code: DeploymentCode; name: string } {
  const ingress = (target as { [ingressSpecKey]?: IngressSpec } | undefined)?.[ingressSpecKey];
  if (ingress) return { code: { kind: 'ingress', source: '', ingress }, name: 'Ingress' };
  if (typeof target !== 'function') {
    throw new ServeConfigError(`serve.deployment() takes a class, a function or serve.ingress(router) (got ${target === null ? 'null' : typeof target}).`);
  }
  const batch = (target as { [batchSpecKey]?: BatchSpec })[batchSpecKey];
  const fn = (batch?.fn ?? target) as (...args: never[]) => unknown;
  const { source, name } = describeFunction(fn);
  if (isClass(fn)) return { code: { kind: 'class', source }, name };
  return { code: { kind: 'function', source, ...(batch ? { batch: batch.options } : {}) }, name };
}

/** The instance type of a class target; functions have no methods to call by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest constructor, for inference only
export type InstanceOf<C> = C extends abstract new (...args: any[]) => infer I ? I : unknown;

export function makeDeployment<C>(target: C, options: DeploymentOptions = {}): Deployment<InstanceOf<C>> {
  if (options === null || typeof options !== 'object') throw new ServeConfigError('serve.deployment(target, options): options is an object.');
  const { code, name } = describeTarget(target);
  return new Deployment<InstanceOf<C>>(code, resolveOptions(name, options, `serve.deployment(${name})`));
}
