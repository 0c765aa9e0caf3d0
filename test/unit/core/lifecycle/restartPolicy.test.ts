import * as assert from 'node:assert/strict';
import { CrashHistory } from '../../../../src/core/lifecycle/restartPolicy';

describe('CrashHistory', () => {
  it('backs off exponentially and gives up at the fifth crash within three minutes', () => {
    const history = new CrashHistory();
    const t = 0;
    assert.deepEqual(history.record(t), { giveUp: false, delayMs: 1000, attempt: 1 });
    assert.deepEqual(history.record(t + 1_000), { giveUp: false, delayMs: 2000, attempt: 2 });
    assert.deepEqual(history.record(t + 3_000), { giveUp: false, delayMs: 4000, attempt: 3 });
    assert.deepEqual(history.record(t + 7_000), { giveUp: false, delayMs: 8000, attempt: 4 });
    assert.deepEqual(history.record(t + 15_000), { giveUp: true });
  });

  it('forgets crashes older than the window', () => {
    const history = new CrashHistory();
    for (let i = 0; i < 4; i++) history.record(i * 1000);
    const later = history.record(4 * 1000 + 180_000);
    assert.deepEqual(later, { giveUp: false, delayMs: 1000, attempt: 1 });
  });

  it('caps the delay and starts over after reset', () => {
    const history = new CrashHistory({ maxCrashes: 100, windowMs: 1e9, initialDelayMs: 1000, maxDelayMs: 30_000 });
    let last = { giveUp: false } as ReturnType<CrashHistory['record']>;
    for (let i = 0; i < 10; i++) last = history.record(i);
    assert.deepEqual(last, { giveUp: false, delayMs: 30_000, attempt: 10 });
    history.reset();
    assert.deepEqual(history.record(100), { giveUp: false, delayMs: 1000, attempt: 1 });
  });
});
