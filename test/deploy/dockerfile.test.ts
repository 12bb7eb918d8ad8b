// Checks deploy/Dockerfile and .dockerignore where no hadolint and no Docker engine run: a pinned Node LTS base,
// production dependencies only, a non-root user, tini as PID 1, a health check, and no secrets in the image.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { defaultConfig } from '../../src/config.js';
import { topicsFile } from '../../src/contracts/topics.js';

interface Instruction {
  keyword: string;
  args: string;
}

const repoFile = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The instructions of a Dockerfile, comments dropped and continuation lines joined. */
function parseDockerfile(text: string): Instruction[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const keyword = line.split(/\s/, 1)[0];
      return { keyword: keyword.toUpperCase(), args: line.slice(keyword.length).trim() };
    });
}

const instructions = parseDockerfile(repoFile('deploy/Dockerfile'));
const firstFrom = instructions.findIndex((instruction) => instruction.keyword === 'FROM');
/** The ARGs before the first FROM, with their defaults: what FROM lines may refer to. */
const globalArgs = new Map(
  instructions
    .slice(0, firstFrom)
    .filter((instruction) => instruction.keyword === 'ARG')
    .map((instruction) => instruction.args.split('=', 2) as [string, string]),
);
/** Each stage's instructions, FROM first. */
const stages = instructions.slice(firstFrom).reduce<Instruction[][]>((all, instruction) => {
  if (instruction.keyword === 'FROM') all.push([]);
  all[all.length - 1].push(instruction);
  return all;
}, []);
const buildStage = stages[0];
const finalStage = stages[stages.length - 1];

const argsOf = (stage: Instruction[], keyword: string): string[] =>
  stage.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
const execForm = (args: string): string[] => JSON.parse(args) as string[];

/** The names an ENV sets, in both `ENV A=1 B=2` and `ENV A 1` forms. */
function envNames(args: string): string[] {
  return args.includes('=')
    ? [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].map((match) => match[1])
    : [args.split(/\s/)[0]];
}

test('every stage starts from the same Node LTS slim image, pinned by its full version', () => {
  const images = stages.map((stage) =>
    stage[0].args.split(/\s/)[0].replace(/^\$\{(\w+)\}$/, (_, name: string) => globalArgs.get(name) ?? name),
  );
  assert.ok(stages.length >= 2, 'a build stage and a final stage');
  assert.equal(new Set(images).size, 1, `one base for all stages: ${images.join(', ')}`);
  const match = /^node:(\d+)\.\d+\.\d+-(bookworm|trixie)-slim$/.exec(images[0]);
  assert.ok(match, `${images[0]} is not node:<major>.<minor>.<patch>-<debian>-slim`);
  const major = Number(match[1]);
  assert.ok(major % 2 === 0 && major >= 22, `Node ${major} is not a current LTS line`);
});

test('the build stage installs with npm ci and builds with the package build script, as make build does', () => {
  const runs = argsOf(buildStage, 'RUN').join('\n');
  assert.match(runs, /\bnpm ci\b/);
  assert.match(runs, /\bnpm run build\b/);
  assert.match(JSON.parse(repoFile('package.json')).scripts.build, /\btsc -p tsconfig\.build\.json\b/);
  assert.match(repoFile('Makefile'), /^\tnpm run --silent build$/m);
});

test('the final stage holds production dependencies and the compiled code only', () => {
  const buildRuns = argsOf(buildStage, 'RUN').join('\n');
  const finalRuns = argsOf(finalStage, 'RUN').join('\n');
  const copies = argsOf(finalStage, 'COPY');
  const prunedInBuild =
    /\bnpm prune --omit=dev\b/.test(buildRuns) &&
    copies.some((copy) => /^--from=build \/app\/node_modules\b/.test(copy));
  assert.ok(prunedInBuild || /\bnpm ci --omit=dev\b/.test(finalRuns), 'npm ci --omit=dev or npm prune --omit=dev');
  assert.ok(
    copies.some((copy) => /^--from=build \/app\/dist\b/.test(copy)),
    'dist/ comes from the build stage',
  );
  for (const copy of copies) assert.doesNotMatch(copy, /(^|\s)(\.\/)?(src|test|tsconfig[\w.]*)(\s|$)/, copy);
});

