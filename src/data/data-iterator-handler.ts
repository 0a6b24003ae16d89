/**
 * The name a `DataIterator` travels under (its value handler's). Its own small module so that a
 * worker can name the handler, and load Ray Data only once such a value arrives.
 */
export const DATA_ITERATOR_HANDLER = 'raybox.data.DataIterator';
