// Fault scenarios 1 and 2: kill -9 of each actor (the status projection too) while 2,000 orders are flowing, restarted
// at once: every order with a 201 has one payment outcome and one terminal event, its status each event once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopActorUnderLoad, type ActorName } from './stop-under-load.js';

for (const actor of ['payment', 'shipping', 'notification', 'status'] satisfies ActorName[]) {
  test(
    `kill -9 of the ${actor} actor under load and a restart lose and double no order`,
    { timeout: 300000 },
    async (t) => {
      const exit = await stopActorUnderLoad(t, actor, 'kill');
      assert.equal(exit.signal, 'SIGKILL');
    },
  );
}
