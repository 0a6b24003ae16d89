import type { CartPoleState } from './cart-pole-dynamics.ts';
import { CART_POLE } from './cart-pole-dynamics.ts';

/**
 * Draws CartPole as Gymnasium's renderer does (a 600×400 reference frame: track, 50×30 cart,
 * 10-wide pole of twice the half-length, axle), scaled to whatever size `ctx.canvas` has. The
 * world spans x in [-2.4, 2.4] edge to edge, so the cart stays in view until it terminates.
 */
export function renderCartPole(ctx: CanvasRenderingContext2D, state: CartPoleState): void {
  const { width, height } = ctx.canvas;
  const [x, , theta] = state;
  const worldWidth = CART_POLE.xThreshold * 2;
  const scale = width / worldWidth; // pixels per metre
  const k = width / 600; // Gymnasium's pixel sizes assume a 600-wide screen
  const cartWidth = 50 * k;
  const cartHeight = 30 * k;
  const poleWidth = 10 * k;
  const poleLength = scale * (2 * CART_POLE.length);
  const axleOffset = cartHeight / 4;
  // Canvas y grows downwards; Gymnasium puts the track 100 px above the bottom of 400.
  const trackY = height - height / 4;
  const cartX = x * scale + width / 2;

  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  ctx.strokeStyle = '#000000';
  ctx.lineWidth = Math.max(1, k);
  ctx.beginPath();
  ctx.moveTo(0, trackY);
  ctx.lineTo(width, trackY);
  ctx.stroke();

  ctx.fillStyle = '#000000';
  ctx.fillRect(cartX - cartWidth / 2, trackY - cartHeight / 2, cartWidth, cartHeight);

  // The pole pivots at the axle; theta > 0 leans it to the right (clockwise on screen).
  ctx.translate(cartX, trackY - axleOffset);
  ctx.rotate(theta);
  ctx.fillStyle = 'rgb(202, 152, 101)';
  ctx.fillRect(-poleWidth / 2, -(poleLength - poleWidth / 2), poleWidth, poleLength);
  ctx.fillStyle = 'rgb(129, 132, 203)';
  ctx.beginPath();
  ctx.arc(0, 0, poleWidth / 2, 0, 2 * Math.PI);
  ctx.fill();
  ctx.restore();
}
