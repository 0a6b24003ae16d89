/**
 * The script every raybox worker runs. It composes the runtime's worker entry with the layers
 * above it (TensorFlow.js comes in here), which the entry itself may not import.
 */
import { startWorker } from './workers/entry/start-worker.ts';

startWorker({});
