import type { MountainCarState } from './mountain-car-dynamics.ts';
import { MOUNTAIN_CAR, mountainCarHeight } from './mountain-car-dynamics.ts';

/**
 * Draws MountainCar as Gymnasium's renderer does (a 600×400 reference frame: the hill curve,
 * a 40×20 car tilted with the slope on two wheels, and the goal flag), scaled to `ctx.canvas`.
 */
export function renderMountainCar(ctx: CanvasRenderingContext2D, state: MountainCarState): void {
  const { width, height } = ctx.canvas;
  const { minPosition, maxPosition, goalPosition } = MOUNTAIN_CAR;
  const scale = width / (maxPosition - minPosition); // pixels per unit of position
  const k = width / 600; // Gymnasium's pixel sizes assume a 600-wide screen
  const clearance = 10 * k;
  const carWidth = 40 * k;
  const carHeight = 20 * k;
  const wheelRadius = carHeight / 2.5;
  // World coordinates to canvas pixels; canvas y grows downwards.
  const px = (position: number): number => (position - minPosition) * scale;
  const py = (y: number): number => height - y * scale;

  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  ctx.strokeStyle = '#000000';
  ctx.lineWidth = Math.max(1, k);
  ctx.beginPath();
  const samples = 100;
  for (let i = 0; i <= samples; i++) {
    const position = minPosition + ((maxPosition - minPosition) * i) / samples;
    if (i === 0) ctx.moveTo(px(position), py(mountainCarHeight(position)));
    else ctx.lineTo(px(position), py(mountainCarHeight(position)));
  }
  ctx.stroke();

  // The flag: a pole at the goal and a yellow pennant at its top.
  const flagX = px(goalPosition);
  const flagBottom = py(mountainCarHeight(goalPosition));
  const flagTop = flagBottom - 50 * k;
  ctx.beginPath();
  ctx.moveTo(flagX, flagBottom);
  ctx.lineTo(flagX, flagTop);
  ctx.stroke();
  ctx.fillStyle = 'rgb(204, 204, 0)';
  ctx.beginPath();
  ctx.moveTo(flagX, flagTop);
  ctx.lineTo(flagX, flagTop + 10 * k);
  ctx.lineTo(flagX + 25 * k, flagTop + 5 * k);
  ctx.closePath();
  ctx.fill();

  // The car sits on the curve, tilted by Gymnasium's angle cos(3x), lifted by the clearance.
  const [position] = state;
  ctx.translate(px(position), py(mountainCarHeight(position)));
  ctx.rotate(-Math.cos(3 * position));
  ctx.fillStyle = '#000000';
  ctx.fillRect(-carWidth / 2, -clearance - carHeight, carWidth, carHeight);
  ctx.fillStyle = 'rgb(128, 128, 128)';
  for (const wheelX of [-carWidth / 4, carWidth / 4]) {
    ctx.beginPath();
    ctx.arc(wheelX, -clearance, wheelRadius, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}
