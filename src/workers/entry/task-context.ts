/**
 * The task a worker is running right now. Tasks of one worker run one at a time, except when a
 * task waits in `get`/`wait`: then the next one starts, and the waiting one takes the context back
 * when its answer comes. That is what lets `raybox.cancelled()` and nested submissions know their
 * task without any parameter.
 */
export class TaskContext {
  readonly taskId: string;
  readonly name: string;
  #abort: AbortController | undefined;

  constructor(taskId: string, name: string) {
    this.taskId = taskId;
    this.name = name;
  }

  /** Made on first use: most tasks are never cancelled and never read their signal, and a platform object per task costs about a microsecond of every synchronous round trip. */
  get abort(): AbortController {
    return (this.#abort ??= new AbortController());
  }
}

let current: TaskContext | null = null;

export function currentTask(): TaskContext | null {
  return current;
}

export function setCurrentTask(context: TaskContext | null): void {
  current = context;
}

/** Runs `wait` with the current task marked as waiting, then restores it as the current task. */
export async function whileBlocked<T>(wait: Promise<T>, onBlock: (context: TaskContext | null) => void, onResume: (context: TaskContext | null) => void): Promise<T> {
  const context = current;
  onBlock(context);
  try {
    return await wait;
  } finally {
    onResume(context);
    current = context;
  }
}
