/**
 * Answers an HTTP request for the running applications, in the page: picks the application by
 * its route prefix, matches the route (path parameters by itty-router), validates a JSON body
 * against the route's schema (ajv), and calls a replica. Status codes: 404 for an unknown route
 * (listing the routes), 422 for a body that fails its schema (naming the fields), 503 when
 * overloaded, 500 with the message when the deployment throws.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { IttyRouter } from 'itty-router';
import { TaskError } from '../core/errors.ts';
import type { RunningApp } from './controller.ts';
import { ServeOverloadedError } from './errors.ts';
import { httpRequestKey, type HttpRequestData } from './http-request.ts';
import type { RouteSpec } from './ingress-spec.ts';

export interface HttpRequestIn {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface HttpResponseOut {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const ajv = new Ajv({ allErrors: true });
const validators = new WeakMap<object, ValidateFunction>();

type RouteMatch = { index: number; params: Record<string, string> };
type RouteMatcher = { fetch(request: never): Promise<RouteMatch | undefined> };
/** One matcher per application's routes, made at its first request: the routes never change. */
const routers = new WeakMap<readonly RouteSpec[], RouteMatcher>();

function routerOf(routes: readonly RouteSpec[]): RouteMatcher {
  let router = routers.get(routes);
  if (!router) {
    const made = IttyRouter();
    routes.forEach((route, index) => made[route.method.toLowerCase() as 'get'](route.path, (req) => ({ index, params: { ...req.params } })));
    router = made as unknown as RouteMatcher;
    routers.set(routes, router);
  }
  return router;
}

function reply(status: number, value: unknown): HttpResponseOut {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value ?? null) };
}

/** The application whose prefix is the longest match of `path` (the part after `/serve`). */
function findApp(apps: Iterable<RunningApp>, path: string): RunningApp | undefined {
  let best: RunningApp | undefined;
  for (const app of apps) {
    const p = app.routePrefix;
    const matches = p === '/' || path === p || path.startsWith(`${p}/`);
    if (matches && (!best || p.length > best.routePrefix.length)) best = app;
  }
  return best;
}

function routeList(app: RunningApp): string[] {
  const routes = app.ingress.deployment.code.ingress?.routes;
  const prefix = app.routePrefix === '/' ? '' : app.routePrefix;
  if (!routes) return [`* /serve${prefix}/…`];
  return routes.map((r) => `${r.method} /serve${prefix}${r.path}`);
}

export async function dispatchHttp(apps: Iterable<RunningApp>, request: HttpRequestIn): Promise<HttpResponseOut> {
  const url = new URL(request.url);
  const servePath = url.pathname.slice('/serve'.length) || '/';
  const all = [...apps];
  const app = findApp(all, servePath);
  if (!app) {
    return reply(404, { error: `No application serves ${url.pathname}.`, routes: all.flatMap(routeList) });
  }
  const path = app.routePrefix === '/' ? servePath : servePath.slice(app.routePrefix.length) || '/';
  const query = Object.fromEntries(url.searchParams);
  const data: HttpRequestData = { method: request.method, path, params: {}, query, headers: request.headers, body: request.body };
  let method: string | null = null;
  const routes = app.ingress.deployment.code.ingress?.routes;
  if (routes) {
    const match = (await routerOf(routes).fetch({ method: request.method, url: `${url.origin}${path}${url.search}` } as never)) as RouteMatch | undefined;
    const route = match ? routes[match.index] : undefined;
    if (!match || !route) return reply(404, { error: `No route for ${request.method} ${url.pathname}.`, routes: routeList(app) });
    data.params = match.params;
    method = String(match.index);
    if (route.body) {
      let body: unknown;
      try {
        body = request.body === '' ? undefined : JSON.parse(request.body);
      } catch {
        return reply(422, { error: 'The request body is not JSON.', reasons: [{ field: '', message: 'must be JSON' }] });
      }
      let validate = validators.get(route.body);
      if (!validate) validators.set(route.body, (validate = ajv.compile(route.body)));
      if (!validate(body)) {
        const reasons = (validate.errors ?? []).map((e) => ({
          field: e.keyword === 'required' ? `${e.instancePath}/${String((e.params as { missingProperty: string }).missingProperty)}` : e.instancePath || '/',
          message: e.message ?? e.keyword,
        }));
        return reply(422, { error: `The request body does not match the schema: ${reasons.map((r) => `${r.field} ${r.message}`).join('; ')}.`, reasons });
      }
    }
  }
  try {
    const route = routes?.[Number(method)];
    const { result } = app.ingress.router.submit(method, [{ [httpRequestKey]: data }], {
      idempotent: request.method === 'GET' || request.method === 'HEAD',
      route: route ? `${route.method} ${route.path}` : `${request.method} ${path}`,
    });
    return reply(200, await result);
  } catch (error) {
    if (error instanceof ServeOverloadedError) return reply(503, { error: error.message });
    const message = error instanceof TaskError ? error.remoteMessage : error instanceof Error ? error.message : String(error);
    return reply(500, { error: message });
  }
}
