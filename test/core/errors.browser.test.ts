import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, remote, shutdown, TaskError } from '../../src/index.ts';
import { NotebookFormatError } from '../../src/notebook/format.ts';
import { EnvError, EnvNotFoundError } from '../../src/rl/env/errors.ts';

declare const raybox: typeof import('../../src/index.ts');

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

describe('an error thrown in a worker task, seen on the page', () => {
  it('is a TaskError whose cause is the rl error itself, with its fields', async () => {
    const make = remote(() => raybox.rl.makeEnv('Nope-v0'));
    const error = await get(make.remote()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).remoteName).toBe('EnvNotFoundError');
    const cause = (error as TaskError).cause;
    expect(cause).toBeInstanceOf(EnvNotFoundError);
    expect(cause).toBeInstanceOf(EnvError);
    expect((cause as EnvNotFoundError).id).toBe('Nope-v0');
    expect((cause as EnvNotFoundError).registeredIds).toContain('CartPole-v1');
  });

  it('keeps the class of a notebook error by its name', async () => {
    const fail = remote(() => {
      const error = new Error('not a notebook');
      error.name = 'NotebookFormatError';
      throw error;
    });
    const error = await get(fail.remote()).catch((e: unknown) => e);
    expect((error as TaskError).cause).toBeInstanceOf(NotebookFormatError);
    expect(((error as TaskError).cause as Error).message).toBe('not a notebook');
  });

  it('leaves an error of the task’s own making a plain Error with its name', async () => {
    const fail = remote(() => {
      throw new RangeError('out of range');
    });
    const error = await get(fail.remote()).catch((e: unknown) => e);
    const cause = (error as TaskError).cause as Error;
    expect(cause.name).toBe('RangeError');
    expect(cause.message).toBe('out of range');
  });
});
