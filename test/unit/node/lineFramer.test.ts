import * as assert from 'node:assert/strict';
import { formatBytes, LineFramer, MessageTooLargeError } from '../../../src/node/lineFramer';

describe('LineFramer', () => {
  it('splits lines across chunks, drops blank lines and carriage returns', () => {
    const framer = new LineFramer(100);
    assert.deepEqual(framer.push(Buffer.from('{"a":1}\n{"b"')), ['{"a":1}']);
    assert.deepEqual(framer.push(Buffer.from(':2}\r\n\n{"c":3}\n')), ['{"b":2}', '{"c":3}']);
    assert.deepEqual(framer.push(Buffer.from('')), []);
  });

  it('keeps multi-byte characters split between chunks intact', () => {
    const framer = new LineFramer(100);
    const bytes = Buffer.from('"héllo"\n');
    assert.deepEqual(framer.push(bytes.subarray(0, 3)), []);
    assert.deepEqual(framer.push(bytes.subarray(3)), ['"héllo"']);
  });

  it('refuses a line over the limit before buffering it whole, then carries on', () => {
    const framer = new LineFramer(10);
    assert.throws(() => framer.push(Buffer.from('x'.repeat(6))) && framer.push(Buffer.from('x'.repeat(6))), MessageTooLargeError);
    assert.deepEqual(framer.push(Buffer.from('\nok\n')), ['', 'ok'].filter(Boolean));
    assert.throws(() => framer.push(Buffer.from(`${'y'.repeat(11)}\n`)), /larger than 10 bytes/);
    assert.equal(formatBytes(16 * 1024 * 1024), '16 MiB');
  });
});
