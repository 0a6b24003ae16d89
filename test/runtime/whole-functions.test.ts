import { describe, expect, it } from 'vitest';
import { describeClass, describeFunction } from '../../src/core/function-descriptor.ts';
import { hashSource } from '../../src/core/ids.ts';
import type { ProtocolNode } from '../../src/protocol/node-host.ts';
import { FunctionSources } from '../../src/runtime/function-sources.ts';
import { wholeFunctionIds } from '../../src/runtime/whole-functions.ts';

const outer = (x: number) => {
  const inner = (y: number) => y * 2 + x;
  const holder = {
    method(z: number) {
      return z;
    },
    async *stream() {
      yield 1;
    },
  };
  class Counter {
    n = 0;
    static make() {
      return new Counter();
    }
    inc() {
      return ++this.n;
    }
  }
  const code = '() => stealEverything()'; // code in a string is not code the head wrote
  /* () => inAComment() */
  return { inner, method: holder.method, stream: holder.stream, Counter, make: Counter.make, code, tail: () => x + 1 + 2 };
};

const peer = { isLocal: false } as ProtocolNode;

describe('wholeFunctionIds', () => {
  const ids = wholeFunctionIds(describeFunction(outer).source);
  const made = outer(1);

  it('names every whole function, method and class inside a source as a worker would name it', () => {
    expect(ids.has(describeFunction(made.inner).fnId)).toBe(true);
    expect(ids.has(describeFunction(made.method).fnId)).toBe(true);
    expect(ids.has(describeFunction(made.stream).fnId)).toBe(true);
    expect(ids.has(describeFunction(made.make).fnId)).toBe(true);
    expect(ids.has(describeClass(made.Counter).fnId)).toBe(true);
  });

  it('names no fragment of a function, and no code in strings or comments', () => {
    expect(ids.has(hashSource('() => x + 1'))).toBe(false); // cut from `() => x + 1 + 2`
    expect(ids.has(hashSource('(y) => y'))).toBe(false);
    expect(ids.has(hashSource('() => stealEverything()'))).toBe(false);
    expect(ids.has(hashSource('() => inAComment()'))).toBe(false);
  });
});

describe('FunctionSources.trusts', () => {
  const sources = new FunctionSources();
  sources.withSource(describeFunction(outer));
  const made = outer(1);

  it("trusts a peer's nested function the head wrote whole", () => {
    expect(sources.trusts(peer, describeFunction(made.inner))).toBe(true);
    expect(sources.trusts(peer, describeFunction(made.tail))).toBe(true);
  });

  it('refuses fragments, code from strings, and a source whose id does not match it', () => {
    const fragment = '() => x + 1';
    expect(sources.trusts(peer, { fnId: hashSource(fragment), source: fragment, name: 'f', streaming: false })).toBe(false);
    const fromString = '() => stealEverything()';
    expect(sources.trusts(peer, { fnId: hashSource(fromString), source: fromString, name: 'f', streaming: false })).toBe(false);
    const inner = describeFunction(made.inner);
    expect(sources.trusts(peer, { ...inner, fnId: 'another-id' })).toBe(false);
  });
});
