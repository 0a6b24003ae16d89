import type { LogItem } from '../../protocol/messages.ts';
import { currentTask } from './task-context.ts';

const levels = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Sends what tasks print to the head, tagged with the task, as Ray streams worker logs to the
 * driver. The worker's own console stays quiet so each line shows once, on the page.
 */
export function captureConsole(send: (item: LogItem) => void): void {
  for (const level of levels) {
    console[level] = (...args: unknown[]) => {
      send({ type: 'log', taskId: currentTask()?.taskId ?? null, level, text: args.map(format).join(' '), time: Date.now() });
    };
  }
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as unknown as ArrayLike<number>;
    const head = Array.from({ length: Math.min(array.length, 8) }, (_, i) => array[i]);
    return `${value.constructor.name}(${array.length}) [${head.join(', ')}${array.length > 8 ? ', …' : ''}]`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
