// Runs every *.test.js of a folder with mocha inside the VS Code extension host, and rejects when a test fails.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export function runMochaIn(dir: string): Promise<void> {
  // The extension host forwards console arguments unformatted: format mocha's lines first.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of readdirSync(dir).sort()) if (file.endsWith('.test.js')) mocha.addFile(join(dir, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
  });
}
