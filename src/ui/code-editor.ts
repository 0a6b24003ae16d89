import { javascript } from '@codemirror/lang-javascript';
import { markdown } from '@codemirror/lang-markdown';
import { Compartment, EditorState, Prec, type Extension } from '@codemirror/state';
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

  constructor(parent: HTMLElement, options: CodeEditorOptions) {
    const notebookKeys = Prec.highest(
      keymap.of([
        { key: 'Shift-Enter', run: () => (options.keys.runAndAdvance(), true) },
        { key: 'Mod-Enter', run: () => (options.keys.run(), true) },
        { key: 'Escape', run: () => (options.keys.escape(), true) },
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
          EditorView.updateListener.of((update) => {
            if (update.docChanged) options.onChange(update.state.doc.toString());
            if (update.focusChanged && update.view.hasFocus) options.onFocus?.();
          }),
          EditorView.contentAttributes.of({ 'aria-label': options.language === 'markdown' ? 'Text cell source' : 'Code cell source' }),
        ],
      }),
    });
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

  get hasFocus(): boolean {
    return this.view.hasFocus;
  }

  destroy(): void {
    this.view.destroy();
  }
}

function languageExtension(language: EditorLanguage): Extension {
  if (language === 'markdown') return markdown();
  return javascript({ typescript: language === 'typescript' });
}
