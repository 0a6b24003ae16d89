import { button, el } from './dom.ts';

export interface Command {
  name: string;
  /** The key that does the same, shown beside the name. */
  keys?: string;
  run(): void;
}

/**
 * The command palette (Ctrl/Cmd+Shift+P, or P in command mode): every notebook command by name,
 * filtered as one types; Enter runs the first match. As in JupyterLab and VS Code.
 */
export class CommandPalette {
  readonly element: HTMLDialogElement;
  #commands: () => Command[];
  #input = el('input', { type: 'search', 'aria-label': 'Command', placeholder: 'Type a command', className: 'rb-find-input' });
  #list = el('ul', { className: 'rb-palette-list', role: 'listbox', 'aria-label': 'Commands' });

  constructor(commands: () => Command[]) {
    this.#commands = commands;
    this.element = el('dialog', { className: 'rb-help rb-palette', 'aria-label': 'Command palette' }, this.#input, this.#list);
    this.#input.addEventListener('input', () => this.#draw());
    this.#input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      const first = this.#matches()[0];
      if (first) this.#run(first);
    });
  }

  get open(): boolean {
    return this.element.open;
  }

  show(): void {
    if (this.element.open) return;
    this.#input.value = '';
    this.#draw();
    this.element.showModal();
    this.#input.focus();
  }

  close(): void {
    this.element.close();
  }

  #matches(): Command[] {
    const words = this.#input.value.toLowerCase().split(/\s+/).filter(Boolean);
    return this.#commands().filter((command) => words.every((word) => command.name.toLowerCase().includes(word)));
  }

  #run(command: Command): void {
    this.close();
    command.run();
  }

  #draw(): void {
    this.#list.replaceChildren(
      ...this.#matches().map((command) =>
        el('li', { role: 'none' }, button(command.name, () => this.#run(command), { text: command.keys ? `${command.name} · ${command.keys}` : command.name, className: 'rb-palette-item' })),
      ),
    );
  }
}
