import type { Rng } from '../env/index.ts';
import type { SampleBatch } from '../env-runner/sample-batch.ts';

/** A minibatch of transitions drawn from a replay buffer. */
export interface Transitions {
  count: number;
  obs: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  /** 1 where the transition ended the episode (no bootstrap). */
  terminateds: Float32Array;
}

/**
 * A uniform experience replay buffer (DQN's): a ring of `capacity` transitions in preallocated
 * typed arrays; once full, each new transition overwrites the oldest. Sampling draws with
 * replacement from the injected random source, so a seeded run replays the same minibatches.
 *
 * @example
 * const buffer = new ReplayBuffer(50_000, 4);
 * buffer.add(batch);                      // a DQN SampleBatch (with nextObs, terminateds)
 * const minibatch = buffer.sample(32, rng);
 */
export class ReplayBuffer {
  readonly capacity: number;
  readonly obsSize: number;
  readonly #obs: Float32Array;
  readonly #nextObs: Float32Array;
  readonly #actions: Int32Array;
  readonly #rewards: Float32Array;
  readonly #terminateds: Float32Array;
  #next = 0;
  #size = 0;
  #added = 0;

  constructor(capacity: number, obsSize: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ReplayBuffer: capacity must be a positive integer, got ${capacity}.`);
    this.capacity = capacity;
    this.obsSize = obsSize;
    this.#obs = new Float32Array(capacity * obsSize);
    this.#nextObs = new Float32Array(capacity * obsSize);
    this.#actions = new Int32Array(capacity);
    this.#rewards = new Float32Array(capacity);
    this.#terminateds = new Float32Array(capacity);
  }

  /** Transitions held now (at most `capacity`). */
  get size(): number {
    return this.#size;
  }

  /** Transitions ever added. */
  get added(): number {
    return this.#added;
  }

  /** Appends every transition of `batch`, which must carry `nextObs` and `terminateds`. */
  add(batch: SampleBatch): void {
    const { nextObs, terminateds } = batch;
    if (!nextObs || !terminateds) throw new TypeError('ReplayBuffer.add needs a batch with nextObs and terminateds (a Q-learning batch).');
    if (batch.obsSize !== this.obsSize) throw new RangeError(`ReplayBuffer holds observations of ${this.obsSize} floats, the batch has ${batch.obsSize}.`);
    const size = this.obsSize;
    for (let i = 0; i < batch.count; i++) {
      const slot = this.#next;
      this.#obs.set(batch.obs.subarray(i * size, (i + 1) * size), slot * size);
      this.#nextObs.set(nextObs.subarray(i * size, (i + 1) * size), slot * size);
      this.#actions[slot] = batch.actions[i] as number;
      this.#rewards[slot] = batch.rewards[i] as number;
      this.#terminateds[slot] = terminateds[i] as number;
      this.#next = (slot + 1) % this.capacity;
    }
    this.#size = Math.min(this.capacity, this.#size + batch.count);
    this.#added += batch.count;
  }

  /** `count` transitions drawn uniformly with replacement. */
  sample(count: number, rng: Rng): Transitions {
    if (this.#size === 0) throw new RangeError('ReplayBuffer.sample: the buffer is empty; add experience first.');
    const size = this.obsSize;
    const out: Transitions = {
      count,
      obs: new Float32Array(count * size),
      actions: new Int32Array(count),
      rewards: new Float32Array(count),
      nextObs: new Float32Array(count * size),
      terminateds: new Float32Array(count),
    };
    for (let i = 0; i < count; i++) {
      const j = rng.int(this.#size);
      out.obs.set(this.#obs.subarray(j * size, (j + 1) * size), i * size);
      out.nextObs.set(this.#nextObs.subarray(j * size, (j + 1) * size), i * size);
      out.actions[i] = this.#actions[j] as number;
      out.rewards[i] = this.#rewards[j] as number;
      out.terminateds[i] = this.#terminateds[j] as number;
    }
    return out;
  }
}
