import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from './messages.ts';

/**
 * Checks messages where they enter a realm. Each item type lists its required fields and their
 * kinds; anything else is rejected with a reason, never acted on. The checks are shallow (types
 * of top-level fields): deep values are task data, checked by the code that uses them.
 */

export type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'string?' | 'number?' | 'array?' | 'any';
export type Schema = Record<string, Record<string, Kind>>;

const payload = { special: 'boolean' } as const;

const fromWorkerSchema: Schema = {
  started: { taskId: 'string', time: 'number' },
  done: { ...payload, taskId: 'string', values: 'array', sizes: 'array', start: 'number', end: 'number' },
  failed: { taskId: 'string', error: 'object', start: 'number', end: 'number' },
  yield: { ...payload, taskId: 'string', index: 'number', value: 'any', size: 'number' },
  actorReady: { actorId: 'string' },
  actorFailed: { actorId: 'string', error: 'object' },
  submit: { ...payload, taskId: 'string', parentTaskId: 'string?', fn: 'object', args: 'array', refArgs: 'array?', nestedRefs: 'array', options: 'object' },
  submitActor: { ...payload, actorId: 'string', parentTaskId: 'string?', cls: 'object', args: 'array', refArgs: 'array?', nestedRefs: 'array', options: 'object' },
  submitCall: { ...payload, taskId: 'string', parentTaskId: 'string?', actor: 'object', method: 'string', streaming: 'boolean', args: 'array', refArgs: 'array?', nestedRefs: 'array', options: 'object' },
  put: { ...payload, objectId: 'string', value: 'any', size: 'number' },
  get: { requestId: 'number', taskId: 'string?', ids: 'array', timeout: 'number?' },
  wait: { requestId: 'number', taskId: 'string?', ids: 'array', numReturns: 'number', timeout: 'number?' },
  next: { requestId: 'number', taskId: 'string', index: 'number', waiting: 'string?' },
  release: { counts: 'array' },
  log: { taskId: 'string?', level: 'string', text: 'string', time: 'number' },
  cancelRef: { objectId: 'string', force: 'boolean', recursive: 'boolean' },
  kill: { actorId: 'string', noRestart: 'boolean' },
  dropStream: { taskId: 'string' },
  closing: {},
};

const toWorkerSchema: Schema = {
  run: { ...payload, taskId: 'string', name: 'string', fnId: 'string', args: 'array', numReturns: 'number', streaming: 'boolean' },
  createActor: { ...payload, actorId: 'string', className: 'string', fnId: 'string', source: 'string', args: 'array', maxConcurrency: 'number' },
  callActor: { ...payload, taskId: 'string', name: 'string', method: 'string', args: 'array', numReturns: 'number', streaming: 'boolean' },
  cancel: { taskId: 'string' },
  reply: { requestId: 'number', ok: 'boolean' },
  namedActor: { name: 'string', actor: 'any' },
};

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

function kindOf(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'any':
      return true;
    case 'array':
      return Array.isArray(value);
    case 'array?':
      return value === null || Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null;
    case 'string?':
      return value === null || typeof value === 'string';
    case 'number?':
      return value === null || typeof value === 'number';
    default:
      return typeof value === kind;
  }
}

/** Why `item` does not fit `schema` (by its `type`), or null when it does. */
export function checkItem(item: unknown, schema: Schema): string | null {
  if (typeof item !== 'object' || item === null) return 'an item is not an object';
  const record = item as Record<string, unknown>;
  const fields = typeof record['type'] === 'string' ? schema[record['type']] : undefined;
  if (!fields) return `unknown item type ${JSON.stringify(record['type'])}`;
  for (const field in fields) {
    if (!kindOf(record[field], fields[field] as Kind)) {
      return `item '${String(record['type'])}' has a bad '${field}' (expected ${String(fields[field])})`;
    }
  }
  return null;
}

function decodeItems<T>(data: unknown, schema: Schema): T[] {
  if (typeof data !== 'object' || data === null) throw new ProtocolError('message is not an object');
  const envelope = data as { v?: unknown; items?: unknown };
  if (envelope.v !== PROTOCOL_VERSION) {
    throw new ProtocolError(`protocol version ${String(envelope.v)} is not ${PROTOCOL_VERSION}: reload the page so both sides match`);
  }
  if (!Array.isArray(envelope.items)) throw new ProtocolError('message has no items array');
  for (const item of envelope.items as unknown[]) {
    const problem = checkItem(item, schema);
    if (problem) throw new ProtocolError(problem);
  }
  return envelope.items as T[];
}

/** Validates items (without an envelope) that came from a worker, e.g. relayed by a peer. */
export function checkFromWorkerItems(items: unknown[]): FromWorker[] {
  for (const item of items) {
    const problem = checkItem(item, fromWorkerSchema);
    if (problem) throw new ProtocolError(problem);
  }
  return items as FromWorker[];
}

export function checkToWorkerItems(items: unknown[]): ToWorker[] {
  for (const item of items) {
    const problem = checkItem(item, toWorkerSchema);
    if (problem) throw new ProtocolError(problem);
  }
  return items as ToWorker[];
}

export function decodeFromWorker(data: unknown): FromWorker[] {
  return decodeItems<FromWorker>(data, fromWorkerSchema);
}

export function decodeToWorker(data: unknown): ToWorker[] {
  return decodeItems<ToWorker>(data, toWorkerSchema);
}
