import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/ui/markdown.ts';
import { renderError, renderValue } from '../../src/ui/value-view.ts';

describe('renderValue', () => {
  it('shows primitives by kind, strings quoted', () => {
    expect(renderValue(42).textContent).toBe('42');
    expect(renderValue(42).className).toBe('rb-v-number');
    expect(renderValue('hi').textContent).toBe('"hi"');
    expect(renderValue(null).textContent).toBe('null');
    expect(renderValue(10n).textContent).toBe('10n');
    expect(renderValue(function square(x: number) { return x * x; }).textContent).toBe('ƒ square(x)');
  });

  it('shows an array of records as a table', () => {
    const table = renderValue([{ word: 'is', count: 10 }, { word: 'better', count: 8 }]);
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['', 'word', 'count']);
    expect([...table.querySelectorAll('tbody tr')].map((tr) => tr.textContent)).toEqual(['0"is"10', '1"better"8']);
  });

  it('summarises typed arrays and tensors', () => {
    expect(renderValue(new Float32Array([1, 2, 3, 4])).textContent).toBe('Float32Array(4) [1, 2, 3, 4]  min 1  max 4  mean 2.5');
    const tensor = { shape: [2, 2], dtype: 'float32', size: 4, isDisposed: false, dataSync: () => new Float32Array([1, 2, 3, 4]) };
    expect(renderValue(tensor).textContent).toBe('Tensor float32 [2, 2] [1, 2, 3, 4]  min 1  max 4  mean 2.5');
  });

  it('shows an object as a tree that builds its children when opened', () => {
    const nested = { a: 1, b: { c: [1, 2, 3], d: 'x' }, e: Array.from({ length: 20 }, (_, i) => i) };
    const tree = renderValue(nested) as HTMLDetailsElement;
    expect(tree.tagName).toBe('DETAILS');
    expect(tree.open).toBe(true);
    const child = tree.querySelector<HTMLDetailsElement>('.rb-v-entries details');
    expect(child?.open).toBe(false);
    expect(child?.querySelector('.rb-v-entries')).toBeNull();
    if (child) {
      child.open = true;
      child.dispatchEvent(new Event('toggle'));
    }
    expect(child?.querySelector('.rb-v-entries')?.textContent).toContain('d: "x"');
    // A short value that its summary shows in full stays closed.
    expect((renderValue([1, 4, 9]) as HTMLDetailsElement).open).toBe(false);
  });

  it("shows a task's error with the remote stack and the task that raised it", () => {
    const error = Object.assign(new Error('Task failed'), {
      name: 'TaskError',
      remoteName: 'RangeError',
      remoteMessage: 'x is too large',
      remoteStack: 'RangeError: x is too large\n    at boom (worker.js:2:9)',
      taskName: 'boom',
      nodeId: 'n1',
    });
    const box = renderError(error);
    expect(box.querySelector('.rb-error-head')?.textContent).toBe('RangeError: x is too large');
    expect(box.querySelector('.rb-error-where')?.textContent).toBe('raised in task boom on node n1 (TaskError)');
    expect(box.querySelector('[data-remote-stack]')?.textContent).toContain('at boom (worker.js:2:9)');
  });
});

describe('renderMarkdown', () => {
  it('renders headings, emphasis, code, lists, tables and links', () => {
    const root = renderMarkdown('# Title\n\nSome **bold**, *em* and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[Ray](https://ray.io)');
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelector('p strong')?.textContent).toBe('bold');
    expect(root.querySelector('p em')?.textContent).toBe('em');
    expect(root.querySelector('p code')?.textContent).toBe('code');
    expect([...root.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(root.querySelector('td')?.textContent).toBe('1');
    expect(root.querySelector('a')?.getAttribute('href')).toBe('https://ray.io');
  });

  it('never turns text into markup or script links', () => {
    const root = renderMarkdown('<img src=x onerror="alert(1)"> [click](javascript:alert(1))');
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('a')).toBeNull();
    expect(root.textContent).toContain('<img src=x onerror="alert(1)">');
  });
});
