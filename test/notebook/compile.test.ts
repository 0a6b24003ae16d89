import { describe, expect, it } from 'vitest';
import { compileCell } from '../../src/notebook/compile.ts';

describe('compileCell', () => {
  it('turns top-level declarations into assignments to the shared scope', () => {
    const result = compileCell('const a = 1, {b, c: [d]} = o;\nlet e;\nclass F {}\nfunction g() {}\na + 1', 'javascript');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.declared.sort()).toEqual(['F', 'a', 'b', 'd', 'e']);
    expect(result.functions).toEqual(['g']);
    expect(result.body).toContain('return (a + 1)');
    expect(result.body).toContain(';( e = undefined);');
  });

  it('strips TypeScript types and keeps line numbers', () => {
    const result = compileCell('interface P {\n  x: number;\n}\nconst p: P = { x: 1 };\np.x as number', 'typescript');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.split('\n')).toHaveLength(5);
    expect(result.body).not.toContain('interface');
    expect(result.declared).toEqual(['p']);
  });

  it('rewrites imports to dynamic imports', () => {
    const result = compileCell("import x, { a as b, c } from 'https://example.com/m.js';\nimport * as N from './n.js';", 'javascript');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.declared.sort()).toEqual(['N', 'b', 'c', 'x']);
    expect(result.body).toContain("({default: x, a: b, c} = await import('https://example.com/m.js'))");
    expect(result.body).toContain("(N = await import('./n.js'))");
  });

  it('reports a syntax error with its line and column and compiles nothing', () => {
    const result = compileCell('const a = 1;\nconst b = (a + ;\n', 'javascript');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).toBe(2);
    expect(result.column).toBeGreaterThan(10);
    expect(result.message).toMatch(/Unexpected/);
  });

  it('reports a TypeScript syntax error with its position', () => {
    const result = compileCell('let a: = 1', 'typescript');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).toBe(1);
  });

  it('refuses export with advice', () => {
    const result = compileCell('export const a = 1', 'javascript');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/Remove 'export'/);
  });
});

describe('compileCell loop guards', () => {
  it('puts a guard first in every loop body, at any depth, without moving lines', () => {
    const source = 'for (let i = 0; i < 3; i++) x++;\nconst f = () => { while (a) {} };\ndo y(); while (b);';
    const result = compileCell(source, 'javascript');
    if (!result.ok) throw new Error(result.message);
    expect(result.body.match(/__rayboxLoop\?\.\(/g)).toHaveLength(3);
    expect(result.body.split('\n')).toHaveLength(3);
  });
});

describe('compileCell syntax errors', () => {
  it("names the cell's own unexpected token, in JavaScript and TypeScript", () => {
    for (const language of ['javascript', 'typescript'] as const) {
      const result = compileCell('const y = 1;\nconst x = ;', language);
      expect(result).toEqual({ ok: false, message: "Unexpected token ';'", line: 2, column: 11 });
    }
  });
});
