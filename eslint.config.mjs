// Lint: typescript-eslint's recommended rules, plus the layering of ../shared/HOUSE_STYLE.md:
// src/core imports neither 'vscode' nor any Node module (nor the SDK), and uses no Node-only global (Buffer,
// process, require…): it is plain TypeScript that runs anywhere. Web-standard globals (crypto.randomUUID,
// TextEncoder, AbortSignal) are allowed. src/node does not import 'vscode'.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import { builtinModules } from 'node:module';

const nodeModules = builtinModules
  .filter((m) => !m.startsWith('_'))
  .flatMap((m) => [m, `node:${m}`])
  .map((name) => ({ name, message: 'src/core imports no Node module: put this in src/node and pass it in through a port.' }));
const nodeGlobals = ['Buffer', 'process', 'require', '__dirname', '__filename', 'setImmediate', 'global'].map((name) => ({
  name,
  message: 'src/core uses no Node-only global: put this in src/node and pass it in through a port.',
}));
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
          paths: [vscode, ...nodeModules],
          patterns: [
            { group: ['**/node/**', '**/vscode/**'], message: 'src/core must not depend on the node or vscode layers.' },
            { group: ['@modelcontextprotocol/*'], message: 'The MCP SDK belongs in src/node.' },
            { group: ['node:*'], message: 'src/core imports no Node module.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...nodeGlobals],
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscode], patterns: [{ group: ['**/vscode/**'], message: 'src/node must not depend on the vscode layer.' }] }],
    },
  },
);
