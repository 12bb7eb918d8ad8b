// The README tells the truth: every setting with its default, and every make target, are documented.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configEnv, defaultConfig } from '../src/config.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const makefiles = ['../Makefile', '../deploy/docker.mk']
  .map((path) => new URL(path, import.meta.url))
  .map((url) => {
    try {
      return readFileSync(url, 'utf8');
    } catch {
      return '';
    }
  })
  .join('\n');

test('the README config table lists every setting with its default', () => {
  const rows = readme
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  for (const [key, name] of Object.entries(configEnv)) {
    const value = String(defaultConfig[key as keyof typeof defaultConfig]);
    const row = rows.find((cells) => cells[1] === `\`${name}\``);
    assert.ok(row, `README has no config row for ${name}`);
    const expected = value === '' ? '(empty)' : `\`${value}\``;
    assert.equal(row[2], expected, `README row of ${name} gives the default`);
  }
});

test('the README names every documented make target', () => {
  const targets = [...makefiles.matchAll(/^([a-z-]+):.*## /gm)].map((match) => match[1]!);
  assert.ok(targets.length > 10, 'found the Makefile targets');
  for (const target of targets) assert.ok(readme.includes(`make ${target}`), `README does not mention make ${target}`);
});
