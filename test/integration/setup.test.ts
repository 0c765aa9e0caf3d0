// Root hooks for every integration test: the servers a test started are stopped after it, and no promise may
// be rejected without a handler. In the extension host such a rejection would be an error the user sees, so
// here it fails the test that caused it.
import * as assert from 'node:assert/strict';
import { cleanUpServers } from './harness';

const unhandled: unknown[] = [];
const onRejection = (reason: unknown) => unhandled.push(reason);

before(() => {
  process.on('unhandledRejection', onRejection);
});

afterEach(async function () {
  await cleanUpServers();
  await new Promise((r) => setImmediate(r));
  const found = unhandled.splice(0);
  assert.deepEqual(
    found.map((r) => (r instanceof Error ? r.stack : String(r))),
    [],
    `unhandled rejections during "${this.currentTest?.title}"`,
  );
});

after(() => {
  process.off('unhandledRejection', onRejection);
});
