// What `make contracts` runs: writes docs/openapi.json and docs/asyncapi.json from the code, and says which changed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { contractFiles } from './contract-files.js';

const root = new URL('../../', import.meta.url);
for (const { path, text } of contractFiles()) {
  const file = new URL(path, root);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, text);
  console.log(`${path} ${before === text ? 'unchanged' : 'written'}`);
}
