import { describe, expect, it } from 'vitest';
import { variableRows } from '../../src/ui/variable-inspector.ts';
import { SHORTCUTS } from '../../src/ui/shortcut-help.ts';
import { readFileSync } from 'node:fs';

describe('variableRows', () => {
  it('lists names sorted, with type and size', () => {
    class Point {
      x = 1;
    }
    const rows = variableRows({ text: 'abc', list: [1, 2], map: new Map([[1, 2]]), bytes: new Float32Array(4), point: new Point(), fn: () => 1, nothing: undefined });
    expect(rows.map((row) => [row.name, row.type, row.size])).toEqual([
      ['bytes', 'Float32Array', '16 bytes'],
      ['fn', 'function', ''],
      ['list', 'Array', '2 items'],
      ['map', 'Map', '1 entries'],
      ['nothing', 'undefined', ''],
      ['point', 'Point', '1 keys'],
      ['text', 'string', '3 chars'],
    ]);
  });
});

describe('the README lists the keyboard shortcuts', () => {
  it('has a row for every shortcut of the help dialog', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const shortcut of SHORTCUTS.filter((s) => s.mode !== 'Anywhere')) expect(readme).toContain(`| ${shortcut.keys} |`);
  });
});
