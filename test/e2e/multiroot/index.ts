// Loaded inside the VS Code extension host through the workbench's extensionTestsPath, in an editor opened on a
// multi-root (.code-workspace) workspace: runs every *.test.js next to this file.
import { runMochaIn } from '../runMocha';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
