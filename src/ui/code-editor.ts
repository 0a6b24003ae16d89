import { closeCompletion } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { markdown } from '@codemirror/lang-markdown';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Prec, type Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';

export type EditorLanguage = 'javascript' | 'typescript' | 'markdown';

export interface EditorKeys {
  /** Ctrl/Cmd+Enter: run the cell and stay. */
  run(): void;
  /** Shift+Enter: run the cell and move to the next. */
  runAndAdvance(): void;
  /** Escape: leave the editor for command mode. */
  escape(): void;
}

export interface CodeEditorOptions {
  doc: string;
  language: EditorLanguage;
  keys: EditorKeys;
  onChange(text: string): void;
  onFocus?(): void;
}

/**
 * The editor of one cell: CodeMirror 6 with highlighting, bracket matching and closing, the undo
 * history and search, plus the notebook's keys, which take precedence over CodeMirror's own.
 */
export class CodeEditor {
  readonly view: EditorView;
  #language = new Compartment();
  #theme = new Compartment();

  constructor(parent: HTMLElement, options: CodeEditorOptions) {
    const notebookKeys = Prec.highest(
      keymap.of([
        // Running or leaving closes the completion popup, which would stay over the outputs.
        { key: 'Shift-Enter', run: (view) => (closeCompletion(view), options.keys.runAndAdvance(), true) },
        { key: 'Mod-Enter', run: (view) => (closeCompletion(view), options.keys.run(), true) },
        { key: 'Escape', run: (view) => (closeCompletion(view), options.keys.escape(), true) },
      ]),
    );
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: options.doc,
        extensions: [
          notebookKeys,
          basicSetup,
          this.#language.of(languageExtension(options.language)),
          EditorView.lineWrapping,
          this.#theme.of(themeFor(prefersDark())),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) options.onChange(update.state.doc.toString());
            if (update.focusChanged && update.view.hasFocus) options.onFocus?.();
          }),
          EditorView.contentAttributes.of({ 'aria-label': options.language === 'markdown' ? 'Text cell source' : 'Code cell source' }),
        ],
      }),
    });
    liveEditors.add(this);
    watchColorScheme();
  }

  /** Follows the system's light or dark mode (called when it changes). */
  setDark(dark: boolean): void {
    this.view.dispatch({ effects: this.#theme.reconfigure(themeFor(dark)) });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  set text(text: string) {
    if (text === this.text) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  setLanguage(language: EditorLanguage): void {
    this.view.dispatch({ effects: this.#language.reconfigure(languageExtension(language)) });
  }

  focus(): void {
    this.view.focus();
  }

  /** Selects `from`..`to` and scrolls it into view (find and replace shows a match this way). */
  select(from: number, to: number): void {
    const length = this.view.state.doc.length;
    this.view.dispatch({ selection: { anchor: Math.min(from, length), head: Math.min(to, length) }, scrollIntoView: true });
  }

  get hasFocus(): boolean {
    return this.view.hasFocus;
  }

  destroy(): void {
    liveEditors.delete(this);
    this.view.destroy();
  }
}

function languageExtension(language: EditorLanguage): Extension {
  if (language === 'markdown') return markdown();
  return javascript({ typescript: language === 'typescript' });
}

/** Token colours readable on the dark theme's editor background (theme.css); light keeps CodeMirror's. */
const darkHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#c792ea' },
  { tag: [tags.string, tags.special(tags.string)], color: '#a5e08a' },
  { tag: [tags.number, tags.bool, tags.null], color: '#f5a97f' },
  { tag: [tags.comment], color: '#7f8ea3', fontStyle: 'italic' },
  { tag: [tags.definition(tags.variableName), tags.function(tags.variableName)], color: '#82aaff' },
  { tag: [tags.typeName, tags.className], color: '#ffcb6b' },
  { tag: [tags.propertyName], color: '#89ddff' },
  { tag: [tags.heading], color: '#82aaff', fontWeight: 'bold' },
  { tag: [tags.link, tags.url], color: '#89ddff', textDecoration: 'underline' },
  { tag: [tags.operator, tags.punctuation], color: '#cbd5e1' },
]);

function themeFor(dark: boolean): Extension {
  return dark ? [syntaxHighlighting(darkHighlight), EditorView.theme({}, { dark: true })] : [];
}

const liveEditors = new Set<CodeEditor>();
let watching = false;

function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

/** One listener for the page: when the system switches mode, every open editor follows. */
function watchColorScheme(): void {
  if (watching || typeof matchMedia !== 'function') return;
  watching = true;
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (event) => {
    for (const editor of liveEditors) editor.setDark(event.matches);
  });
}
