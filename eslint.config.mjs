// Lint: typescript-eslint's recommended rules, plus the layering of ../shared/HOUSE_STYLE.md:
// src/core imports neither 'vscode' nor node I/O (nor the SDK); src/node does not import 'vscode'.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_IO = ['child_process', 'fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls', 'os', 'worker_threads', 'cluster', 'readline'];
const nodeIo = NODE_IO.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'src/core does no I/O: put this in src/node and pass it in through a port.' }));
const vscode = { name: 'vscode', message: "Only src/vscode (and src/extension.ts) may import 'vscode'." };

export default tseslint.config(
  { ignores: ['dist/', 'out/', '.vscode-test/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Namespaces of helpers next to a union type, as VS Code's McpConnectionState does.
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only']", message: 'no focused tests' }, { selector: "CallExpression[callee.property.name='skip']", message: 'no skipped tests' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscode, ...nodeIo],
          patterns: [
            { group: ['**/node/**', '**/vscode/**'], message: 'src/core must not depend on the node or vscode layers.' },
            { group: ['@modelcontextprotocol/*'], message: 'The MCP SDK belongs in src/node.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscode], patterns: [{ group: ['**/vscode/**'], message: 'src/node must not depend on the vscode layer.' }] }],
    },
  },
);
