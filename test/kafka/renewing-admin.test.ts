// Unit tests of src/kafka/renewing-admin.ts with fake admin clients: a call that never answers is given up within
// its bound and the next one goes through a new client, as does the next call after a client could not connect.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Admin } from '../../src/kafka/client.js';
import { renewingAdmin } from '../../src/kafka/renewing-admin.js';
import { unansweredCalls } from '../../src/unanswered.js';

interface FakeAdmin {
  n: number;
  disconnected: boolean;
}

/** Fake clients: the n-th (1 the first) connects unless `refuses(n)`, and names itself in every answer. */
function fakeAdmins(refuses: (n: number) => boolean = () => false) {
  const made: FakeAdmin[] = [];
  const newAdmin = (): Admin => {
    const self: FakeAdmin = { n: made.length + 1, disconnected: false };
    made.push(self);
    return {
      connect: async () => {
        if (refuses(self.n)) throw new Error(`client ${self.n} could not connect`);
      },
      disconnect: async () => {
        self.disconnected = true;
      },
      n: self.n,
    } as unknown as Admin;
  };
  return { made, newAdmin };
}

const clientNumber = (admin: Admin): number => (admin as unknown as FakeAdmin).n;

test('a call that never answers is given up at its bound, and the next call goes through a new client', async () => {
  const { made, newAdmin } = fakeAdmins();
  const admins = renewingAdmin(newAdmin);
  await admins.connect();
  const unansweredBefore = unansweredCalls();
  const started = Date.now();
  const hung = admins.call(() => new Promise<number>(() => undefined), 50, 'the readable ends of t');
  await assert.rejects(hung, (error: Error & { code?: string; retriable?: boolean }) => {
    assert.equal(error.code, 'KAFKA_UNAVAILABLE');
    assert.equal(error.retriable, true);
    assert.equal(error.message, 'the readable ends of t were not read in 50 ms');
    return true;
  });
  assert.ok(Date.now() - started < 1000, 'given up at the bound');
  assert.equal(unansweredCalls(), unansweredBefore + 1, 'the call given up on is counted: it keeps its thread');
  assert.equal(await admins.call(async (admin) => clientNumber(admin), 1000, 'n'), 2, 'a new client answered');
  assert.equal(clientNumber(admins.current()), 2);
  assert.equal(made[0]!.disconnected, true, 'the hung client was let go');
  await admins.disconnect();
  assert.equal(made[1]!.disconnected, true);
});

test('a client that answers is kept for every call', async () => {
  const { made, newAdmin } = fakeAdmins();
  const admins = renewingAdmin(newAdmin);
  await admins.connect();
  for (let call = 0; call < 3; call += 1) {
    assert.equal(await admins.call(async (admin) => clientNumber(admin), 1000, 'n'), 1);
  }
  assert.equal(made.length, 1);
  await admins.disconnect();
});

test('a client that could not connect fails its first call with the cause, and the next call uses a new one', async () => {
  const { made, newAdmin } = fakeAdmins((n) => n === 1);
  const admins = renewingAdmin(newAdmin);
  await assert.rejects(admins.connect(), /client 1 could not connect/);
  await assert.rejects(
    admins.call(async (admin) => clientNumber(admin), 1000, 'n'),
    /client 1 could not connect/,
  );
  assert.equal(await admins.call(async (admin) => clientNumber(admin), 1000, 'n'), 2);
  assert.equal(made.length, 2);
  await admins.disconnect();
});
