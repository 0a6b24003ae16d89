import { describe, expect, it } from 'vitest';
import { EnvelopeBatcher, type Envelope } from '../../src/protocol/envelope-batcher.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/messages.ts';

const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('EnvelopeBatcher', () => {
  it('posts the items of a turn as one envelope at its end, in order, with their transfers', async () => {
    const posted: [Envelope, Transferable[]][] = [];
    const batcher = new EnvelopeBatcher<number>((envelope, transfer) => posted.push([envelope, transfer]));
    const a = new ArrayBuffer(8);
    const b = new ArrayBuffer(8);
    batcher.send(1, [a]);
    batcher.send(2);
    batcher.send(3, [b]);
    expect(posted).toEqual([]);
    await turn();
    batcher.send(4);
    await turn();
    expect(posted).toEqual([
      [[PROTOCOL_VERSION, [1, 2, 3]], [a, b]],
      [[PROTOCOL_VERSION, [4]], []],
    ]);
  });

  it('posts what waits at once on flush, and what comes after it at the end of the turn', async () => {
    const posted: unknown[] = [];
    const batcher = new EnvelopeBatcher<number>((envelope) => posted.push(envelope[1]));
    batcher.send(1);
    batcher.send(2);
    batcher.flush();
    expect(posted).toEqual([[1, 2]]);
    batcher.send(3);
    batcher.send(4);
    expect(posted).toHaveLength(1);
    await turn();
    expect(posted).toEqual([[1, 2], [3, 4]]);
    batcher.flush();
    expect(posted).toHaveLength(2);
  });

  it('holds everything until released, then sends it first', async () => {
    const posted: number[][] = [];
    const batcher = new EnvelopeBatcher<number>((envelope) => posted.push(envelope[1] as number[]), { held: true });
    batcher.send(1);
    batcher.send(2);
    await turn();
    expect(posted).toEqual([]);
    batcher.release();
    batcher.send(3);
    await turn();
    expect(posted).toEqual([[1, 2], [3]]);
  });

  it('sends again one by one when a batch cannot travel, replacing only the item that cannot', async () => {
    const posted: string[][] = [];
    const batcher = new EnvelopeBatcher<string>(
      (envelope) => {
        if (envelope[1].includes('bad')) throw new DOMException('could not be cloned', 'DataCloneError');
        posted.push(envelope[1] as string[]);
      },
      { unsendable: (item, error) => `${item} refused: ${(error as Error).name}` },
    );
    batcher.send('a');
    batcher.send('bad');
    batcher.send('c');
    await turn();
    expect(posted).toEqual([['a'], ['bad refused: DataCloneError'], ['c']]);
  });
});
