import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import {
  decodeSerializedTensor,
  loadTf,
  TENSOR_HANDLER_NAME,
  TensorDecodeError,
  TensorDisposedError,
  tensorHandler,
  type SerializedTensor,
  type Tf,
} from '../../src/ml/index.ts';
import { valueHandler } from '../../src/protocol/value-handler.ts';
import { startMlWorker } from './fixtures/ml-worker-client.ts';

/** Each case makes one tensor: a grid of dtype × shape, scalars and empty tensors included. */
const shapes: number[][] = [[], [0], [5], [2, 3], [2, 3, 4], [1, 2, 1, 3]];
type Case = { label: string; make(tf: Tf): Tensor };
const cases: Case[] = shapes.flatMap((shape): Case[] => {
  const size = shape.reduce((p, d) => p * d, 1);
  const at = (i: number): number => ((i * 7919) % 23) - 11;
  return [
    { label: `float32 [${shape}]`, make: (tf) => tf.tensor(Array.from({ length: size }, (_, i) => at(i) / 3), shape, 'float32') },
    { label: `int32 [${shape}]`, make: (tf) => tf.tensor(Array.from({ length: size }, (_, i) => at(i) * 1000), shape, 'int32') },
    { label: `bool [${shape}]`, make: (tf) => tf.tensor(Array.from({ length: size }, (_, i) => at(i) > 0), shape, 'bool') },
  ];
});
cases.push({ label: 'string [2, 2]', make: (tf) => tf.tensor(['a', 'béta', '', '🙂'], [2, 2], 'string') });

async function expectSame(actual: Tensor, expected: Tensor): Promise<void> {
  expect(actual.dtype).toBe(expected.dtype);
  expect(actual.shape).toEqual(expected.shape);
  expect(await actual.array()).toEqual(await expected.array());
}

// Worker start-up and first backend initialisation take seconds on a busy 2-core machine.
describe('tensorHandler', { timeout: 30_000 }, () => {
  let tf: Tf;
  const worker = startMlWorker();
  beforeAll(async () => {
    tf = await loadTf();
  });
  afterAll(() => worker.terminate());

  it("is registered under 'tf.Tensor' once src/ml is imported", () => {
    expect(tensorHandler.name).toBe(TENSOR_HANDLER_NAME);
    expect(valueHandler('tf.Tensor')).toBe(tensorHandler);
  });

  it('recognises tensors and variables, and nothing else', () => {
    const t = tf.ones([2]);
    const v = tf.variable(tf.zeros([2]));
    expect(tensorHandler.canHandle(t)).toBe(true);
    expect(tensorHandler.canHandle(v)).toBe(true);
    for (const other of [null, undefined, 1, 'x', {}, [], new Float32Array(2), { shape: [2], dtype: 'float32' }, new Map()]) {
      expect(tensorHandler.canHandle(other)).toBe(false);
    }
    t.dispose();
    v.dispose();
  });

  it.each(cases)('round-trips $label in this realm', async ({ make }) => {
    const original = make(tf);
    const { data } = tensorHandler.serialize(original);
    const copy = tensorHandler.deserialize(data);
    await expectSame(copy, original);
    tf.dispose([original, copy]);
  });

  it('round-trips every case through a real postMessage to a module worker and back', async () => {
    const originals = cases.map(({ make }) => make(tf));
    const serialized = originals.map((t) => tensorHandler.serialize(t));
    const back = (await worker.call(
      { type: 'echo', tensors: serialized.map((s) => s.data) },
      serialized.flatMap((s) => s.transfer),
    )) as SerializedTensor[];
    expect(back).toHaveLength(originals.length);
    for (const [i, data] of back.entries()) {
      const copy = tensorHandler.deserialize(data);
      await expectSame(copy, originals[i]!);
      copy.dispose();
    }
    // Transferring never took storage away from the tensors that were sent.
    for (const original of originals) expect(() => original.dataSync()).not.toThrow();
    tf.dispose(originals);
  });

  it('transfers the fresh copy wasm reads, and never a buffer the cpu backend still holds', async () => {
    await loadTf({ backend: 'wasm' });
    const onWasm = tf.tensor([1, 2, 3]);
    const sentFromWasm = tensorHandler.serialize(onWasm);
    expect(sentFromWasm.transfer).toEqual([(sentFromWasm.data.data as Float32Array).buffer]);

    await loadTf({ backend: 'cpu' });
    const onCpu = tf.tensor([4, 5, 6]);
    const sentFromCpu = tensorHandler.serialize(onCpu);
    expect(sentFromCpu.transfer).toEqual([]);
    const channel = new MessageChannel();
    channel.port1.postMessage(sentFromCpu.data, sentFromCpu.transfer);
    expect(Array.from(onCpu.dataSync())).toEqual([4, 5, 6]);
    channel.port1.close();
    tf.dispose([onWasm, onCpu]);
    await loadTf({ backend: 'wasm' });
  });

  it('refuses a complex64 tensor with an error that says to send real and imaginary parts', async () => {
    await loadTf({ backend: 'cpu' });
    const z = tf.complex([1], [2]);
    expect(() => tensorHandler.serialize(z)).toThrow(/tf\.real\(t\) and tf\.imag\(t\)/);
    z.dispose();
    await loadTf({ backend: 'wasm' });
  });

  it('refuses a disposed tensor with TensorDisposedError', () => {
    const t = tf.ones([2]);
    t.dispose();
    expect(() => tensorHandler.serialize(t)).toThrow(TensorDisposedError);
  });

  it('rejects data that does not describe a tensor with TensorDecodeError', () => {
    const bad: unknown[] = [
      null,
      { dtype: 'float16', shape: [1], data: new Float32Array(1) },
      { dtype: 'float32', shape: [2, 2], data: new Float32Array(3) },
      { dtype: 'float32', shape: [-1], data: new Float32Array(0) },
      { dtype: 'int32', shape: [1], data: new Float32Array(1) },
      { dtype: 'string', shape: [1], data: [1] },
    ];
    for (const value of bad) {
      expect(() => decodeSerializedTensor(value), JSON.stringify(value)).toThrow(TensorDecodeError);
      expect(() => tensorHandler.deserialize(value as SerializedTensor)).toThrow(TensorDecodeError);
    }
  });
});
