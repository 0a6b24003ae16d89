import { afterEach } from 'vitest';
import { driver } from '../../src/runtime/session.ts';

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.log('STATE', JSON.stringify(driver().debugState()));
});
