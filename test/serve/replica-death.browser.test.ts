/**
 * A replica whose worker dies is replaced; requests that were in flight on it are sent once more
 * when they are idempotent (GET), and fail when they are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, remote, serve, shutdown, type ActorHandle } from '../../src/index.ts';
import { ServeController } from '../../src/serve/controller.ts';
import { dispatchHttp } from '../../src/serve/http-dispatch.ts';

declare const raybox: typeof import('../../src/index.ts');

class Ticket {
  n = 0;
  next() {
    return ++this.n;
  }
}

const controller = new ServeController();

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await controller.shutdown();
  await shutdown();
});

describe('replica death', () => {
  it('answers every GET while a replica dies under load; a POST on the dying replica fails', { timeout: 60_000 }, async () => {
    const tickets = remote(Ticket).remote();
    const router = serve.router();
    // The third request to arrive kills its replica's worker, in the middle of its work.
    const work = async (request: { params: Record<string, string> }, ticket: ActorHandle<Ticket>) => {
      const n = await raybox.get(ticket.next.remote());
      if (n === 3) self.close();
      await new Promise((r) => setTimeout(r, 10));
      return Number(request.params.id);
    };
    router.get('/work/:id', work);
    router.post('/work/:id', work);
    await controller.run(serve.deployment(serve.ingress(router), { numReplicas: 2, maxOngoingRequests: 4 }).bind(tickets), { http: false, name: 'work' });
    const get = (id: number) => dispatchHttp(controller.apps.values(), { method: 'GET', url: `http://h/serve/work/${id}`, headers: {}, body: '' });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => get(i)));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 12 }, () => 200));
    expect(answers.map((a) => JSON.parse(a.body) as number)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // The dead replica was replaced: both answer again.
    expect(controller.status().applications.work?.deployments.Ingress?.numReplicas).toBe(2);
    expect((await Promise.all([get(100), get(101), get(102), get(103)])).map((a) => a.status)).toEqual([200, 200, 200, 200]);

    const resetTickets = remote(Ticket).remote();
    await controller.run(serve.deployment(serve.ingress(router), { numReplicas: 1 }).bind(resetTickets), { http: false, name: 'posts' });
    const post = (id: number) => dispatchHttp([controller.apps.get('posts')!], { method: 'POST', url: `http://h/serve/work/${id}`, headers: {}, body: '' });
    expect((await post(1)).status).toBe(200);
    expect((await post(2)).status).toBe(200);
    const died = await post(3);
    expect(died.status).toBe(500);
    expect(died.body).toMatch(/dead|died|crashed/i);
    expect((await post(4)).status).toBe(200);
  });
});
