import * as assert from 'node:assert/strict';
import { SecretRedactor } from '../../../src/core/redaction';

describe('SecretRedactor', () => {
  it('hides every known secret, longest first, and ignores values too short to hide', () => {
    const redactor = new SecretRedactor();
    assert.equal(redactor.redact('nothing known yet'), 'nothing known yet');
    redactor.add(['tok', 'sk-abc.def', 'sk-abc.def-longer']);
    assert.equal(redactor.redact('a=sk-abc.def-longer b=sk-abc.def c=tok'), 'a=‹redacted› b=‹redacted› c=tok');
  });
});
