import { el } from './dom.ts';

/**
 * The Markdown of text cells, rendered to DOM nodes (never to HTML strings, so a notebook cannot
 * inject markup): headings, paragraphs, lists, block quotes, fenced code, pipe tables, rules, and
 * inline code, bold, italic and links (http, https, relative and in-page only).
 */
export function renderMarkdown(source: string): HTMLElement {
  const root = el('div', { className: 'rb-markdown' });
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (/^\s*$/.test(line)) {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)\s*([\w-]*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).trimStart().startsWith(fence[1] as string)) body.push(lines[i++] as string);
      i++;
      root.append(el('pre', { className: 'rb-md-code' }, el('code', { 'data-language': fence[2] || undefined }, body.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = (heading[1] as string).length as 1 | 2 | 3 | 4 | 5 | 6;
      root.append(inline(el(`h${level}`), (heading[2] as string).replace(/\s+#+\s*$/, '')));
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      root.append(el('hr'));
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i] as string)) body.push((lines[i++] as string).replace(/^\s*>\s?/, ''));
      const quote = el('blockquote');
      quote.append(...renderMarkdown(body.join('\n')).childNodes);
      root.append(quote);
      continue;
    }
    if (isTableStart(lines, i)) {
      const rows: string[][] = [];
      rows.push(splitRow(line));
      i += 2;
      while (i < lines.length && /\|/.test(lines[i] as string) && !/^\s*$/.test(lines[i] as string)) rows.push(splitRow(lines[i++] as string));
      const [head = [], ...body] = rows;
      root.append(
        el(
          'table',
          { className: 'rb-md-table' },
          el('thead', {}, el('tr', {}, ...head.map((c) => inline(el('th'), c)))),
          el('tbody', {}, ...body.map((r) => el('tr', {}, ...r.map((c) => inline(el('td'), c))))),
        ),
      );
      continue;
    }
    const listItem = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;
    if (listItem.test(line)) {
      const ordered = /\d/.test((listItem.exec(line) as RegExpExecArray)[2] as string);
      const list = el(ordered ? 'ol' : 'ul');
      while (i < lines.length) {
        const match = listItem.exec(lines[i] as string);
        if (match) {
          list.append(inline(el('li'), match[3] as string));
          i++;
        } else if (/^\s{2,}\S/.test(lines[i] as string) && list.lastElementChild) {
          // A continuation line of the item above.
          inline(list.lastElementChild as HTMLElement, ` ${(lines[i] as string).trim()}`);
          i++;
        } else break;
      }
      root.append(list);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && !/^\s*$/.test(lines[i] as string) && !startsBlock(lines, i)) paragraph.push(lines[i++] as string);
    if (paragraph.length === 0) paragraph.push(lines[i++] as string);
    root.append(inline(el('p'), paragraph.join('\n')));
  }
  return root;
}

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i] as string;
  return /^(#{1,6}\s|\s*(```|~~~)|\s*>|\s*([-*+]|\d+[.)])\s+)/.test(line) || isTableStart(lines, i);
}

function isTableStart(lines: string[], i: number): boolean {
  return /\|/.test(lines[i] ?? '') && /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(lines[i + 1] ?? '');
}

function splitRow(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
}

const inlinePattern = /`([^`]+)`|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)|(\n)/;

/** Appends `text` to `parent` with inline Markdown turned into elements. */
function inline<E extends HTMLElement>(parent: E, text: string): E {
  let rest = text;
  for (let match = inlinePattern.exec(rest); match; match = inlinePattern.exec(rest)) {
    if (match.index > 0) parent.append(rest.slice(0, match.index));
    const [whole, code, bold1, bold2, em1, em2, linkText, href, newline] = match;
    if (code !== undefined) parent.append(el('code', {}, code));
    else if (bold1 !== undefined || bold2 !== undefined) parent.append(inline(el('strong'), (bold1 ?? bold2) as string));
    else if (em1 !== undefined || em2 !== undefined) parent.append(inline(el('em'), (em1 ?? em2) as string));
    else if (linkText !== undefined && href !== undefined) {
      const safe = /^(https?:\/\/|\/|\.{0,2}\/|#|\?)/i.test(href) || !/^[a-z][\w+.-]*:/i.test(href);
      parent.append(safe ? inline(el('a', { href, target: href.startsWith('#') ? undefined : '_blank', rel: 'noopener' }), linkText) : linkText);
    } else if (newline !== undefined) parent.append(' ');
    rest = rest.slice(match.index + whole.length);
  }
  if (rest) parent.append(rest);
  return parent;
}
