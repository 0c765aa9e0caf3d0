import * as assert from 'node:assert/strict';
import { Client, InMemoryTransport, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { callOutcome } from '../../../src/core/callOutcome';

const call = { serverName: 'files', toolName: 'search' } as const;

/**
 * The errors the SDK really rejects a call with: a client and a server connected in memory, a `sleep` tool
 * that answers only when told to, and the call ended by an abort, a closed connection or a timeout.
 */
async function rejectionOf(end: (client: Client, abort: AbortController) => Promise<void> | void, timeout = 60_000): Promise<unknown> {
  const server = new McpServer({ name: 'sleeper', version: '1.0.0' });
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (entered = resolve));
  server.registerTool('sleep', { inputSchema: z.object({}) }, async () => {
    entered();
    await released;
    return { content: [] };
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  const abort = new AbortController();
  const pending = client.callTool({ name: 'sleep', arguments: {} }, { signal: abort.signal, timeout });
  await running;
  await end(client, abort);
  try {
    await pending;
    return assert.fail('the call was expected to fail');
  } catch (error) {
    return error;
  } finally {
    release();
    await client.close();
    await server.close();
  }
}

describe('callOutcome', () => {
  it("calls the SDK's rejection after the user's own abort a cancellation, not an error", async () => {
    const error = await rejectionOf((_client, abort) => abort.abort());
    assert.match(String(error), /AbortError/, 'the raw SDK error names AbortError');
    assert.deepEqual(callOutcome(error, call), { kind: 'cancelled', message: "call to 'search' on server 'files' was cancelled" });
  });

  it('calls a DOMException AbortError, a CallCancelledError, or any error after Cancel was pressed, a cancellation', () => {
    assert.equal(callOutcome(new DOMException('This operation was aborted', 'AbortError'), call).kind, 'cancelled');
    const named = Object.assign(new Error('the call was cancelled'), { name: 'CallCancelledError' });
    assert.equal(callOutcome(named, call).kind, 'cancelled');
    assert.equal(callOutcome(new Error('wrapped', { cause: named }), call).kind, 'cancelled');
    assert.equal(callOutcome(new Error('Connection closed'), { ...call, cancelRequested: true }).kind, 'cancelled');
  });

  it('says the server was stopped when its session closed under a running call because MCP Warden stopped it', async () => {
    const error = await rejectionOf((client) => client.close());
    assert.ok(error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed, `raw SDK error: ${String(error)}`);
    const expected = { kind: 'stopped', message: "server 'files' was stopped while 'search' was running" };
    assert.deepEqual(callOutcome(error, { ...call, serverState: 'stopping' }), expected);
    assert.deepEqual(callOutcome(error, { ...call, serverState: 'stopped' }), expected);
    const named = Object.assign(new Error('the session was stopped'), { name: 'SessionStoppedError' });
    assert.deepEqual(callOutcome(named, { ...call, serverState: 'running' }), expected);
    // stopped before the request went out: the SDK's transport is gone
    assert.deepEqual(callOutcome(new Error('Not connected'), { ...call, serverState: 'stopped' }), expected);
    assert.deepEqual(callOutcome(new SdkError(SdkErrorCode.NotConnected, 'Not connected'), { ...call, serverState: 'stopping' }), expected);
    assert.deepEqual(callOutcome(new Error('the server process is not running'), { ...call, serverState: 'stopping' }), expected);
    assert.equal(callOutcome(new Error('the server process is not running'), { ...call, serverState: 'waiting' }).kind, 'failed', 'a crash is not a stop');
  });

  it('does not call a crash a stop: the server closed the connection while it was meant to run', async () => {
    const error = await rejectionOf((client) => client.close());
    const outcome = callOutcome(error, { ...call, serverState: 'waiting' });
    assert.deepEqual(outcome, { kind: 'failed', message: "server 'files' closed the connection while 'search' was running; see its output" });
  });

  it('names the setting when a call timed out, and keeps the message of any other failure', async () => {
    const error = await rejectionOf(() => undefined, 50);
    assert.deepEqual(callOutcome(error, call), { kind: 'failed', message: "call to 'search' on server 'files' timed out after 50 ms (mcpWarden.requestTimeoutSeconds)" });
    assert.deepEqual(callOutcome(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), call).message, "call to 'search' on server 'files' timed out (mcpWarden.requestTimeoutSeconds)");
    assert.deepEqual(callOutcome(new Error('tool exploded'), { ...call, serverState: 'stopping' }), { kind: 'failed', message: "call to 'search' on server 'files' failed: tool exploded" });
    assert.equal(callOutcome('plain text', call).message, "call to 'search' on server 'files' failed: plain text");
  });
});
