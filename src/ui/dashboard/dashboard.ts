import type { NodeInfo, RayboxEvent, TaskState } from '../../core/events.ts';
import { el } from '../dom.ts';
import { DrawThrottle } from './draw-throttle.ts';
import { ActorTable } from './actor-table.ts';
import { DataView } from './data-view.ts';
import { LogStore } from './log-store.ts';
import { NodeTable } from './node-table.ts';
import { ObjectStats } from './object-stats.ts';
import { TaskCounts, taskStates } from './task-counts.ts';
import { DEFAULT_CAPACITY, TaskTable } from './task-table.ts';
import { TimelineModel } from './timeline-model.ts';
import { TimelineView } from './timeline-view.ts';
import { TrainView } from './train-view.ts';
import { TrialPanel } from './trial-table.ts';
import { VirtualList } from './virtual-list.ts';
import { ServePanel } from './serve-panel.ts';
import { describePath } from './serve-store.ts';

/** What the dashboard reads: the event stream, and the node list for nodes that joined before it listened. */
export interface DashboardSource {
  onEvent(listener: (event: RayboxEvent) => void): () => void;
  /** The same stream in batches (one call per turn); preferred when there. */
  onEventBatch?(listener: (events: readonly RayboxEvent[]) => void, options?: { types?: readonly RayboxEvent['type'][] }): () => void;
  nodes(): NodeInfo[];
  /**
   * The object store's totals. When given, the Objects panel reads them as it draws instead of
   * folding two object events per task, which the page then never builds.
   */
  objectStoreStats?(): { count: number; bytes: number };
}

/**
 * Which event types the dashboard folds: 'metric' is the notebook's charts', and 'object' only
 * from a source without `objectStoreStats`. Every type is named, so a new one cannot be missed.
 */
const FOLDS: Record<RayboxEvent['type'], boolean> = { task: true, node: true, actor: true, log: true, serve: true, trial: true, data: true, train: true, metric: false, object: false };
const FOLDED_TYPES = (Object.keys(FOLDS) as RayboxEvent['type'][]).filter((type) => FOLDS[type]);

/** How often the Objects panel looks at the store's totals when no task runs (a `put` changes them too). */
const OBJECTS_POLL_MS = 1000;

export interface DashboardOptions {
  /** The clock for durations and running bars. @default Date.now */
  now?: () => number;
  /** Tasks listed and task runs drawn on the timeline, the most recent first; counts stay exact. @default 10_000 */
  capacity?: number;
  /** Least time between two redraws, ms (a redraw also waits for an animation frame). @default 250 */
  drawIntervalMs?: number;
  /**
   * Least time between two redraws while events stream in (over `BUSY_EVENTS_PER_SECOND`).
   * @default 1000, or `drawIntervalMs` when that is given: a caller who sets the pace keeps it
   */
  busyDrawIntervalMs?: number;
}

/**
 * Events a second above which the page is busy and the dashboard redraws less often. Each redraw
 * restyles, lays out, paints and rasters, and on a machine of two cores the raster and compositor
 * threads take the core the page's own workers need. Measured side by side here (medians of five
 * rounds), redrawing once a second instead of four times raised the notebook page's rate of actor
 * calls from 0.61 to 0.79 of the bare page's. Once a second still reads as live for counts that
 * move that fast; a page doing little redraws four times a second.
 */
const BUSY_EVENTS_PER_SECOND = 4000;
const BUSY_DRAW_INTERVAL_MS = 1000;

/** Four redraws a second at most: they read as live, and leave the main thread to the tasks. */
const DRAW_INTERVAL_MS = 250;

type Panel = 'nodes' | 'tasks' | 'timeline' | 'objects' | 'actors' | 'trials' | 'logs' | 'serve' | 'data' | 'train';

const ROW_HEIGHT = 22;

/**
 * Ray's dashboard for this page, drawn from `onEvent` alone: Nodes (cores, backend, busy
 * workers), Tasks (counts by state and a virtualised list), Timeline, Objects, Actors, Tune's
 * Trials, Logs, Serve and Data (datasets' operators, `data-view.ts`).
 * Events are folded into small stores as they come; the DOM is redrawn at most once a frame.
 * (Events do not say which TensorFlow.js backend a node ended up with, so the Nodes table also
 * reads `nodes()` when events arrive.)
 */
