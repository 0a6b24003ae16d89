import { describe, expect, it } from 'vitest';
import { decodeNotebook, NotebookFormatError, parseNotebookJson, stringifyNotebook } from '../../src/notebook/format.ts';

const good = { format: 'raybox-notebook', version: 1, title: 'T', cells: [{ type: 'markdown', source: '# Hi' }, { type: 'code', language: 'typescript', source: ['const a = 1;', 'a'] }] };

describe('decodeNotebook', () => {
  it('reads a notebook, joining sources given as lines', () => {
    expect(decodeNotebook(good)).toEqual({
      format: 'raybox-notebook',
      version: 1,
      title: 'T',
      cells: [
        { type: 'markdown', source: '# Hi' },
        { type: 'code', language: 'typescript', source: 'const a = 1;\na' },
      ],
    });
  });

  it('round-trips through its own text', () => {
    const file = decodeNotebook(good);
    expect(parseNotebookJson(stringifyNotebook(file))).toEqual(file);
  });

  it.each([
    ['text that is not JSON', 'hello', /not JSON/],
    ['JSON that is not an object', '[1, 2]', /holds no object/],
    ['an object without the format', '{"cells": []}', /not a raybox notebook/],
    ['a Jupyter notebook', '{"nbformat": 4, "cells": []}', /Jupyter notebook/],
    ['a newer version', '{"format": "raybox-notebook", "version": 9, "cells": []}', /newer raybox/],
    ['cells that are not a list', '{"format": "raybox-notebook", "version": 1, "cells": {}}', /"cells" is not a list/],
    ['an unknown cell type', '{"format": "raybox-notebook", "version": 1, "cells": [{"type": "plot"}]}', /cell 1 has type "plot"/],
    ['an unknown language', '{"format": "raybox-notebook", "version": 1, "cells": [{"type": "code", "language": "python"}]}', /language "python"/],
    ['a source that is a number', '{"format": "raybox-notebook", "version": 1, "cells": [{"type": "code", "source": 3}]}', /neither text nor a list/],
  ])('refuses %s, saying why', (_, text, message) => {
    expect(() => parseNotebookJson(text)).toThrow(NotebookFormatError);
    expect(() => parseNotebookJson(text)).toThrow(message);
  });
});
