import * as assert from 'node:assert/strict';
import { sandboxPlan } from '../../../src/core/sandbox/sandboxPlan';
import type { SandboxAvailability } from '../../../src/core/sandbox/sandboxProfile';

const AVAILABLE: SandboxAvailability = { available: true, platform: 'linux', warnings: [] };
const MISSING: SandboxAvailability = { available: false, reason: 'bubblewrap (bwrap) is not installed.', remedy: 'sudo apt install bubblewrap socat ripgrep' };

describe('sandbox plan', () => {
  it('sandboxes when the sandbox is there and the mode asks for it', () => {
    assert.deepEqual(sandboxPlan('required', AVAILABLE), { run: 'sandboxed' });
    assert.deepEqual(sandboxPlan('preferred', AVAILABLE), { run: 'sandboxed' });
  });

  it('refuses in required mode without a sandbox, saying why, the remedy, and the setting to change', () => {
    const plan = sandboxPlan('required', MISSING);
    assert.equal(plan.run, 'refused');
    const { message } = plan as { message: string };
    assert.match(message, /bubblewrap \(bwrap\) is not installed\)/, 'the reason, without its own full stop');
    assert.match(message, /sudo apt install bubblewrap socat ripgrep/);
    assert.match(message, /set mcpWarden\.sandbox\.mode to preferred in your user settings/);
  });

  it('runs unsandboxed with a warning in preferred mode without a sandbox', () => {
    const plan = sandboxPlan('preferred', MISSING);
    assert.equal(plan.run, 'unsandboxed');
    const { warning } = plan as { warning: string };
    assert.match(warning, /without the OS sandbox/);
    assert.match(warning, /bubblewrap \(bwrap\) is not installed/);
    assert.match(warning, /sudo apt install/);
    assert.match(warning, /mcpWarden\.sandbox\.mode to required in your user settings/);
  });

  it('runs unsandboxed in off mode, available or not, and says the mode is off', () => {
    for (const availability of [AVAILABLE, MISSING]) {
      const plan = sandboxPlan('off', availability);
      assert.equal(plan.run, 'unsandboxed');
      assert.match((plan as { warning: string }).warning, /^mcpWarden\.sandbox\.mode is off/);
      assert.match((plan as { warning: string }).warning, /user settings/);
    }
  });
});
