import * as v from 'valibot';
import { RayboxError, registerErrorClasses } from '../core/errors.ts';
import { fromWorkerSchema, PROTOCOL_VERSION, toWorkerSchema, type FromWorker, type ToWorker } from './messages.ts';
import { guardOf } from './schema-guard.ts';
import { itemsOf } from './wire-form.ts';

/**
 * Checks messages where they enter a realm, against the schemas of `messages.ts`. Anything that
 * does not fit is rejected with a reason, never acted on.
 */

/** A message that is not part of the protocol: its sender is broken, stale or hostile. */
export class ProtocolError extends RayboxError {
  override readonly name = 'ProtocolError';
}
registerErrorClasses(ProtocolError);

export type Checked<T> = { ok: true; message: T } | { ok: false; reason: string };

/** The first problem valibot found, as "where: what", e.g. "item 'done', sizes.0: Invalid type …". */
export function describeIssue(issues: readonly v.BaseIssue<unknown>[], input: unknown): string {
  const issue = issues[0];
  if (!issue) return 'the message is malformed';
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  const what = typeof type === 'string' ? `item ${JSON.stringify(type.slice(0, 40))}` : 'the message';
  const path = issue.path?.map((step) => String(step.key)).join('.');
  return `${what}${path ? `, ${path}` : ''}: ${issue.message}`;
}

const parseConfig = v.getGlobalConfig({ abortEarly: true });

/**
 * A checker for one schema: the message, or why it is refused. A message the fast guard accepts
 * is passed on as it is (fields the protocol does not know stay on it, unread); anything else
 * goes through the schema's parse, which refuses it with a reason or returns its clean copy.
 */
export function checker<S extends v.GenericSchema>(schema: S): (value: unknown) => Checked<v.InferOutput<S>> {
  const guard = guardOf(schema);
  return (value) => {
    if (guard(value)) return { ok: true, message: value as v.InferOutput<S> };
    const result = v.safeParse(schema, value, parseConfig);
    return result.success ? { ok: true, message: result.output } : { ok: false, reason: describeIssue(result.issues, value) };
  };
}

const checkFromWorker = checker(fromWorkerSchema);
const checkToWorker = checker(toWorkerSchema);

function checkAll<T>(items: unknown[], check: (value: unknown) => Checked<T>): T[] {
  const out = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) {
    const checked = check(items[i]);
    if (!checked.ok) throw new ProtocolError(checked.reason);
    out[i] = checked.message;
  }
  return out;
}

/** The items of an envelope (`wire-form.ts`), checked; a sender of another version is told to reload. */
function decodeItems<T>(data: unknown, check: (value: unknown) => Checked<T>): T[] {
  if (typeof data !== 'object' || data === null) throw new ProtocolError('message is not an object');
  // Versions before 4 sent `{ v, items }`: say which version it is rather than that it is malformed.
  const version: unknown = Array.isArray(data) ? data[0] : (data as { v?: unknown }).v;
  if (version !== PROTOCOL_VERSION) {
    const shown = typeof version === 'number' ? version : typeof version;
    throw new ProtocolError(`protocol version ${shown} is not ${PROTOCOL_VERSION}: reload the page so both sides match`);
  }
  const items = itemsOf(data as unknown[]);
  if (!items) throw new ProtocolError('message has no items array');
  return checkAll(items, check);
}

/** Validates items (without an envelope) that came from a worker, e.g. relayed by a peer. */
export function checkFromWorkerItems(items: unknown[]): FromWorker[] {
  return checkAll(items, checkFromWorker);
}

export function checkToWorkerItems(items: unknown[]): ToWorker[] {
  return checkAll(items, checkToWorker);
}

export function decodeFromWorker(data: unknown): FromWorker[] {
  return decodeItems(data, checkFromWorker);
}

export function decodeToWorker(data: unknown): ToWorker[] {
  return decodeItems(data, checkToWorker);
}
