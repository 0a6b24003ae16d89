import { RayboxError } from '../core/errors.ts';

/**
 * Errors of `raybox.data`. Each extends `RayboxError`, carries a literal `name` (so a data error
 * raised inside a task is rebuilt as the same class on the consuming call, see `rethrowDataError`)
 * and says what to do next.
 */
export class DataError extends RayboxError {
  override name: string = 'DataError';
}

/** A source that cannot be read: a missing file or directory, a URL that answers with an error. */
export class DataSourceError extends DataError {
  override readonly name = 'DataSourceError' as const;
}

/** A CSV record whose number of fields differs from the header's. */
export class CsvParseError extends DataError {
  override readonly name = 'CsvParseError' as const;
}

/** A column named in a call that the dataset does not have. */
export class ColumnNotFoundError extends DataError {
  override readonly name = 'ColumnNotFoundError' as const;
}

/** A batch function returned something that is not a batch: columns of unequal length, a non-object. */
export class BatchShapeError extends DataError {
  override readonly name = 'BatchShapeError' as const;
}

/** `batchFormat` is not one of `'rows'`, `'columns'`, `'arrow'`. */
export class BatchFormatError extends DataError {
  override readonly name = 'BatchFormatError' as const;
}

/** A write that could not finish; the destination was removed again. */
export class DataWriteError extends DataError {
  override readonly name = 'DataWriteError' as const;
}

const byName: Record<string, new (message: string) => DataError> = {
  DataSourceError,
  CsvParseError,
  ColumnNotFoundError,
  BatchShapeError,
  BatchFormatError,
  DataWriteError,
};

/**
 * A data error raised inside a task reaches the page as a `TaskError` naming it; the consuming
 * call rethrows it as the data error itself, so users catch `CsvParseError`, not a wrapper.
 */
export function rethrowDataError(error: unknown): never {
  const remote = error as { name?: string; remoteName?: string; remoteMessage?: string };
  if (remote?.name === 'TaskError' && remote.remoteName && remote.remoteName in byName) {
    const DataClass = byName[remote.remoteName];
    if (DataClass) throw new DataClass(remote.remoteMessage ?? String(error));
  }
  throw error;
}
