// Whether an object was let go: a full garbage collection, which the tests that load this file may call.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * True once nothing holds the object `weak` refers to any more: a full garbage collection has taken it. The
 * caller must not hold the object itself (a WeakRef keeps its object until the current job ends).
 * @example const weak = new WeakRef(batch.messages[0]); ...; assert.ok(await letGo(weak));
 */
export async function letGo(weak: WeakRef<object>): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  return weak.deref() === undefined;
}
