import * as assert from 'node:assert/strict';
import { PERMISSION_KINDS } from '../../../src/core/permissions/permission';
import { enforcementOf, enforcementReason } from '../../../src/core/sandbox/enforcement';

describe('enforcement', () => {
  it('enforces files and network only in the sandbox', () => {
    for (const kind of ['fs.read', 'fs.write', 'net'] as const) {
      assert.equal(enforcementOf(kind, 'sandboxed'), 'enforced', kind);
      for (const status of ['unsandboxed', 'not-applicable', undefined] as const) assert.equal(enforcementOf(kind, status), 'advisory', `${kind} ${status}`);
    }
  });

  it('keeps process.exec advisory even in the sandbox, and the gate’s kinds enforced everywhere', () => {
    assert.equal(enforcementOf('process.exec', 'sandboxed'), 'advisory');
    for (const kind of PERMISSION_KINDS.filter((k) => !['fs.read', 'fs.write', 'net', 'process.exec'].includes(k))) {
      assert.equal(enforcementOf(kind, undefined), 'enforced', kind);
      assert.equal(enforcementOf(kind, 'unsandboxed'), 'enforced', kind);
    }
  });

  it('explains each answer in one line that agrees with it', () => {
    for (const kind of PERMISSION_KINDS) {
      for (const status of ['sandboxed', 'unsandboxed', 'not-applicable', undefined] as const) {
        const reason = enforcementReason(kind, status);
        assert.ok(!reason.includes('\n'));
        assert.equal(reason.startsWith('Enforced'), enforcementOf(kind, status) === 'enforced', `${kind} ${status}: ${reason}`);
      }
    }
    assert.match(enforcementReason('process.exec', 'sandboxed'), /any program it can read/);
    assert.match(enforcementReason('net', 'not-applicable'), /remote/);
  });
});
