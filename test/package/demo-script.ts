/**
 * What a user's page runs against the package: a task, an actor and a TensorFlow.js task. It
 * prints one JSON line that the tests read from the console. `FROM` is how the page imports
 * raybox ('raybox' through a bundler, a relative path on a static host).
 */
export function demoScript(from: string): string {
  return `import { init, remote, get } from '${from}';
await init({ numWorkers: 2 });
const square = remote((x) => x * x);
class Counter {
  n = 0;
  add(k) { this.n += k; return this.n; }
}
const counter = remote(Counter).remote();
const tfSum = remote((xs) => ({ sum: tf.tensor(xs).sum().arraySync(), backend: tf.getBackend() }));
const squares = await get([1, 2, 3].map((x) => square.remote(x)));
await counter.add.remote(2);
const count = await get(counter.add.remote(5));
const tensor = await get(tfSum.remote([1, 2, 3.5]), { timeout: 60 });
console.log('raybox-demo ' + JSON.stringify({ squares, count, tensor }));
`;
}