export class Dashboard {
  readonly element: HTMLElement;
  readonly tasks: TaskTable;
  readonly counts: TaskCounts;
  readonly timeline: TimelineModel;
  readonly logs = new LogStore();
  readonly data = new DataView();
  readonly train = new TrainView();
  #source: DashboardSource;
  #now: () => number;
  #nodes = new NodeTable();
  #actors = new ActorTable();
  #objects = new ObjectStats();
  #nodesBody = el('tbody', { 'data-nodes': '' });
  #countsList = el('dl', { className: 'rb-counts', 'data-task-counts': '' });
  #infeasible = el('p', { className: 'rb-infeasible', 'data-infeasible': '', role: 'status' });
  #taskList: VirtualList;
  #countValues = new Map<TaskState, HTMLElement>();
  #taskTotal = el('span', { className: 'rb-muted', 'data-task-total': '' });
  #tasksDropped = el('p', { className: 'rb-muted rb-dropped-note', 'data-tasks-dropped': '', hidden: true });
  #logsDropped = el('p', { className: 'rb-muted rb-dropped-note', 'data-logs-dropped': '', hidden: true });
  #timelineView: TimelineView;
  #objectsText = el('p', { 'data-objects': '' }, '0 objects, 0.0 MiB');
  #actorsBody = el('tbody', { 'data-actors': '' });
  #logList: VirtualList;
  readonly serve = new ServePanel((actorId) => this.#actors.get(actorId));
  readonly trials = new TrialPanel();
  #dirty: Record<Panel, boolean> = { nodes: true, tasks: true, timeline: true, actors: true, objects: true, trials: true, logs: true, serve: true, data: true, train: true };
  /**
   * Panels on screen; one off screen is not drawn (its stores still fold events) until it shows.
   * Where an IntersectionObserver watches them, none counts as shown until it says so.
   */
  #visible: Record<Panel, boolean> = { nodes: true, tasks: true, timeline: true, actors: true, objects: true, trials: true, logs: true, serve: true, data: true, train: true };
  #observer: IntersectionObserver | undefined;
  #frame: DrawThrottle;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #unsubscribe: () => void;
  #storeStats: (() => { count: number; bytes: number }) | undefined;
  #objectsPoll: ReturnType<typeof setInterval> | undefined;
  #objectsShown = { count: -1, bytes: -1 };
  readonly #drawIntervalMs: number;
  readonly #busyDrawIntervalMs: number;
  #eventsSinceDraw = 0;
  #lastDrawAt = -Infinity;

  constructor(source: DashboardSource, options: DashboardOptions = {}) {
    this.#source = source;
    this.#now = options.now ?? Date.now;
    this.#drawIntervalMs = options.drawIntervalMs ?? DRAW_INTERVAL_MS;
    this.#busyDrawIntervalMs = options.busyDrawIntervalMs ?? (options.drawIntervalMs === undefined ? BUSY_DRAW_INTERVAL_MS : this.#drawIntervalMs);
    this.#frame = new DrawThrottle(() => this.#draw(), this.#drawIntervalMs);
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.tasks = new TaskTable(capacity);
    this.counts = new TaskCounts((taskId) => this.tasks.stateOf(taskId));
    this.timeline = new TimelineModel(capacity);
    // A Serve request's path labels its replica call's bar on the timeline.
    this.serve.store.onPath = (path) => {
      this.timeline.note(path.taskId, describePath(path));
      this.#dirty.timeline = true;
    };
    this.#taskList = new VirtualList({ rowHeight: ROW_HEIGHT, label: 'Task list', className: 'rb-task-list', renderRow: (i, row) => this.#taskRow(i, row) });
    this.#logList = new VirtualList({ rowHeight: ROW_HEIGHT, label: 'Log lines', className: 'rb-log-list', renderRow: (i, row) => this.#logRow(i, row) });
    this.#timelineView = new TimelineView(this.timeline, this.#now);
    const logFilter = el('input', { type: 'search', placeholder: 'Filter by task name or id', 'aria-label': 'Filter logs by task', className: 'rb-log-filter' });
    logFilter.addEventListener('input', () => {
      this.logs.setFilter(logFilter.value);
      this.#dirty.logs = true;
      this.#frame.schedule();
    });
    for (const state of taskStates) this.#countValues.set(state, el('dd', { 'data-state': state }, '0'));
    this.#countsList.replaceChildren(...taskStates.flatMap((state) => [el('dt', { className: `rb-state-${state}` }, state), this.#countValues.get(state) ?? el('dd')]));
    this.element = el(
      'div',
      { className: 'rb-dashboard-panel' },
      section('Nodes', el('table', { className: 'rb-table' }, el('thead', {}, el('tr', {}, ...['node', 'where', 'CPU', 'workers', 'backend', 'busy'].map((h) => el('th', {}, h)))), this.#nodesBody)),
      section(
        'Tasks',
        this.#countsList,
        this.#infeasible,
        el('div', { className: 'rb-task-head rb-grid-row' }, ...['name', 'state', 'node', 'worker', 'duration', 'error'].map((h) => el('span', {}, h))),
        this.#taskList.element,
        this.#taskTotal,
        this.#tasksDropped,
      ),
      section('Timeline', this.#timelineView.element),
      section('Objects', this.#objectsText),
      section('Actors', el('table', { className: 'rb-table' }, el('thead', {}, el('tr', {}, ...['actor', 'state', 'node', 'worker'].map((h) => el('th', {}, h)))), this.#actorsBody)),
      section('Trials', ...this.trials.content),
      section('Logs', logFilter, this.#logList.element, this.#logsDropped),
      section('Serve', this.serve.element),
      section('Data', this.data.element),
      section('Train', this.train.element),
    );
    this.#watchVisibility();
    this.#nodes.seed(source.nodes());
    const storeStats = source.objectStoreStats?.bind(source);
    const types = storeStats ? FOLDED_TYPES : [...FOLDED_TYPES, 'object' as const];
    this.#unsubscribe = source.onEventBatch ? source.onEventBatch((events) => this.applyBatch(events), { types }) : batched(source, (events) => this.applyBatch(events));
    if (storeStats) {
      this.#storeStats = storeStats;
      this.#objectsPoll = setInterval(() => {
        const { count, bytes } = storeStats();
        if (count !== this.#objectsShown.count || bytes !== this.#objectsShown.bytes) this.#markDirty('objects');
      }, OBJECTS_POLL_MS);
    }
    this.#frame.schedule();
  }

  destroy(): void {
    this.#unsubscribe();
    clearInterval(this.#objectsPoll);
    this.#observer?.disconnect();
    this.#frame.cancel();
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.element.remove();
  }

  /** The least time to the next redraw now: longer while events stream in fast. */
  get drawIntervalMs(): number {
    return this.#frame.intervalMs;
  }

  /** Redraws every panel that changed now, shown or not (tests call it instead of waiting for a frame). */
  drawNow(): void {
    this.#draw(true);
  }

  /** Folds a batch of events into the stores (O(1) each) and asks for one frame. */
  applyBatch(events: readonly RayboxEvent[]): void {
    this.#eventsSinceDraw += events.length;
    let changed = false;
    for (const event of events) changed = this.#apply(event) || changed;
    // Tasks make and free objects: the store's totals are worth a look at the next draw.
    if (changed && this.#storeStats) this.#dirty.objects = true;
    if (changed) this.#frame.schedule();
  }

  #markDirty(panel: Panel): void {
    this.#dirty[panel] = true;
    this.#frame.schedule();
  }

  #apply(given: RayboxEvent): boolean {
    let event = given;
    switch (event.type) {
      case 'task': {
        // An actor's method calls run in the actor's worker, which their RUNNING event may leave
        // out (a call pending has no worker yet, and copying its event would cost for nothing).
        if (event.state === 'RUNNING' && event.workerId === undefined && event.actorId !== undefined) {
          const workerId = this.#actors.workerOf(event.actorId);
          if (workerId !== undefined) event = { ...event, workerId };
        }
        const counted = this.counts.apply(event);
        const listed = this.tasks.apply(event);
        if (counted || listed) this.#dirty.tasks = true;
        if (this.timeline.apply(event)) this.#dirty.timeline = true;
        if (this.#nodes.apply(event)) this.#dirty.nodes = true;
        return counted || listed || this.#dirty.timeline || this.#dirty.nodes;
      }
      case 'node':
        return this.#nodes.apply(event) && (this.#dirty.nodes = true);
      case 'object':
        return this.#objects.apply(event) && (this.#dirty.objects = true);
      case 'actor':
        if (this.serve.watches(event.actorId)) this.#dirty.serve = true;
        return this.#actors.apply(event) && (this.#dirty.actors = true);
      case 'log':
        return this.logs.apply(event) && (this.#dirty.logs = true);
      case 'serve':
        return this.serve.apply(event) && (this.#dirty.serve = true);
      case 'trial':
        return this.trials.table.apply(event) && (this.#dirty.trials = true);
      case 'metric':
        return false;
      case 'data':
        return this.data.apply(event) && (this.#dirty.data = true);
      case 'train':
        return this.train.apply(event) && (this.#dirty.train = true);
    }
  }

  #watchVisibility(): void {
    if (typeof IntersectionObserver === 'undefined') return;
    for (const panel of Object.keys(this.#visible) as Panel[]) this.#visible[panel] = false;
    this.#observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const panel = (entry.target as HTMLElement).dataset['panel'] as Panel | undefined;
        if (panel === undefined) continue;
        this.#visible[panel] = entry.isIntersecting;
        if (entry.isIntersecting && this.#dirty[panel]) this.#frame.schedule();
      }
    });
    for (const element of this.element.querySelectorAll<HTMLElement>('[data-panel]')) this.#observer.observe(element);
  }

  #draw(all = false): void {
    this.#paceDraws();
    const dirty = this.#dirty;
    const show = (panel: Panel) => dirty[panel] && (all || this.#visible[panel]);
    if (show('nodes')) this.#drawNodes();
    if (show('tasks')) this.#drawTasks();
    if ((dirty.timeline || this.timeline.running) && (all || this.#visible.timeline)) {
      this.#timelineView.draw();
      dirty.timeline = false;
    }
    if (show('objects')) {
      const { count, bytes } = this.#storeStats?.() ?? this.#objects;
      this.#objectsShown = { count, bytes };
      const text = `${count} objects, ${formatBytes(bytes)}`;
      if (this.#objectsText.textContent !== text) this.#objectsText.textContent = text;
      dirty.objects = false;
    }
    if (show('actors')) this.#drawActors();
    if (show('trials')) {
      this.trials.draw();
      dirty.trials = false;
    }
    if (show('logs')) this.#drawLogs();
    if (show('serve')) {
      this.serve.draw();
      dirty.serve = false;
    }
    if (show('data')) {
      this.data.draw();
      dirty.data = false;
    }
    if (show('train')) {
      this.train.draw();
      dirty.train = false;
    }
    // Running tasks' bars and durations grow with the clock: redraw a few times a second while they run.
    if (this.timeline.running && this.#ticker === undefined) {
      this.#ticker = setInterval(() => {
        this.#dirty.tasks = true;
        this.#frame.schedule();
        if (!this.timeline.running) {
          clearInterval(this.#ticker);
          this.#ticker = undefined;
        }
      }, 250);
    }
  }

  /** Redraws less often while events stream in fast (see `BUSY_EVENTS_PER_SECOND`), as often as asked otherwise. */
  #paceDraws(): void {
    const now = this.#now();
    const seconds = (now - this.#lastDrawAt) / 1000;
    // Over a second at least: a short burst right after a redraw is not a busy page.
    const busy = this.#eventsSinceDraw > BUSY_EVENTS_PER_SECOND * Math.max(1, seconds);
    this.#frame.intervalMs = busy ? Math.max(this.#drawIntervalMs, this.#busyDrawIntervalMs) : this.#drawIntervalMs;
    this.#eventsSinceDraw = 0;
    this.#lastDrawAt = now;
  }

  #drawNodes(): void {
    this.#dirty.nodes = false;
    this.#nodes.seed(this.#source.nodes());
    this.#nodesBody.replaceChildren(
      ...this.#nodes.rows().map(({ info, running, busyWorkers }) => {
        const busy = el('meter', { min: 0, max: Math.max(1, info.numWorkers), value: Math.min(busyWorkers, info.numWorkers), title: `${busyWorkers} busy workers, ${running} tasks running` });
        return el(
          'tr',
          { className: info.alive ? '' : 'rb-dead', 'data-node': info.nodeId },
          el('td', {}, info.nodeId),
          el('td', {}, info.label || (info.isLocal ? 'this page' : 'peer')),
          el('td', {}, String(info.resources['CPU'] ?? 0)),
          el('td', {}, String(info.numWorkers)),
          el('td', {}, info.backend ?? '—'),
          el('td', {}, busy, ` ${busyWorkers}/${info.numWorkers}`),
        );
      }),
    );
  }

  #drawTasks(): void {
    this.#dirty.tasks = false;
    for (const [state, dd] of this.#countValues) {
      const text = String(this.counts.count(state));
      if (dd.textContent !== text) dd.textContent = text;
    }
    this.#infeasible.textContent = this.counts.infeasibleReasons().join('\n');
    this.#taskList.setCount(this.tasks.length);
    this.#taskTotal.textContent = `${this.tasks.length.toLocaleString()} tasks`;
    const dropped = this.tasks.dropped;
    this.#tasksDropped.hidden = dropped === 0;
    if (dropped > 0) this.#tasksDropped.textContent = `Listing the most recent ${this.tasks.capacity.toLocaleString()} tasks; ${dropped.toLocaleString()} earlier ones are in the counts above but not listed.`;
  }

  #drawLogs(): void {
    this.#dirty.logs = false;
    this.#logList.setCount(this.logs.length);
    const dropped = this.logs.dropped;
    this.#logsDropped.hidden = dropped === 0;
    if (dropped > 0) this.#logsDropped.textContent = `${dropped.toLocaleString()} log lines not kept (at most ${this.logs.maxLines.toLocaleString()} in all, ${this.logs.maxPerTask.toLocaleString()} per task).`;
  }

  #taskRow(i: number, row: HTMLElement): void {
    const task = this.tasks.row(i);
    const duration = this.tasks.duration(i, this.#now());
    row.className = `rb-vlist-row rb-grid-row rb-task-${task.state}`;
    row.dataset['taskId'] = task.taskId;
    setCells(row, [task.name, task.state, task.nodeId, task.workerId, duration === null ? '' : formatSeconds(duration), task.error]);
    row.title = task.error || task.taskId;
  }

  #logRow(i: number, row: HTMLElement): void {
    const line = this.logs.line(i);
    if (!line) return;
    row.className = `rb-vlist-row rb-log-row rb-log-${line.level}`;
    setCells(row, [new Date(line.time).toLocaleTimeString(), `${line.name} ${line.taskId}`, line.text]);
    row.title = `${line.name} (${line.taskId}) on ${line.nodeId}/${line.workerId}`;
  }

  #drawActors(): void {
    this.#dirty.actors = false;
    this.#actorsBody.replaceChildren(
      ...this.#actors.rows().map((actor) =>
        el(
          'tr',
          { 'data-actor': actor.actorId, className: `rb-actor-${actor.state}`, title: actor.reason ?? '' },
          el('td', {}, actor.name ? `${actor.className} "${actor.name}"` : actor.className),
          el('td', {}, actor.state),
          el('td', {}, actor.nodeId ?? '—'),
          el('td', {}, actor.workerId ?? '—'),
        ),
      ),
    );
  }
}

function section(title: string, ...content: Node[]): HTMLElement {
  return el('section', { className: 'rb-dash-section', 'aria-label': title, 'data-panel': title.toLowerCase() }, el('h2', {}, title), ...content);
}

/** A batch feed made of a per-event one: the events of a turn, handed over at its end. */
function batched(source: DashboardSource, listener: (events: readonly RayboxEvent[]) => void): () => void {
  let queue: RayboxEvent[] = [];
  return source.onEvent((event) => {
    queue.push(event);
    if (queue.length > 1) return;
    queueMicrotask(() => {
      const events = queue;
      queue = [];
      listener(events);
    });
  });
}

/** Fills a row's cells in place: rows are reused as the list scrolls. */
function setCells(row: HTMLElement, texts: string[]): void {
  while (row.children.length < texts.length) row.append(el('span'));
  while (row.children.length > texts.length) row.lastElementChild?.remove();
  texts.forEach((text, i) => {
    const cell = row.children[i] as HTMLElement;
    if (cell.textContent !== text) cell.textContent = text;
  });
}

function formatSeconds(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(2)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 2 ** 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
