// Bundles the extension with esbuild: dist/extension.js, CommonJS for the extension host, `vscode` external.
//   node scripts/build.mjs [--production] [--watch]
import { rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const options = {
  // The MCP SDK goes into its own file, loaded on the first server start (see src/node/lazyMcpLauncher.ts).
  // dist/audit-cli.js verifies and exports an audit log outside VS Code: node dist/audit-cli.js verify <dir>
  entryPoints: { extension: 'src/extension.ts', mcpClient: 'src/node/mcpLauncher.ts', 'audit-cli': 'src/node/audit/auditCli.ts' },
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
      },
    },
  ],
  logLevel: 'info',
};

// Nothing stale (an old source map, a renamed bundle) may end up in the package.
rmSync('dist', { recursive: true, force: true });

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  const result = await esbuild.build(options);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(`built ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB${production ? ' (production)' : ''}`);
}
