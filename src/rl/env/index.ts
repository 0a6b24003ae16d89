/**
 * Reinforcement-learning environments: plain-number simulations with Gymnasium's API, a
 * registry to build them by id, and the spaces and seeded random source they are built from.
 * Nothing here depends on a tensor library or on the DOM (render takes a 2D context).
 */
export type { Action, Env, EnvCreator, Info, Observation, ResetOptions, ResetResult, StepResult } from './env.ts';
export type { Box, Discrete, Space } from './space.ts';
export { box, contains, describeSpace, discrete, sample } from './space.ts';
export type { Rng } from './random.ts';
export { createRng } from './random.ts';
export { EnvConfigError, EnvError, EnvNotFoundError, InvalidActionError, ResetNeededError } from './errors.ts';
export type { CommonEnvOptions } from './env-config.ts';
export { EpisodeGuard } from './episode-guard.ts';
export { makeEnv, registerEnv, registeredEnvIds } from './registry.ts';

export { CART_POLE_ID, CartPoleEnv, createCartPole } from './cart-pole.ts';
export type { CartPoleState } from './cart-pole-dynamics.ts';
export { CART_POLE, cartPoleStep, cartPoleTerminated } from './cart-pole-dynamics.ts';
export { renderCartPole } from './cart-pole-render.ts';

export { MAZE_ID, MazeEnv, createMaze } from './maze.ts';
export type { MazeAction, MazeCell } from './maze-dynamics.ts';
export { MAZE, mazeAtGoal, mazeMove, mazeObservation } from './maze-dynamics.ts';
export { renderMaze } from './maze-render.ts';

export { MOUNTAIN_CAR_ID, MountainCarEnv, createMountainCar } from './mountain-car.ts';
export type { MountainCarAction, MountainCarState } from './mountain-car-dynamics.ts';
export { MOUNTAIN_CAR, mountainCarHeight, mountainCarStep, mountainCarTerminated } from './mountain-car-dynamics.ts';
export { renderMountainCar } from './mountain-car-render.ts';