test('the final stage runs as a user other than root', () => {
  const user = argsOf(finalStage, 'USER').at(-1);
  assert.ok(user, 'the final stage sets USER');
  assert.doesNotMatch(user, /^(root|0)(:|$)/);
});

test('tini is PID 1 and starts node directly, so SIGTERM reaches the service', () => {
  assert.match(argsOf(finalStage, 'RUN').join('\n'), /apt-get install [^\n]*\btini\b/);
  assert.deepEqual(execForm(argsOf(finalStage, 'ENTRYPOINT').at(-1) ?? 'null'), ['/usr/bin/tini', '--']);
  assert.deepEqual(execForm(argsOf(finalStage, 'CMD').at(-1) ?? 'null'), ['node', 'dist/order/main.js']);
});

test("the HEALTHCHECK asks /readyz on HEALTH_PORT with node's fetch, HEALTH_PORT being the order port by default", () => {
  const healthcheck = argsOf(finalStage, 'HEALTHCHECK').at(-1) ?? '';
  const command = execForm(healthcheck.slice(healthcheck.indexOf('CMD ') + 4));
  assert.deepEqual(command.slice(0, 2), ['node', '-e']);
  assert.match(command[2], /fetch\('http:\/\/127\.0\.0\.1:' \+ process\.env\.HEALTH_PORT \+ '\/readyz'/);
  assert.match(command[2], /process\.exit\(r\.ok \? 0 : 1\)/);
  const env = argsOf(finalStage, 'ENV').join(' ');
  assert.match(env, new RegExp(`\\bHEALTH_PORT=${defaultConfig.orderPort}\\b`));
  assert.match(env, /\bHTTP_HOST=0\.0\.0\.0\b/, 'the services listen beyond the container loopback');
});

test('the image has package.json and config/topics.conf where the compiled code looks for them', () => {
  const workdir = argsOf(finalStage, 'WORKDIR').at(-1) ?? '/';
  /** Source -> absolute destination of each COPY of the final stage. */
  const copied = new Map(
    argsOf(finalStage, 'COPY').map((copy) => {
      const [source, destination] = copy.split(/\s+/).filter((word) => !word.startsWith('--'));
      return [source, posix.resolve(workdir, destination)];
    }),
  );
  // dist/contracts/topics.js finds the topics file as src/contracts/topics.ts does: relative to itself.
  const sourceDir = fileURLToPath(new URL('../../src/contracts/', import.meta.url));
  const fromModule = relative(sourceDir, fileURLToPath(topicsFile));
  const compiledDir = posix.join(copied.get('/app/dist') ?? '', 'contracts');
  assert.equal(posix.resolve(compiledDir, fromModule), posix.join(copied.get('config') ?? '', 'topics.conf'));
  assert.equal(copied.get('/app/package.json'), workdir, 'package.json ("type": "module") beside dist/');
});

test('no ENV or ARG looks like a secret and no secret file is copied into the image', () => {
  const secret = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|(^|_)(API_?)?KEY$/i;
  const names = [
    ...instructions
      .filter((instruction) => instruction.keyword === 'ENV')
      .flatMap((instruction) => envNames(instruction.args)),
    ...instructions
      .filter((instruction) => instruction.keyword === 'ARG')
      .map((instruction) => instruction.args.split('=')[0]),
  ];
  assert.ok(names.length > 0);
  for (const name of names) assert.doesNotMatch(name, secret);
  for (const copy of instructions.filter((instruction) => ['COPY', 'ADD'].includes(instruction.keyword))) {
    assert.doesNotMatch(copy.args, /\.env\b|\.npmrc\b|\.pem\b|id_rsa/, copy.args);
  }
});

test('.dockerignore keeps modules, build output, run folders, Kafka jars and secrets out, but not what the image needs', () => {
  const ignored = repoFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const entry of [
    'node_modules',
    'dist',
    '.run',
    'deploy/kafka/libs',
    '.git',
    'bench/results',
    '.env',
    '.npmrc',
  ]) {
    assert.ok(ignored.includes(entry), `.dockerignore lacks ${entry}`);
  }
  for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'config']) {
    assert.ok(!ignored.includes(needed) && !ignored.includes(`${needed}/`), `.dockerignore drops ${needed}`);
  }
});
