import * as assert from 'node:assert/strict';
import { clientCapabilities } from '../../../../src/node/serverRequests';

describe('task capabilities the client declares', function () {
  it('always the 2026-07-28 tasks extension (tool calls that run as tasks)', function () {
    assert.deepEqual(clientCapabilities().extensions?.['io.modelcontextprotocol/tasks'], {});
  });

  it('2025-11-25 tasks.requests only for what is offered, so a server never sends as a task what nothing serves', function () {
    assert.equal(clientCapabilities().tasks, undefined);
    assert.deepEqual(clientCapabilities({ elicitation: true }).tasks, { list: {}, cancel: {}, requests: { elicitation: { create: {} } } });
    assert.deepEqual(clientCapabilities({ sampling: true }).tasks, { list: {}, cancel: {}, requests: { sampling: { createMessage: {} } } });
  });
});
