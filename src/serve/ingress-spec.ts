/** Routes of an ingress deployment as data: they travel to replicas with the handlers' sources. */
export const ingressSpecKey: unique symbol = Symbol.for('raybox.serve.ingress');

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The handler's source; it runs in a replica. */
  source: string;
  /** A JSON Schema the request body must satisfy. */
  body?: object;
}

export interface IngressSpec {
  routes: RouteSpec[];
}
