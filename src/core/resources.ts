/** Resource quantities by name: CPU, GPU and any custom resource a node declares. */
export type Resources = Record<string, number>;

/** True when `request` fits inside `available`. Missing names count as zero. */
export function fits(request: Resources, available: Resources): boolean {
  for (const name in request) {
    const need = request[name] ?? 0;
    if (need > 0 && (available[name] ?? 0) < need - 1e-9) return false;
  }
  return true;
}

export function subtract(from: Resources, amount: Resources): void {
  for (const name in amount) from[name] = (from[name] ?? 0) - (amount[name] ?? 0);
}

export function add(to: Resources, amount: Resources): void {
  for (const name in amount) to[name] = (to[name] ?? 0) + (amount[name] ?? 0);
}

/** A stable key for a resource shape; tasks with equal keys may share a worker lease. */
export function shapeKey(request: Resources): string {
  let key = shapeKeys.get(request);
  if (key === undefined) shapeKeys.set(request, (key = computeShapeKey(request)));
  return key;
}

/** Requests are shared (see `requestedResources`), so each key is built once and shared too. */
const shapeKeys = new WeakMap<Resources, string>();

function computeShapeKey(request: Resources): string {
  const names = Object.keys(request).filter((n) => (request[n] ?? 0) > 0).sort();
  return names.map((n) => `${n}:${request[n]}`).join(',');
}

export function sumResources(all: Iterable<Resources>): Resources {
  const total: Resources = {};
  for (const r of all) add(total, r);
  return total;
}
