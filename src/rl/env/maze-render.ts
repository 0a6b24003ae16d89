import type { MazeCell } from './maze-dynamics.ts';
import { MAZE } from './maze-dynamics.ts';

/**
 * Draws the maze as a grid filling `ctx.canvas` (cells stretch if the canvas is not square):
 * the goal cell shaded green, the seeker a blue disc.
 */
export function renderMaze(ctx: CanvasRenderingContext2D, seeker: MazeCell): void {
  const { width, height } = ctx.canvas;
  const cellW = width / MAZE.size;
  const cellH = height / MAZE.size;

  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  const [goalRow, goalCol] = MAZE.goal;
  ctx.fillStyle = '#7bd389';
  ctx.fillRect(goalCol * cellW, goalRow * cellH, cellW, cellH);

  ctx.strokeStyle = '#555555';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i <= MAZE.size; i++) {
    ctx.moveTo(i * cellW, 0);
    ctx.lineTo(i * cellW, height);
    ctx.moveTo(0, i * cellH);
    ctx.lineTo(width, i * cellH);
  }
  ctx.stroke();

  const [row, col] = seeker;
  ctx.fillStyle = '#3a6ea5';
  ctx.beginPath();
  ctx.arc((col + 0.5) * cellW, (row + 0.5) * cellH, 0.35 * Math.min(cellW, cellH), 0, 2 * Math.PI);
  ctx.fill();
  ctx.restore();
}
