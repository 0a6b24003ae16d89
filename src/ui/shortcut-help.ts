import { button, el } from './dom.ts';

/** The notebook's keys, as the help dialog and the README list them. */
export const SHORTCUTS: readonly { mode: 'Edit mode' | 'Command mode' | 'Anywhere'; keys: string; does: string }[] = [
  { mode: 'Edit mode', keys: 'Shift+Enter', does: 'run the cell and go to the next (a new one after the last)' },
  { mode: 'Edit mode', keys: 'Ctrl/Cmd+Enter', does: 'run the cell' },
  { mode: 'Edit mode', keys: 'Escape', does: 'leave the editor for command mode' },
  { mode: 'Edit mode', keys: 'Ctrl/Cmd+Z', does: "undo in this cell's editor (never another cell)" },
  { mode: 'Command mode', keys: 'Enter', does: 'edit the selected cell' },
  { mode: 'Command mode', keys: 'Shift+Enter / Ctrl+Enter', does: 'run and go to the next / run' },
  { mode: 'Command mode', keys: '↑ ↓ (K J)', does: 'select the cell above / below' },
  { mode: 'Command mode', keys: 'A / B', does: 'add a code cell above / below' },
  { mode: 'Command mode', keys: 'M / Y', does: 'make the cell text / code' },
  { mode: 'Command mode', keys: 'D D', does: 'delete the cell' },
  { mode: 'Command mode', keys: 'Z (or Ctrl/Cmd+Z)', does: 'undo the last cell deletion' },
  { mode: 'Command mode', keys: 'O', does: "collapse or expand the cell's output" },
  { mode: 'Command mode', keys: 'I I', does: 'interrupt' },
  { mode: 'Command mode', keys: 'F', does: 'find and replace in all cells' },
  { mode: 'Command mode', keys: 'V', does: 'show or hide the variable inspector' },
  { mode: 'Command mode', keys: 'H', does: 'this list of shortcuts' },
  { mode: 'Command mode', keys: 'P (or Ctrl/Cmd+Shift+P)', does: 'the command palette: every command by name' },
  { mode: 'Anywhere', keys: 'Escape', does: 'close this list, or the find bar' },
];

/** The keyboard-shortcut help (`H`), a modal dialog. */
export class ShortcutHelp {
  readonly element: HTMLDialogElement;

  constructor() {
    const modes = [...new Set(SHORTCUTS.map((s) => s.mode))];
    this.element = el(
      'dialog',
      { className: 'rb-help', 'aria-label': 'Keyboard shortcuts', 'data-shortcuts': '' },
      el('h2', {}, 'Keyboard shortcuts'),
      ...modes.map((mode) =>
        el(
          'section',
          {},
          el('h3', {}, mode),
          el('dl', {}, ...SHORTCUTS.filter((s) => s.mode === mode).flatMap((s) => [el('dt', {}, el('kbd', {}, s.keys)), el('dd', {}, s.does)])),
        ),
      ),
      button('Close', () => this.close()),
    );
  }

  get open(): boolean {
    return this.element.open;
  }

  show(): void {
    if (!this.element.open) this.element.showModal();
  }

  close(): void {
    this.element.close();
  }
}
