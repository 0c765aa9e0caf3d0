import * as assert from 'node:assert/strict';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { Server } from '@modelcontextprotocol/server';
import { schemaMismatch, structuredView } from '../../../../src/core/content/structuredContent';

/**
 * A server whose `weather` tool declares an output schema and returns what the test says, unchecked (a low-level
 * server: McpServer would check its own output); the client lists tools as MCP Warden's fetchCatalog does.
 */
async function callWeather(structuredContent: Record<string, unknown>): Promise<unknown> {
  const server = new Server({ name: 'weather', version: '1.0.0' }, { capabilities: { tools: {} } });
  const outputSchema = { type: 'object', properties: { temperature: { type: 'number' } }, required: ['temperature'] } as const;
  server.setRequestHandler('tools/list', async () => ({ tools: [{ name: 'weather', inputSchema: { type: 'object' as const }, outputSchema }] }));
  server.setRequestHandler('tools/call', async () => ({ content: [{ type: 'text' as const, text: 'sunny' }], structuredContent }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  try {
    await client.listTools();
    return await client.callTool({ name: 'weather', arguments: {} });
  } catch (error) {
    return error;
  } finally {
    await client.close();
    await server.close();
  }
}

describe('structured content', () => {
  it('the SDK checks it against the output schema; a match arrives and is said to match', async () => {
    const result = (await callWeather({ temperature: 21 })) as { structuredContent?: unknown };
    assert.deepEqual(result.structuredContent, { temperature: 21 });
    assert.equal(structuredView(result, { type: 'object' })?.check, 'matches-schema');
  });

  it('a mismatch fails the call, and the failure is recognised and said plainly', async () => {
    const error = await callWeather({ temperature: 'warm' });
    assert.ok(error instanceof Error);
    assert.match(schemaMismatch(error) ?? '', /^Structured content does not match the tool's output schema: .*temperature/);
    assert.equal(schemaMismatch(new Error('connection closed')), undefined);
  });

  it('is absent from a result without it', () => {
    assert.equal(structuredView({ content: [] } as { structuredContent?: unknown }, undefined), undefined);
  });
});
