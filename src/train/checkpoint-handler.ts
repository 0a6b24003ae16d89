/**
 * The name a training `Checkpoint` travels under (its value handler's). Its own small module so
 * that a worker can name the handler, and load raybox.train only once such a value arrives.
 */
export const CHECKPOINT_HANDLER = 'raybox.train.Checkpoint';
