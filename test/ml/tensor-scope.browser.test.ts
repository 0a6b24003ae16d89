import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { collectTensors, loadTf, runInTensorScope, type Tf } from '../../src/ml/index.ts';
import { startMlWorker } from './fixtures/ml-worker-client.ts';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

// Worker start-up and first backend initialisation take seconds on a busy 2-core machine.
describe('runInTensorScope', { timeout: 30_000 }, () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = await loadTf();
  });

  it('leaves tf.memory().numTensors unchanged after 100 runs that make temporaries across awaits', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      await runInTensorScope(async () => {
        const x = tf.randomNormal([8, 8]);
        await tick();
        const y = tf.matMul(x, x).relu();
        await y.data();
        return (await y.sum().data())[0];
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps a returned tensor alive, and only it', async () => {
    const before = tf.memory().numTensors;
    const result = await runInTensorScope(async () => {
      const a = tf.ones([3]);
      await tick();
      return a.mul(2);
    });
    expect(result.isDisposed).toBe(false);
    expect(Array.from(await result.data())).toEqual([2, 2, 2]);
    expect(tf.memory().numTensors).toBe(before + 1);
    result.dispose();
  });

  it('keeps tensors nested in arrays, objects, Maps and Sets of the result', async () => {
    const before = tf.memory().numTensors;
    const result = await runInTensorScope(async () => {
      await tick();
      tf.zeros([100]); // dropped
      return { list: [tf.scalar(1)], deep: { map: new Map([['k', tf.scalar(2)]]), set: new Set([tf.scalar(3)]) }, n: 4 };
    });
    const kept = collectTensors(result);
    expect(kept).toHaveLength(3);
    expect(kept.every((t) => !t.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose(kept);
  });

  it('keeps what options.keep reaches (an actor storing tensors in its fields)', async () => {
    const actor: { state?: Tensor } = {};
    const before = tf.memory().numTensors;
    await runInTensorScope(
      async () => {
        await tick();
        actor.state = tf.ones([2]).add(1);
      },
      { keep: actor },
    );
    expect(actor.state?.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before + 1);
    actor.state?.dispose();
  });

  it('never disposes variables (model weights) or tf.keep tensors', async () => {
    const before = tf.memory().numTensors;
    let variable: Tensor | undefined;
    let kept: Tensor | undefined;
    await runInTensorScope(async () => {
      await tick();
      variable = tf.variable(tf.zeros([2]));
      kept = tf.keep(tf.ones([2]));
    });
    expect(variable?.isDisposed).toBe(false);
    expect(kept?.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([variable!, kept!]);
  });

  it('cleans up after a run that throws, and rethrows', async () => {
    const before = tf.memory().numTensors;
    await expect(
      runInTensorScope(async () => {
        tf.ones([4]);
        await tick();
        throw new Error('task failed');
      }),
    ).rejects.toThrow('task failed');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets overlapping runs share one scope that closes when the last ends, keeping both results', async () => {
    const before = tf.memory().numTensors;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = runInTensorScope(async () => {
      tf.ones([5]);
      await gate;
      return tf.scalar(1);
    });
    const fast = await runInTensorScope(async () => {
      tf.ones([5]);
      await tick();
      return tf.scalar(2);
    });
    release();
    const slowResult = await slow;
    expect(fast.isDisposed).toBe(false);
    expect(slowResult.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([fast, slowResult]);
  });

  it('restores the scope stack when the run left a startScope open', async () => {
    const before = tf.memory().numTensors;
    const depth = tf.engine().state.scopeStack.length;
    await runInTensorScope(async () => {
      tf.engine().startScope();
      tf.ones([3]);
      await tick();
    });
    expect(tf.engine().state.scopeStack.length).toBe(depth);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts tracking when the run itself loads tf (a task touching tf for the first time)', async () => {
    const worker = startMlWorker();
    try {
      const reply = (await worker.call({ type: 'scope-loading-tf' })) as { numTensors: number; result: number };
      expect(reply).toEqual({ numTensors: 1, result: 7 });
    } finally {
      worker.terminate();
    }
  });
});
