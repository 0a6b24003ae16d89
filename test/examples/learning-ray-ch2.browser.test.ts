/**
 * Learning Ray, chapter 2 ("Getting Started with Ray Core"), ported line by line to raybox and
 * checked against the book's outputs. Times are printed, as the book does, never asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, put, remote, shutdown, wait, type ActorHandle, type ObjectRef } from '../../src/index.ts';
import { zenOfPython } from './zen-of-python.ts';


const database = ['Learning', 'Ray', 'Flexible', 'Distributed', 'Python', 'for', 'Machine', 'Learning'];

beforeAll(async () => {
  // The book runs on a laptop with 8 or more cores; eight workers give each retrieval its own.
  await init({ numWorkers: 8 });
});
afterAll(async () => {
  await shutdown();
});

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

// def retrieve_task(item, db): time.sleep(item / 10.); return item, db[item]
const retrieveTask = remote(async function retrieveTask(item: number, db: string[]): Promise<[number, string]> {
  await new Promise((r) => setTimeout(r, (item / 10) * 1000));
  return [item, db[item] as string];
});

function printRuntime(input: unknown, start: number): void {
  console.log(`Runtime: ${((performance.now() - start) / 1000).toFixed(2)} seconds, data:`, JSON.stringify(input));
}

describe('Learning Ray, chapter 2', () => {
  it('retrieves sequentially (about 2.8 s in the book)', async () => {
    const retrieve = async (item: number): Promise<[number, string]> => {
      await sleep(item / 10);
      return [item, database[item] as string];
    };
    const start = performance.now();
    const data = [];
    for (let item = 0; item < 8; item++) data.push(await retrieve(item));
    printRuntime(data, start);
    expect(data).toEqual(database.map((word, i) => [i, word]));
  });

  it('retrieves with tasks and a put database (about 0.7 s in the book)', async () => {
    const start = performance.now();
    const dbObjectRef = put(database);
    const objectReferences = [0, 1, 2, 3, 4, 5, 6, 7].map((item) => retrieveTask.remote(item, dbObjectRef));
    const data = await get(objectReferences);
    printRuntime(data, start);
    expect(data).toEqual(database.map((word, i) => [i, word]));
  });

  it('takes results as they come with wait(numReturns: 2, timeout: 7)', async () => {
    const start = performance.now();
    const dbObjectRef = put(database);
    let objectReferences: ObjectRef<[number, string]>[] = [0, 1, 2, 3, 4, 5, 6, 7].map((item) => retrieveTask.remote(item, dbObjectRef));
    const allData: [number, string][] = [];
    const batches: number[] = [];
    while (objectReferences.length > 0) {
      const { ready: finished, notReady } = await wait(objectReferences, { numReturns: Math.min(2, objectReferences.length), timeout: 7 });
      objectReferences = notReady;
      const data = await get(finished);
      printRuntime(data, start);
      batches.push(data.length);
      allData.push(...data);
    }
    expect(batches).toEqual([2, 2, 2, 2]);
    expect(allData.sort((a, b) => a[0] - b[0])).toEqual(database.map((word, i) => [i, word]));
  });

  it('passes refs from task to task (follow-up tasks)', async () => {
    const dbObjectRef = put(database);
    const followUpTask = remote(async function followUpTask(retrieveResult: [number, string]) {
      const [originalItem] = retrieveResult;
      const db = ['Learning', 'Ray', 'Flexible', 'Distributed', 'Python', 'for', 'Machine', 'Learning'];
      await new Promise((r) => setTimeout(r, ((originalItem + 1) / 10) * 1000));
      return [retrieveResult, [originalItem + 1, db[originalItem + 1]]];
    });
    const retrieveRefs = [0, 2, 4, 6].map((item) => retrieveTask.remote(item, dbObjectRef));
    const followUpRefs = retrieveRefs.map((ref) => followUpTask.remote(ref));
    const result = await get(followUpRefs);
    for (const data of result) console.log(JSON.stringify(data));
    expect(result).toEqual([
      [[0, 'Learning'], [1, 'Ray']],
      [[2, 'Flexible'], [3, 'Distributed']],
      [[4, 'Python'], [5, 'for']],
      [[6, 'Machine'], [7, 'Learning']],
    ]);
  });

  it('counts calls with the DataTracker actor (8)', async () => {
    class DataTracker {
      counts_ = 0;
      increment() {
        this.counts_ += 1;
      }
      counts() {
        return this.counts_;
      }
    }
    const retrieveTrackerTask = remote(async function retrieveTrackerTask(item: number, tracker: ActorHandle<DataTracker>, db: string[]) {
      await new Promise((r) => setTimeout(r, (item / 10) * 1000));
      tracker.increment.remote();
      return [item, db[item]];
    });
    const tracker = remote(DataTracker).remote();
    const dbObjectRef = put(database);
    const objectReferences = [0, 1, 2, 3, 4, 5, 6, 7].map((item) => retrieveTrackerTask.remote(item, tracker, dbObjectRef));
    const data = await get(objectReferences);
    console.log(JSON.stringify(data));
    expect(await get(tracker.counts.remote())).toBe(8);
  });

  it('counts the words of the Zen of Python with MapReduce in three partitions', async () => {
    const corpus = zenOfPython.split(/\s+/).filter(Boolean);
    const numPartitions = 3;
    const chunk = Math.floor(corpus.length / numPartitions);
    const partitions = Array.from({ length: numPartitions }, (_, i) => corpus.slice(i * chunk, (i + 1) * chunk));

    const applyMap = remote(function applyMap(corpus: string[], numPartitions = 3) {
      function* mapFunction(document: string): Generator<[string, number]> {
        for (const word of document.toLowerCase().split(/\s+/).filter(Boolean)) yield [word, 1];
      }
      const mapResults: [string, number][][] = Array.from({ length: numPartitions }, () => []);
      for (const document of corpus) {
        for (const result of mapFunction(document)) {
          const firstLetter = result[0][0] as string;
          const wordIndex = firstLetter.charCodeAt(0) % numPartitions;
          mapResults[wordIndex]!.push(result);
        }
      }
      return mapResults;
    });
    const mapResults = partitions.map((data) => applyMap.options({ numReturns: numPartitions }).remote(data, numPartitions));

    const applyReduce = remote(function applyReduce(...results: [string, number][][]) {
      const reduceResults: Record<string, number> = {};
      for (const res of results) {
        for (const [key, value] of res) reduceResults[key] = (reduceResults[key] ?? 0) + value;
      }
      return reduceResults;
    });
    const outputs = [];
    for (let i = 0; i < numPartitions; i++) {
      outputs.push(applyReduce.remote(...mapResults.map((partition) => partition[i] as ObjectRef<[string, number][]>)));
    }
    const counts: Record<string, number> = {};
    for (const output of await get(outputs)) Object.assign(counts, output);
    const sortedCounts = Object.entries(counts).sort((a, b) => b[1] - a[1]);
    for (const [word, count] of sortedCounts.slice(0, 6)) console.log(`${word}: ${count}`);
    expect(sortedCounts.slice(0, 4)).toEqual([
      ['is', 10],
      ['better', 8],
      ['than', 8],
      ['the', 6],
    ]);
  });
});
