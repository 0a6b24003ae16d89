import { javascriptLanguage } from '@codemirror/lang-javascript';
import { transform } from 'sucrase';
import type { CodeLanguage } from './cell.ts';
import { LOOP_GUARD_NAME } from './loop-guard.ts';

/**
 * Turns the text of a code cell into the body of a function the kernel runs, with Jupyter's
 * semantics: names declared at the top level are shared with the cells run after it, top-level
 * `await` works, and the value of a last expression statement is the cell's result.
 *
 * The phases, in order:
 * 1. TypeScript loses its types (sucrase keeps line numbers, so errors still point at the cell).
 * 2. Lezer's JavaScript grammar gives the top-level statements.
 * 3. Each top-level declaration becomes an assignment to the shared scope (`const {a} = o`
 *    → `;({a} = o)`), imports become `await import()`, function declarations stay where they
 *    are (hoisted in the cell) and are copied to the scope first thing, and a last expression
 *    statement is returned. Every loop body, at any depth, starts with a loop guard (see
 *    loop-guard.ts), so "Interrupt" and the page's heartbeat can stop a loop in the cell itself.
 * 4. The result is compiled once, as the kernel will run it; a syntax error stops here, so a cell
 *    with one runs nothing.
 */

/** A cell ready to run: the function body, and the names it gives the shared scope. */
export interface CompiledCell {
  ok: true;
  /** The function body; the kernel wraps it (see `cellWrapper`). */
  body: string;
  /** Names assigned at the top level (variables, classes, imports): they exist in the scope before the cell runs. */
  declared: string[];
  /** Function declarations: hoisted in the cell, copied into the scope before anything else runs. */
  functions: string[];
}

/** A cell that does not parse. `line` and `column` count from 1; null where the parser could not tell. */
export interface CellSyntaxError {
  ok: false;
  message: string;
  line: number | null;
  column: number | null;
}

export type CompileResult = CompiledCell | CellSyntaxError;

/** The name the compiled body sees the kernel's cell context under; no cell can mean it by chance. */
export const CONTEXT_NAME = '__rayboxCell';

/** How many lines the wrapper puts before the cell's first line. */
export const WRAPPER_LINES = 1;

/**
 * A stack frame's line in the compiled cell minus this is the line in the cell: `new Function`
 * adds two header lines, then come the wrapper's.
 */
export const CELL_LINE_OFFSET = 2 + WRAPPER_LINES;

/** The file name stack frames give a compiled cell (its `sourceURL`). */
export function cellSourceUrl(id: number): string {
  return `raybox-cell-${id}.js`;
}

/**
 * The source of the function a cell runs as. `with` (allowed in sloppy-mode function bodies) makes
 * the shared scope object the innermost scope of the cell and of every closure it creates, so a
 * function defined in one cell sees the values later cells give its free names, as in Jupyter.
 */
export function cellWrapper(body: string, functions: string[]): string {
  const exports = functions.map((name) => `${CONTEXT_NAME}.scope[${JSON.stringify(name)}] = ${name};`).join(' ');
  return `with (${CONTEXT_NAME}.scope) { return (async () => { ${exports}\n${body}\n})(); }`;
}

const jsParser = javascriptLanguage.parser;
const tsParser = javascriptLanguage.parser.configure({ dialect: 'ts' });

/** A node of Lezer's syntax tree (its type, without depending on @lezer/common directly). */
type SyntaxNode = ReturnType<typeof jsParser.parse>['topNode'];

