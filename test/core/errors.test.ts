import { describe, expect, it } from 'vitest';
import { errorFromData, errorToData, RayboxError, TaskError, type ErrorData } from '../../src/core/errors.ts';
import { SignalingConfigError } from '../../src/net/signaling-config.ts';
import { WireDecodeError } from '../../src/net/wire-codec.ts';
import { InterruptedError } from '../../src/notebook/kernel.ts';
import { NotebookFormatError } from '../../src/notebook/format.ts';
import { ProtocolError } from '../../src/protocol/validate.ts';
import { EnvError, EnvNotFoundError } from '../../src/rl/env/errors.ts';
import { AlgorithmConfigError } from '../../src/rl/errors.ts';

/** What a boundary does to an error: data, through JSON as a peer would send it, and back. */
function across(error: unknown): Error {
  return errorFromData(JSON.parse(JSON.stringify(errorToData(error))) as ErrorData);
}

describe('errors across a boundary', () => {
  it('every error of the protocol, net, rl and notebook layers is a RayboxError', () => {
    const errors = [
      new ProtocolError('p'),
      new WireDecodeError('w'),
      new SignalingConfigError('?signal=', 'x', 'bad'),
      new EnvError('e'),
      new InterruptedError(),
      new NotebookFormatError('n'),
      new AlgorithmConfigError('training.lr', 'bad'),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(RayboxError);
  });

  it('comes back as its own class, with its fields', () => {
    const env = across(new EnvNotFoundError('Nope-v0', ['CartPole-v1']));
    expect(env).toBeInstanceOf(EnvNotFoundError);
    expect(env).toBeInstanceOf(EnvError);
    expect((env as EnvNotFoundError).id).toBe('Nope-v0');
    expect((env as EnvNotFoundError).registeredIds).toEqual(['CartPole-v1']);
    expect(across(new InterruptedError())).toBeInstanceOf(InterruptedError);
    expect(across(new NotebookFormatError('n'))).toBeInstanceOf(NotebookFormatError);
    expect(across(new ProtocolError('p'))).toBeInstanceOf(ProtocolError);
    const config = across(new SignalingConfigError('?ice=', 'x', 'bad'));
    expect(config).toBeInstanceOf(SignalingConfigError);
    expect((config as SignalingConfigError).setting).toBe('?ice=');
    const algo = across(new AlgorithmConfigError('training.lr', 'bad'));
    expect((algo as AlgorithmConfigError).setting).toBe('training.lr');
  });

  it("keeps a task's own error as the cause of its TaskError, across further hops too", () => {
    const data = errorToData(new EnvNotFoundError('Nope-v0', []));
    const error = new TaskError({ remoteName: data.name, remoteMessage: data.message, remoteStack: data.stack ?? '', remoteDetails: data.details, taskName: 'f', nodeId: 'n' });
    expect(error.cause).toBeInstanceOf(EnvNotFoundError);
    const again = across(error);
    expect(again).toBeInstanceOf(TaskError);
    expect(again.cause).toBeInstanceOf(EnvNotFoundError);
    expect((again.cause as EnvNotFoundError).id).toBe('Nope-v0');
  });

  it('rebuilds an unknown or hostile name as a plain Error, and details never replace what it says', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const error = errorFromData({ name, message: 'm' });
      expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
      expect(error.message).toBe('m');
    }
    const hostile = JSON.parse('{"name":"EnvError","message":"m","details":{"__proto__":{"polluted":1},"message":"other","name":"X"}}') as ErrorData;
    const error = errorFromData(hostile);
    expect(error).toBeInstanceOf(EnvError);
    expect(error.message).toBe('m');
    expect(error.name).toBe('EnvError');
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });

  it('serialises what is not an Error', () => {
    expect(errorToData('just a string')).toEqual({ name: 'Error', message: 'A non-Error value was thrown: just a string' });
  });
});
