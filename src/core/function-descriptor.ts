import { RayboxUsageError } from './errors.ts';
import { hashSource } from './ids.ts';

/** A remote function as it travels: its source, named by a hash so workers compile it once. */
export interface FunctionDescriptor {
  fnId: string;
  source: string;
  name: string;
  /** An async (or sync) generator function: `.remote()` streams its yields as refs. */
  streaming: boolean;
}

/** An actor class as it travels, with the method names a handle offers. */
export interface ClassDescriptor extends FunctionDescriptor {
  methods: string[];
  /** Methods that are generators; calling them streams refs. */
  streamingMethods: string[];
}

const descriptors = new WeakMap<object, FunctionDescriptor>();

/**
 * Turns a function into source text that evaluates, in a fresh global scope, to the same function.
 * Method shorthand (`{ f(x) {} }.f`) is not an expression on its own, so it is wrapped.
 */
export function describeFunction(fn: (...args: never[]) => unknown): FunctionDescriptor {
  const cached = descriptors.get(fn);
  if (cached) return cached;
  const text = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw new RayboxUsageError(
      `remote() got a built-in or bound function (${fn.name || 'anonymous'}); its source cannot be sent to a worker. ` +
        'Wrap it: remote((x) => Math.sqrt(x)).',
    );
  }
  const source = isExpression(text) ? text : `Object.values({ ${text} })[0]`;
  if (!isExpression(source)) {
    throw new RayboxUsageError(`remote() could not read the source of ${fn.name || 'this function'}. Define it as a function or arrow function.`);
  }
  const kind = Object.getPrototypeOf(fn)?.constructor?.name as string | undefined;
  const descriptor: FunctionDescriptor = {
    fnId: hashSource(source),
    source,
    name: fn.name || 'anonymous',
    streaming: kind === 'AsyncGeneratorFunction' || kind === 'GeneratorFunction',
  };
  descriptors.set(fn, descriptor);
  return descriptor;
}

export function isClass(fn: unknown): fn is abstract new (...args: never[]) => unknown {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

export function describeClass(cls: abstract new (...args: never[]) => unknown): ClassDescriptor {
  const base = describeFunction(cls as unknown as (...args: never[]) => unknown);
  const methods: string[] = [];
  const streamingMethods: string[] = [];
  for (let proto = cls.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || methods.includes(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, key);
      if (typeof desc?.value !== 'function') continue;
      methods.push(key);
      const kind = Object.getPrototypeOf(desc.value)?.constructor?.name as string | undefined;
      if (kind === 'AsyncGeneratorFunction' || kind === 'GeneratorFunction') streamingMethods.push(key);
    }
  }
  return { ...base, streaming: false, methods, streamingMethods };
}

function isExpression(source: string): boolean {
  try {
    new Function(`return (${source}\n);`);
    return true;
  } catch {
    return false;
  }
}
