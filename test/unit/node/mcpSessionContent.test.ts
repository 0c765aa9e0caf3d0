import * as assert from 'node:assert/strict';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import type { ServerCatalog } from '../../../src/core/lifecycle/session';
import { fetchCatalog, McpSession } from '../../../src/node/mcpSession';
import { RecordingLogger } from '../fakes';

/** A server with resources and one template, connected in memory to a client wrapped as MCP Warden wraps it. */
async function connected(): Promise<{ server: McpServer; session: McpSession; client: Client }> {
  const server = new McpServer({ name: 'docs', version: '1.0.0' }, { capabilities: { resources: { subscribe: true, listChanged: true } } });
  server.registerResource('readme', 'docs://readme', { mimeType: 'text/markdown' }, async (uri) => ({ contents: [{ uri: uri.href, text: '# Readme' }] }));
  server.registerResource('page', new ResourceTemplate('docs://pages/{slug}', { list: undefined }), { title: 'A page', mimeType: 'text/markdown' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'page' }] }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  const logger = new RecordingLogger();
  const catalog = await fetchCatalog(client, logger, 5_000);
  const info = { protocolVersion: 'test', era: 'legacy' as const, transport: 'stdio' as const, serverInfo: { name: 'docs', version: '1.0.0' }, capabilities: {} };
  const session = new McpSession(client, info, catalog, () => ({ reason: 'closed', fatal: false }), logger, () => false);
  return { server, session, client };
}

describe('McpSession: resource templates and updates', () => {
  it('lists resource templates with the catalog', async () => {
    const { session, server } = await connected();
    assert.deepEqual(session.catalog.resourceTemplates, [{ uriTemplate: 'docs://pages/{slug}', name: 'page', title: 'A page', mimeType: 'text/markdown' }]);
    await session.close();
    await server.close();
  });

  it('lists templates again when the resources change (one list_changed covers both)', async () => {
    const { session, server } = await connected();
    const changed = new Promise<ServerCatalog>((resolve) => session.onDidChangeCatalog((catalog) => catalog.resourceTemplates?.length === 2 && resolve(catalog)));
    server.registerResource('post', new ResourceTemplate('docs://posts/{id}', { list: undefined }), {}, async (uri) => ({ contents: [{ uri: uri.href, text: 'post' }] }));
    session.updateCatalog('resources', [{ uri: 'docs://readme', name: 'readme' }]);
    assert.deepEqual((await changed).resourceTemplates?.map((t) => t.uriTemplate), ['docs://pages/{slug}', 'docs://posts/{id}']);
    await session.close();
    await server.close();
  });

  it('reports notifications/resources/updated with the URI', async () => {
    const { session, server } = await connected();
    const updated = new Promise<string>((resolve) => session.onDidUpdateResource((uri) => resolve(uri)));
    await server.server.sendResourceUpdated({ uri: 'docs://readme' });
    assert.equal(await updated, 'docs://readme');
    await session.close();
    await server.close();
  });
});
