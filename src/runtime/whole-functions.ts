/**
 * The functions and classes written whole inside a source the head sent, named as a worker would
 * name them after `remote()` (`core/function-descriptor.ts`: the hash of their text, or of the
 * wrapped text of a method). A peer may submit such a nested function, and nothing else: not a
 * fragment cut out of a larger function, nor code inside a string or a comment.
 */
import { parse } from 'acorn';
import { hashSource } from '../core/ids.ts';

interface AstNode {
  type: string;
  start: number;
  end: number;
  key?: AstNode;
  [field: string]: unknown;
}

const FUNCTIONS = new Set(['FunctionExpression', 'FunctionDeclaration', 'ArrowFunctionExpression', 'ClassExpression', 'ClassDeclaration']);
const METHOD_HOLDERS = new Set(['Property', 'MethodDefinition']);

/** The ids of every whole function and class inside `source` (a function's source, as it travels). */
export function wholeFunctionIds(source: string): Set<string> {
  const ids = new Set<string>();
  const code = `(${source}\n)`; // as a worker compiles it
  let program: AstNode;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as AstNode;
  } catch {
    return ids; // the head never sent code that does not parse
  }
  const add = (text: string) => {
    ids.add(hashSource(text));
    ids.add(hashSource(`Object.values({ ${text} })[0]`));
  };
  walk(program, undefined, (node, parent) => {
    if (!FUNCTIONS.has(node.type)) return;
    add(code.slice(node.start, node.end));
    // A method's text (what toString gives) starts at its key, after any `static`, with `async`,
    // `*`, `get` or `set` before the key kept: each whole form is allowed.
    if (parent && METHOD_HOLDERS.has(parent.type) && parent.key) {
      const whole = code.slice(parent.start, node.end);
      add(whole);
      add(whole.replace(/^static\s+/, ''));
      const keyStart = code[parent.key.start - 1] === '[' ? parent.key.start - 1 : parent.key.start;
      add(code.slice(keyStart, node.end));
    }
  });
  return ids;
}

function walk(node: AstNode, parent: AstNode | undefined, visit: (node: AstNode, parent: AstNode | undefined) => void): void {
  visit(node, parent);
  for (const key in node) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) walk(item, node, visit);
    } else if (isNode(value)) {
      walk(value, node, visit);
    }
  }
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