export function compileCell(source: string, language: CodeLanguage, helperNames: readonly string[] = []): CompileResult {
  // 1. Types off.
  let js = source;
  if (language === 'typescript') {
    try {
      js = transform(source, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true }).code;
    } catch (error) {
      return withToken(sucraseError(error), source, tsParser);
    }
  }

  // 2. Top-level statements.
  const tree = jsParser.parse(js);
  const firstError = findError(tree.topNode);
  const edits: Edit[] = [];
  const declared = new Set<string>();
  const functions: string[] = [];
  let last: SyntaxNode | null = null;
  let exportNode: SyntaxNode | null = null;

  // 3. Rewrite them.
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) {
    if (isSkippable(node.name)) continue;
    last = node;
    switch (node.name) {
      case 'VariableDeclaration':
        rewriteVariables(node, js, edits, declared);
        break;
      case 'FunctionDeclaration': {
        const name = node.getChild('VariableDefinition');
        if (name) functions.push(js.slice(name.from, name.to));
        break;
      }
      case 'ClassDeclaration': {
        const name = node.getChild('VariableDefinition');
        if (name) {
          const text = js.slice(name.from, name.to);
          declared.add(text);
          edits.push({ from: node.from, to: node.from, text: `;(${text} = ` }, { from: node.to, to: node.to, text: ')' });
        }
        break;
      }
      case 'ImportDeclaration':
        rewriteImport(node, js, edits, declared);
        break;
      case 'ExportDeclaration':
        exportNode ??= node;
        break;
      default:
        break;
    }
  }
  if (exportNode) {
    const { line, column } = lineColumn(js, exportNode.from);
    return {
      ok: false,
      message: "'export' is not needed in a notebook cell: names declared at the top level are already shared with the cells run after it. Remove 'export'.",
      line,
      column,
    };
  }
  guardLoops(tree.topNode, edits);
  if (last?.name === 'ExpressionStatement') {
    const expression = last.firstChild;
    if (expression) {
      edits.push({ from: expression.from, to: expression.from, text: 'return (' }, { from: expression.to, to: expression.to, text: ')' });
    }
  }
  const body = applyEdits(js, edits);

  // 4. Compile as the kernel will; this is the authoritative syntax check.
  const fnNames = functions.filter((name) => !declared.has(name));
  try {
    new Function(CONTEXT_NAME, ...helperNames, cellWrapper(body, fnNames));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (firstError !== null) {
      const { line, column } = lineColumn(js, firstError);
      // The engine read the rewritten cell (`;(x = ;)`), so its token may be one of ours: name the cell's.
      return withToken({ ok: false, message, line, column }, js, jsParser);
    }
    return { ok: false, message, line: null, column: null };
  }
  return { ok: true, body, declared: [...declared], functions: fnNames };
}

/** The call a loop turn makes; a no-op in realms without the guard (a worker running a cell's function). */
const LOOP_GUARD_CALL = `globalThis.${LOOP_GUARD_NAME}?.(${CONTEXT_NAME}.cell);`;

const loopNodes = new Set(['ForStatement', 'WhileStatement', 'DoStatement']);

/** Puts a loop guard first in the body of every loop, on the body's own line (line numbers stay). */
function guardLoops(top: SyntaxNode, edits: Edit[]): void {
  const cursor = top.cursor();
  do {
    if (!loopNodes.has(cursor.name)) continue;
    const loop = cursor.node;
    const body = loop.name === 'DoStatement' ? loop.firstChild?.nextSibling : loop.lastChild;
    if (!body) continue;
    if (body.name === 'Block') edits.push({ from: body.from + 1, to: body.from + 1, text: ` ${LOOP_GUARD_CALL} ` });
    else edits.push({ from: body.from, to: body.from, text: `{ ${LOOP_GUARD_CALL} ` }, { from: body.to, to: body.to, text: ' }' });
  } while (cursor.next());
}

interface Edit {
  from: number;
  to: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  // Later positions first so earlier offsets stay valid; at one position, keep insertion order.
  const ordered = edits.map((edit, index) => ({ edit, index })).sort((a, b) => b.edit.from - a.edit.from || b.index - a.index);
  let out = text;
  for (const { edit } of ordered) out = out.slice(0, edit.from) + edit.text + out.slice(edit.to);
  return out;
}

function isSkippable(name: string): boolean {
  return name === 'LineComment' || name === 'BlockComment' || name === ';';
}

const patternNodes = new Set(['VariableDefinition', 'ObjectPattern', 'ArrayPattern']);

/** `const a = 1, {b} = o, c;` → `;(a = 1, {b} = o, c = undefined);` */
function rewriteVariables(node: SyntaxNode, js: string, edits: Edit[], declared: Set<string>): void {
  const keyword = node.firstChild;
  if (!keyword) return;
  edits.push({ from: keyword.from, to: keyword.to, text: ';(' });
  let end = keyword.to;
  for (let child = keyword.nextSibling; child; child = child.nextSibling) {
    if (patternNodes.has(child.name)) {
      for (const name of boundNames(child, js)) declared.add(name);
      const next = nextSignificant(child);
      if (next?.name !== 'Equals') edits.push({ from: child.to, to: child.to, text: ' = undefined' });
      end = child.to;
    } else if (child.name !== ';' && child.name !== ',' && child.name !== 'Equals' && !isSkippable(child.name)) {
      end = child.to;
    }
  }
  edits.push({ from: end, to: end, text: ')' });
}

