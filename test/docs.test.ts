// The documents tell the truth: every make target and every setting is documented, every path of the layout and
// every relative link exists, and the README stays a short page of quick starts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { configEnv, defaultConfig } from '../src/config.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const readme = read('README.md');
const docs = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
const documents = ['README.md', ...docs, 'bench/README.md'];

/** The text under a heading (any level) up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, '') === heading);
  assert.ok(start >= 0, `no heading "${heading}"`);
  const level = lines[start]!.indexOf(' ');
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The cells of every table row in `markdown`, trimmed; an escaped `\|` stays inside its cell. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

const fences = /^```[\s\S]*?^```/gm;

/** Markdown without its fenced code blocks and inline code, where a link is only text. */
const prose = (markdown: string): string => markdown.replace(fences, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchors of a document's headings: lowercased, punctuation dropped, spaces to dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  for (const [, title] of markdown.replace(fences, '').matchAll(/^#+ (.*)$/gm)) {
    const slug = title!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    seen.set(slug, (seen.get(slug) ?? -1) + 1);
    if (seen.get(slug)! > 0) seen.set(`${slug}-${seen.get(slug)}`, 0);
  }
  return new Set(seen.keys());
}

/** The documented targets (`target: ... ## what it does`) of the Makefile and every file it includes. */
function makeTargets(): string[] {
  const makefile = read('Makefile');
  const included = [...makefile.matchAll(/^-?include (.+)$/gm)].flatMap((match) => match[1]!.trim().split(/\s+/));
  const text = [makefile, ...included.map(read)].join('\n');
  return [...text.matchAll(/^([a-z][a-z0-9-]*):[^=\n]*## /gm)].map((match) => match[1]!);
}

function assertSettingRows(rows: string[][], document: string): void {
  for (const [key, name] of Object.entries(configEnv)) {
    const value = String(defaultConfig[key as keyof typeof defaultConfig]);
    const row = rows.find((cells) => cells[1] === `\`${name}\``);
    assert.ok(row, `${document} has no config row for ${name}`);
    assert.equal(row[2], value === '' ? '(empty)' : `\`${value}\``, `${document} gives the default of ${name}`);
  }
}

/** Folders under `top` (recursively) that git tracks: those of .gitignore's folder patterns are left out. */
function folders(top: string): string[] {
  const ignored = read('.gitignore')
    .split('\n')
    .filter((line) => line.endsWith('/'));
  const isIgnored = (path: string): boolean =>
    ignored.some((pattern) =>
      pattern.slice(0, -1).includes('/') ? `${path}/` === pattern : `${basename(path)}/` === pattern,
    );
  const walk = (path: string): string[] =>
    readdirSync(join(root, path), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !isIgnored(`${path}/${entry.name}`))
      .flatMap((entry) => [`${path}/${entry.name}`, ...walk(`${path}/${entry.name}`)]);
  return [top, ...walk(top)];
}

const layout = section(read('docs/development.md'), 'Layout');

test('the README names every make target of the Makefile and the files it includes', () => {
  const targets = makeTargets();
  assert.ok(targets.length > 10, 'found the documented targets');
  for (const target of targets) {
    assert.ok(new RegExp(`\`make ${target}[\` ]`).test(readme), `the README does not name make ${target}`);
  }
});

test('the README config table gives real settings with their defaults (docs/configuration.md has them all)', () => {
  const rows = tableRows(section(readme, 'Configuration')).slice(2);
  assert.ok(rows.length >= 8, 'the README shows the settings a newcomer touches first');
  const names = Object.fromEntries(Object.entries(configEnv).map(([key, name]) => [name, key]));
  for (const [, first, defaultCell] of rows) {
    const key = names[first!.replace(/`/g, '')] as keyof typeof defaultConfig | undefined;
    assert.ok(key, `the README's config table has ${first}, which is no setting`);
    const value = String(defaultConfig[key]);
    assert.equal(defaultCell, value === '' ? '(empty)' : `\`${value}\``, `the README gives the default of ${first}`);
  }
});

test('docs/configuration.md gives every setting of src/config.ts with its default', () => {
  assertSettingRows(tableRows(section(read('docs/configuration.md'), 'Settings')), 'docs/configuration.md');
});

test('every path the layout names exists', () => {
  const paths = [...layout.matchAll(/`([^`\s]+)`/g)].map((match) => match[1]!);
  assert.ok(paths.length > 20, 'found the paths of the layout');
  for (const path of paths) assert.ok(existsSync(join(root, path)), `the layout names ${path}, which does not exist`);
});

test('the layout names every folder of src, test, bench, deploy and config', () => {
  for (const folder of ['src', 'test', 'bench', 'deploy', 'config'].flatMap(folders)) {
    assert.ok(layout.includes(`\`${folder}/\``), `the layout does not name ${folder}/`);
  }
});

test('every relative link of the README and docs points to an existing file and heading', () => {
  for (const document of documents) {
    const text = read(document);
    for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [file, anchor] = target!.split('#');
      const path = file ? posix.join(dirname(document), file) : document;
      assert.ok(existsSync(join(root, path)), `${document} links ${target}, and ${path} does not exist`);
      if (anchor !== undefined && path.endsWith('.md')) {
        assert.ok(anchors(read(path)).has(anchor), `${document} links ${target}, and ${path} has no such heading`);
      }
    }
  }
});

test('the README links every document of docs/ and the benchmark README', () => {
  for (const document of [...docs, 'bench/README.md']) {
    assert.ok(readme.includes(`](${document})`), `the README does not link ${document}`);
  }
});

test('the README stays under 16 KB', () => {
  const size = Buffer.byteLength(readme);
  assert.ok(size < 16 * 1024, `the README is ${size} bytes; move details to docs/`);
});
