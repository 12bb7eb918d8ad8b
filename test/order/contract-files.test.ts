// The drift test: the committed docs/openapi.json and docs/asyncapi.json are exactly what `make contracts` writes
// from the code today, so a change of a schema, route or topic that is not regenerated fails here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { contractFiles } from '../../src/order/contract-files.js';

const root = new URL('../../', import.meta.url);

test('the committed docs/openapi.json and docs/asyncapi.json are what make contracts generates', () => {
  for (const { path, text } of contractFiles()) {
    const file = new URL(path, root);
    assert.ok(existsSync(file), `${path} is missing: run \`make contracts\` and commit it`);
    assert.ok(
      readFileSync(file, 'utf8') === text,
      `${path} differs from the contract the code generates: run \`make contracts\` and commit it`,
    );
  }
});
