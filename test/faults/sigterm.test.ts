// Fault scenario 3: SIGTERM to each actor while 2,000 orders are flowing: it commits what it finished and
// exits 0 within 10 s; restarted at once, nothing is lost and nothing is done twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopActorUnderLoad, type ActorName } from './stop-under-load.js';

const cleanExitWithinMs = 10000;

for (const actor of ['payment', 'shipping', 'notification', 'status'] satisfies ActorName[]) {
  test(
    `SIGTERM to the ${actor} actor under load exits 0 within 10 s, and a restart loses and doubles no order`,
    { timeout: 300000 },
    async (t) => {
      const exit = await stopActorUnderLoad(t, actor, 'terminate');
      assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'clean exit');
      assert.ok(exit.ms < cleanExitWithinMs, `exited after ${exit.ms} ms`);
    },
  );
}
