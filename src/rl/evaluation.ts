import type { Env, Rng } from './env/index.ts';
import type { ActingPolicy } from './models/acting-policy.ts';
import type { ObsEncoder } from './models/obs-encoder.ts';
import { summarise, type TrainResult } from './metrics.ts';

/** Options of `algo.evaluate`. */
export interface EvaluateOptions {
  /** Episodes to run. @default 10 */
  numEpisodes?: number;
  /** Sample actions instead of taking the best one. @default false */
  explore?: boolean;
  /**
   * Ends an episode (as truncated) after this many steps, for environments without a time
   * limit of their own. @default 100000
   */
  maxEpisodeSteps?: number;
}

/** What `algo.evaluate` returns: statistics over exactly the episodes it ran. */
export interface EvaluationResult extends Pick<TrainResult, 'episodeReturnMean' | 'episodeReturnMax' | 'episodeReturnMin' | 'episodeLenMean'> {
  numEpisodes: number;
  episodeReturns: number[];
  episodeLens: number[];
}

/**
 * Runs `numEpisodes` whole episodes of `env` with `policy`, one env step per policy call, and
 * summarises them. The first reset uses `seed`; later episodes carry on the env's random stream.
 */
export function runEpisodes(
  env: Env,
  policy: ActingPolicy,
  encoder: ObsEncoder,
  options: Required<EvaluateOptions> & { seed: number; epsilon?: number },
  rng: Rng,
): EvaluationResult {
  const returns: number[] = [];
  const lengths: number[] = [];
  const x = new Float32Array(encoder.size);
  for (let episode = 0; episode < options.numEpisodes; episode++) {
    let { obs } = env.reset(episode === 0 ? { seed: options.seed } : {});
    let total = 0;
    let steps = 0;
    for (;;) {
      encoder.encode(obs, x, 0);
      const action = policy.act(x, 1, { explore: options.explore, epsilon: options.epsilon ?? 0 }, rng).actions[0] as number;
      const step = env.step(action);
      total += step.reward;
      steps++;
      obs = step.obs;
      if (step.terminated || step.truncated || steps >= options.maxEpisodeSteps) break;
    }
    returns.push(total);
    lengths.push(steps);
  }
  const stats = summarise(returns.map((r, i) => ({ return: r, length: lengths[i] as number })));
  return { ...stats, numEpisodes: returns.length, episodeReturns: returns, episodeLens: lengths };
}
