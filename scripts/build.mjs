// Bundles the extension with esbuild: dist/extension.js, CommonJS for the extension host, `vscode` external.
//   node scripts/build.mjs [--production] [--watch]
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const options = {
  // The MCP SDK goes into its own file, loaded on the first server start (see src/node/lazyMcpLauncher.ts).
  // dist/audit-cli.js verifies and exports an audit log outside VS Code: node dist/audit-cli.js verify <dir>
  // dist/conformance-client.js is the headless MCP Warden the MCP conformance suite drives (npm run test:conformance).
  // dist/gateway-stdio.js is the stdio bridge agents start to reach the gateway (Node built-ins only, no SDK).
  // dist/gateway.js is the gateway itself with the server SDK, loaded when it starts (src/node/gateway/lazyGateway.ts).
  entryPoints: {
    extension: 'src/extension.ts',
    mcpClient: 'src/node/mcpLauncher.ts',
    'audit-cli': 'src/node/audit/auditCli.ts',
    'conformance-client': 'src/node/conformance/conformanceClient.ts',
    'gateway-stdio': 'src/gateway-stdio.ts',
    gateway: 'src/node/gateway/gatewayRuntime.ts',
  },
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  external: ['vscode'],
  // jsonc-parser's UMD 'main' loads its parts with a dynamic require that a bundle cannot follow: use its ESM build.
  mainFields: ['module', 'main'],
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: production ? 'external' : 'none',
  metafile: true,
  plugins: [
    {
      name: 'lazy-mcp-client',
      setup(build) {
        build.onResolve({ filter: /^\.\/mcpLauncher$/ }, (args) =>
          args.importer.endsWith('lazyMcpLauncher.ts') ? { path: './mcpClient.js', external: true } : undefined,
        );
        build.onResolve({ filter: /^\.\/gatewayRuntime$/ }, (args) =>
          args.importer.endsWith('lazyGateway.ts') ? { path: './gateway.js', external: true } : undefined,
        );
      },
    },
  ],
  logLevel: 'info',
};

// The sandbox worker (src/node/sandbox/sandboxWorker.ts) runs in a worker thread, one per sandboxed server run, and
// carries its own copy of @anthropic-ai/sandbox-runtime (ESM only; it finds files through import.meta.url): an ESM
// bundle of its own, dist/sandboxWorker.mjs, with a `require` for the CommonJS packages it pulls in.
const workerOptions = {
  ...options,
  entryPoints: { sandboxWorker: 'src/node/sandbox/sandboxWorker.ts' },
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  plugins: [],
  banner: { js: "import { createRequire as __wardenCreateRequire } from 'node:module'; const require = __wardenCreateRequire(import.meta.url);" },
};

/** The runtime's seccomp helper (blocks Unix sockets, reports blocked writes): dist/vendor/seccomp/<arch>/apply-seccomp. */
function copySeccompHelpers() {
  for (const arch of ['x64', 'arm64']) {
    const from = `node_modules/@anthropic-ai/sandbox-runtime/vendor/seccomp/${arch}/apply-seccomp`;
    if (!existsSync(from)) throw new Error(`missing ${from}`);
    mkdirSync(`dist/vendor/seccomp/${arch}`, { recursive: true });
    copyFileSync(from, `dist/vendor/seccomp/${arch}/apply-seccomp`);
  }
}

// Nothing stale (an old source map, a renamed bundle) may end up in the package.
rmSync('dist', { recursive: true, force: true });

copySeccompHelpers();
if (watch) {
  await Promise.all([options, workerOptions].map(async (o) => (await esbuild.context(o)).watch()));
} else {
  const results = await Promise.all([esbuild.build(options), esbuild.build(workerOptions)]);
  const outputs = results.flatMap((result) => Object.values(result.metafile.outputs));
  const bytes = outputs.reduce((sum, o) => sum + o.bytes, 0);
  console.log(`built ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB${production ? ' (production)' : ''}`);
}
