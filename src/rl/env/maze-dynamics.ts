/**
 * The maze of *Learning Ray* (Pumperla, Oakes & Liaw), chapter 3: a seeker walks a 5×5 grid
 * from the top-left corner to the goal in the bottom-right. No walls inside; the grid's edges
 * stop a move. Kept apart from the Env class and rendering so the rules read on their own.
 */

/** Grid size, start and goal as (row, col), row 0 at the top. */
export const MAZE = Object.freeze({
  size: 5,
  start: Object.freeze([0, 0] as const),
  goal: Object.freeze([4, 4] as const),
});

/** A cell as [row, col]. */
export type MazeCell = readonly [row: number, col: number];

/** The book's action numbering: 0 down (row + 1), 1 left (col - 1), 2 up (row - 1), 3 right (col + 1). */
export type MazeAction = 0 | 1 | 2 | 3;

/** The cell after one move; a move off the grid leaves the seeker where it was on that axis. */
export function mazeMove([row, col]: MazeCell, action: MazeAction): MazeCell {
  const last = MAZE.size - 1;
  switch (action) {
    case 0:
      return [Math.min(row + 1, last), col];
    case 1:
      return [row, Math.max(col - 1, 0)];
    case 2:
      return [Math.max(row - 1, 0), col];
    case 3:
      return [row, Math.min(col + 1, last)];
    default:
      return assertNever(action);
  }
}

/** The book's observation: the cell's index in row-major order, 5 * row + col. */
export function mazeObservation([row, col]: MazeCell): number {
  return MAZE.size * row + col;
}

/** Whether the seeker stands on the goal. */
export function mazeAtGoal([row, col]: MazeCell): boolean {
  return row === MAZE.goal[0] && col === MAZE.goal[1];
}

function assertNever(value: never): never {
  throw new Error(`Unknown maze action: ${String(value)}`);
}
