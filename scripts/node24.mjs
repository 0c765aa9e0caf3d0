// Node 24, the Node of VS Code 1.139's extension host, from the npm package `node@24`, cached in
// .vscode-test/node. Used two ways:
//   - imported: ensureNode24() and npmFreeEnv() for the scripts that install and start code-server;
//   - run: `node scripts/node24.mjs run <npm script>` runs that npm script under Node 24 whatever `node` is
//     on PATH (20, 22, 24…), so `npm test`, `npm start` and `npm run bench` work on a newcomer's machine.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.VSCODE_TEST_CACHE ?? join(ROOT, '.vscode-test');
const NODE_SPEC = 'node@24';
const NODE_DIR = join(CACHE, 'node');

/**
 * The environment without what an outer npm passes to its scripts (`npm_config_*`, `npm_package_*`,
 * `npm_lifecycle_*`, the user agent naming the outer Node…). A nested `npm install` that inherits them
 * believes it runs on the outer Node: code-server's postinstall then refuses Node 20 although Node 24 runs it.
 */
export function npmFreeEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

/** The folder of the Node 24 from the npm package `node`, with bin/node and the headers node-gyp needs. */
export function node24Home() {
  const base = join(NODE_DIR, 'node_modules', 'node', 'node_modules');
  const wanted = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  return existsSync(base) && readdirSync(base).includes(wanted) ? join(base, wanted) : undefined;
}

/** Installs Node 24 into the cache unless it is there already; returns its home folder. */
export function ensureNode24() {
  if (!existsSync(join(NODE_DIR, '.ok')) || !node24Home()) {
    console.log(`[node24] installing ${NODE_SPEC} from the npm registry into ${NODE_DIR}`);
    mkdirSync(NODE_DIR, { recursive: true });
    writeFileSync(join(NODE_DIR, 'package.json'), '{"private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', NODE_SPEC], { cwd: NODE_DIR, stdio: 'inherit', env: npmFreeEnv() });
    writeFileSync(join(NODE_DIR, '.ok'), '');
  }
  const home = node24Home();
  if (!home) throw new Error(`Node 24 did not install into ${NODE_DIR}; delete that folder and run again`);
  return home;
}

/** An environment whose `node` is Node 24: its bin folder first on PATH, and nothing inherited from an outer npm. */
export function node24Env(home, env = process.env) {
  const bin = join(home, process.platform === 'win32' ? '' : 'bin');
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  return { ...npmFreeEnv(env), [pathKey]: `${bin}${process.platform === 'win32' ? ';' : ':'}${env[pathKey] ?? ''}` };
}

async function main(argv) {
  const [verb, script, ...rest] = argv;
  if (verb !== 'run' || !script) {
    console.error('usage: node scripts/node24.mjs run <npm script> [args…]');
    return 2;
  }
  const major = Number(process.versions.node.split('.')[0]);
  // Already on Node 24 or newer: run the script as it is. Otherwise under the cached Node 24, whose bin folder
  // comes first on PATH, so `npm` (a `#!/usr/bin/env node` script) and everything it starts run on Node 24.
  const env = major >= 24 ? process.env : node24Env(ensureNode24());
  if (major < 24) console.log(`[node24] node ${process.version} is on PATH: running 'npm run ${script}' on Node 24 from ${resolve(NODE_DIR)}`);
  const child = spawn('npm', ['run', script, ...(rest.length > 0 ? ['--', ...rest] : [])], { cwd: ROOT, env, stdio: 'inherit', shell: process.platform === 'win32' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
