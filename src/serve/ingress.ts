/**
 * `serve.router()` and `serve.ingress(router)`: HTTP routes with path parameters and JSON Schema
 * bodies. Handlers run in replicas (their source travels); routes and schemas are data.
 */
import { describeFunction } from '../core/function-descriptor.ts';
import { ServeConfigError } from './errors.ts';
import { ingressSpecKey, type IngressSpec, type RouteSpec } from './ingress-spec.ts';

/** What a handler gets: the request as data, with `json()` for its body. */
export interface ServeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  json(): unknown;
}

export type RouteHandler = (request: ServeRequest, ...bound: never[]) => unknown;

export class ServeRouter {
  readonly routes: RouteSpec[] = [];
  get(path: string, handler: RouteHandler, options?: { body?: object }): this {
    return this.#add('GET', path, handler, options);
  }
  post(path: string, handler: RouteHandler, options?: { body?: object }): this {
    return this.#add('POST', path, handler, options);
  }
  put(path: string, handler: RouteHandler, options?: { body?: object }): this {
    return this.#add('PUT', path, handler, options);
  }
  delete(path: string, handler: RouteHandler, options?: { body?: object }): this {
    return this.#add('DELETE', path, handler, options);
  }
  #add(method: RouteSpec['method'], path: string, handler: RouteHandler, options: { body?: object } = {}): this {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new ServeConfigError(`router.${method.toLowerCase()}(path, …): path must start with '/' (got ${String(path)}).`);
    if (typeof handler !== 'function') throw new ServeConfigError(`router.${method.toLowerCase()}('${path}', handler): handler must be a function.`);
    if (options.body !== undefined && (typeof options.body !== 'object' || options.body === null)) {
      throw new ServeConfigError(`router.${method.toLowerCase()}('${path}', …, { body }): body is a JSON Schema object.`);
    }
    const { source } = describeFunction(handler as (...args: never[]) => unknown);
    this.routes.push({ method, path, source, ...(options.body ? { body: options.body } : {}) });
    return this;
  }
}

export function ingress(router: ServeRouter): { [ingressSpecKey]: IngressSpec } {
  if (!(router instanceof ServeRouter)) throw new ServeConfigError('serve.ingress(router) takes a router from serve.router().');
  return { [ingressSpecKey]: { routes: [...router.routes] } };
}
