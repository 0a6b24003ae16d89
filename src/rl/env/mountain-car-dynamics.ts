/**
 * MountainCar's physics, exactly as Gymnasium's MountainCar-v0 (after Moore 1990): an
 * underpowered car in a valley must rock back and forth to climb the right-hand hill. Same
 * constants, same update order, float64 throughout; kept apart from the Env class and rendering.
 */

/** Constants of Gymnasium's MountainCarEnv, under their Gymnasium names in camelCase. */
export const MOUNTAIN_CAR = Object.freeze({
  minPosition: -1.2,
  maxPosition: 0.6,
  maxSpeed: 0.07,
  goalPosition: 0.5,
  goalVelocity: 0,
  force: 0.001,
  gravity: 0.0025,
});

/** [position, velocity] of the car along the track. */
export type MountainCarState = readonly [position: number, velocity: number];

/** 0 accelerates left, 1 does nothing, 2 accelerates right. */
export type MountainCarAction = 0 | 1 | 2;

function clip(value: number, lo: number, hi: number): number {
  return Math.min(Math.max(value, lo), hi);
}

/** The state after one step, mirroring Gymnasium's `step` line for line. */
export function mountainCarStep(state: MountainCarState, action: MountainCarAction): MountainCarState {
  const c = MOUNTAIN_CAR;
  let [position, velocity] = state;
  velocity += (action - 1) * c.force + Math.cos(3 * position) * -c.gravity;
  velocity = clip(velocity, -c.maxSpeed, c.maxSpeed);
  position += velocity;
  position = clip(position, c.minPosition, c.maxPosition);
  // The left edge is an inelastic wall: the car stops dead against it.
  if (position === c.minPosition && velocity < 0) velocity = 0;
  return [position, velocity];
}

/** Whether the car has reached the flag with non-negative velocity. */
export function mountainCarTerminated([position, velocity]: MountainCarState): boolean {
  return position >= MOUNTAIN_CAR.goalPosition && velocity >= MOUNTAIN_CAR.goalVelocity;
}

/** The track's height at a position, Gymnasium's `_height`: sin(3x) * 0.45 + 0.55. */
export function mountainCarHeight(position: number): number {
  return Math.sin(3 * position) * 0.45 + 0.55;
}
