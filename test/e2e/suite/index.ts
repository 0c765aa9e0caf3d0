// Loaded inside the VS Code extension host through the workbench's extensionTestsPath: runs every *.test.js
// next to this file.
import { runMochaIn } from '../runMocha';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