function nextSignificant(node: SyntaxNode): SyntaxNode | null {
  let next = node.nextSibling;
  while (next && (next.name === 'LineComment' || next.name === 'BlockComment')) next = next.nextSibling;
  return next;
}

/** The names a pattern binds, not counting parameters of functions in its default values. */
function boundNames(pattern: SyntaxNode, js: string): string[] {
  const names: string[] = [];
  const visit = (node: SyntaxNode) => {
    if (node.name === 'VariableDefinition') {
      names.push(js.slice(node.from, node.to));
      return;
    }
    if (node.name === 'ArrowFunction' || node.name === 'FunctionExpression' || node.name === 'ClassExpression') return;
    for (let child = node.firstChild; child; child = child.nextSibling) visit(child);
  };
  visit(pattern);
  return names;
}

/**
 * `import x, {a as b} from 'u'` → `;({default: x, a: b} = await import('u'));`, keeping the
 * statement's line count so later lines keep their numbers.
 */
function rewriteImport(node: SyntaxNode, js: string, edits: Edit[], declared: Set<string>): void {
  const specifier = node.getChild('String');
  if (!specifier) return;
  const url = js.slice(specifier.from, specifier.to);
  const properties: string[] = [];
  let namespace: string | null = null;
  let afterStar = false;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name === 'Star') afterStar = true;
    else if (child.name === 'VariableDefinition') {
      const name = js.slice(child.from, child.to);
      declared.add(name);
      if (afterStar) namespace = name;
      else properties.push(`default: ${name}`);
    } else if (child.name === 'ImportGroup') {
      let imported: string | null = null;
      for (let item = child.firstChild; item; item = item.nextSibling) {
        if (item.name === 'VariableName' || item.name === 'String') imported = js.slice(item.from, item.to);
        else if (item.name === 'VariableDefinition') {
          const local = js.slice(item.from, item.to);
          declared.add(local);
          properties.push(imported !== null && imported !== local ? `${imported}: ${local}` : local);
          imported = null;
        }
      }
    }
  }
  const load = `await import(${url})`;
  const parts: string[] = [];
  if (namespace !== null) parts.push(`${namespace} = ${load}`);
  if (properties.length > 0) parts.push(`({${properties.join(', ')}} = ${namespace ?? load})`);
  const statement = parts.length > 0 ? `;(${parts.join(', ')});` : `;${load};`;
  const lines = js.slice(node.from, node.to).split('\n').length - 1;
  edits.push({ from: node.from, to: node.to, text: statement + '\n'.repeat(lines) });
}

function findError(top: SyntaxNode): number | null {
  let found: number | null = null;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) {
      found = cursor.from;
      break;
    }
  } while (cursor.next());
  return found;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function sucraseError(error: unknown): CellSyntaxError {
  const message = error instanceof Error ? error.message : String(error);
  const loc = (error as { loc?: { line?: unknown; column?: unknown } } | null)?.loc;
  const line = typeof loc?.line === 'number' ? loc.line : null;
  const column = typeof loc?.column === 'number' ? loc.column + 1 : null;
  return { ok: false, message: message.replace(/\s*\(\d+:\d+\)$/, ''), line, column };
}

/**
 * An "Unexpected token" error named after the cell's own text: the token where Lezer's parser of
 * the same text first fails, with its line and column.
 */
function withToken(error: CellSyntaxError, text: string, parser: typeof jsParser): CellSyntaxError {
  if (!/^Unexpected token/.test(error.message)) return error;
  const at = findError(parser.parse(text).topNode);
  if (at === null) return error;
  const token = /^\s*([A-Za-z_$][\w$]*|\d+|\S)/.exec(text.slice(at))?.[1];
  const offset = at + (text.slice(at).length - text.slice(at).trimStart().length);
  const { line, column } = lineColumn(text, offset);
  return { ok: false, message: token ? `Unexpected token '${token}'` : 'Unexpected end of input', line, column };
}
