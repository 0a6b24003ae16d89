/**
 * Power of two choices: of two distinct random candidates, the one with fewer requests in flight.
 * Returns -1 when no index is eligible.
 */
export function pickTwo(load: readonly number[], eligible: (index: number) => boolean, random: () => number = Math.random): number {
  const candidates: number[] = [];
  load.forEach((_, i) => {
    if (eligible(i)) candidates.push(i);
  });
  if (candidates.length === 0) return -1;
  if (candidates.length === 1) return candidates[0] as number;
  const a = Math.floor(random() * candidates.length);
  let b = Math.floor(random() * (candidates.length - 1));
  if (b >= a) b += 1;
  const first = candidates[a] as number;
  const second = candidates[b] as number;
  return (load[second] ?? 0) < (load[first] ?? 0) ? second : first;
}
