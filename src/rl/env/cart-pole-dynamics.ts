/**
 * CartPole's physics, exactly as Gymnasium's CartPole-v1 (after Barto, Sutton & Anderson 1983):
 * same constants, same equations in the same order, explicit Euler integration, float64
 * throughout. Kept apart from the Env class and from rendering so it can be checked alone.
 */

/** Constants of Gymnasium's CartPoleEnv, under their Gymnasium names in camelCase. */
export const CART_POLE = Object.freeze({
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  totalMass: 0.1 + 1.0,
  /** Half the pole's length, as in Gymnasium (the pole's centre of mass). */
  length: 0.5,
  /** massPole * length. */
  poleMassLength: 0.1 * 0.5,
  forceMag: 10.0,
  /** Seconds between state updates. */
  tau: 0.02,
  /** The episode terminates past ±12 degrees. */
  thetaThresholdRadians: (12 * 2 * Math.PI) / 360,
  /** The episode terminates when the cart's centre leaves ±2.4. */
  xThreshold: 2.4,
});

/** [x, xDot, theta, thetaDot]: cart position and velocity, pole angle (0 = upright) and angular velocity. */
export type CartPoleState = readonly [x: number, xDot: number, theta: number, thetaDot: number];

/**
 * The state after one tau-long step pushing left (action 0) or right (action 1). The
 * statements mirror Gymnasium's `step` line for line, so a diff against it is easy to read.
 */
export function cartPoleStep(state: CartPoleState, action: 0 | 1): CartPoleState {
  const c = CART_POLE;
  let [x, xDot, theta, thetaDot] = state;
  const force = action === 1 ? c.forceMag : -c.forceMag;
  const costheta = Math.cos(theta);
  const sintheta = Math.sin(theta);

  const temp = (force + c.poleMassLength * (thetaDot * thetaDot) * sintheta) / c.totalMass;
  const thetaacc =
    (c.gravity * sintheta - costheta * temp) / (c.length * (4.0 / 3.0 - (c.massPole * (costheta * costheta)) / c.totalMass));
  const xacc = temp - (c.poleMassLength * thetaacc * costheta) / c.totalMass;

  // Euler: each position advances with the velocity from before this step.
  x = x + c.tau * xDot;
  xDot = xDot + c.tau * xacc;
  theta = theta + c.tau * thetaDot;
  thetaDot = thetaDot + c.tau * thetaacc;
  return [x, xDot, theta, thetaDot];
}

/** Whether the pole has fallen or the cart has left the track: Gymnasium's termination test. */
export function cartPoleTerminated(state: CartPoleState): boolean {
  const [x, , theta] = state;
  const c = CART_POLE;
  return x < -c.xThreshold || x > c.xThreshold || theta < -c.thetaThresholdRadians || theta > c.thetaThresholdRadians;
}
