import * as assert from 'node:assert/strict';
import { buildGatewayView, type RunningServer } from '../../../src/core/gateway/gatewayCatalog';
import type { ResourceInfo, ResourceTemplateInfo } from '../../../src/core/lifecycle/session';

function server(name: string, uris: string[], templates: string[] = []): RunningServer {
  const resources: ResourceInfo[] = uris.map((uri) => ({ uri, name: uri, description: `from ${name}` }));
  const resourceTemplates: ResourceTemplateInfo[] = templates.map((uriTemplate) => ({ uriTemplate, name: uriTemplate }));
  return { name, catalog: { tools: [], prompts: [], resources, resourceTemplates } };
}

describe('gateway resources', () => {
  const notes = server('notes', ['file:///shared/readme.md', 'notes://today'], ['notes://day/{date}', 'file:///{+path}']);
  const docs = server('docs', ['file:///shared/readme.md', 'docs://index'], ['docs://page/{id}', 'file:///{+path}']);
  const view = buildGatewayView([notes, docs]);

  it('keeps a URI only one server lists and prefixes one that two servers list, for each of them', () => {
    assert.deepEqual(view.resources.map((r) => r.uri), [
      'mcp-warden://docs/file%3A%2F%2F%2Fshared%2Freadme.md',
      'docs://index',
      'mcp-warden://notes/file%3A%2F%2F%2Fshared%2Freadme.md',
      'notes://today',
    ]);
    assert.equal(view.resources[0]!.description, 'from docs');
  });

  it('keeps a unique template and appends a shared one raw after the server prefix, so it still expands', () => {
    assert.deepEqual(view.resourceTemplates.map((t) => t.uriTemplate), [
      'docs://page/{id}',
      'mcp-warden://docs/file:///{+path}',
      'notes://day/{date}',
      'mcp-warden://notes/file:///{+path}',
    ]);
  });

  it('resolves a listed URI, then the prefixed forms, and refuses a URI two servers list when sent bare', () => {
    assert.deepEqual(view.resolveResource('notes://today'), { server: 'notes', uri: 'notes://today' });
    assert.deepEqual(view.resolveResource('mcp-warden://notes/file%3A%2F%2F%2Fshared%2Freadme.md'), { server: 'notes', uri: 'file:///shared/readme.md' });
    // What an agent gets by expanding the prefixed template with path = "a/b c".
    assert.deepEqual(view.resolveResource('mcp-warden://docs/file:///a/b%20c'), { server: 'docs', uri: 'file:///a/b%20c' });
    assert.equal(view.resolveResource('file:///shared/readme.md'), undefined);
    const shared = buildGatewayView([server('a', ['x://shared'], ['x://{id}']), server('b', ['x://shared'])]);
    assert.equal(shared.resolveResource('x://shared'), undefined, 'not sent to a by its template');
    assert.deepEqual(shared.resolveResource('x://other'), { server: 'a', uri: 'x://other' });
    assert.equal(view.resolveResource('mcp-warden://nobody/x%3Ay'), undefined);
    assert.equal(view.resolveResource('mcp-warden://docs/'), undefined);
    assert.equal(view.resolveResource('mcp-warden://docs/%E0%A4%A'), undefined, 'bad percent-encoding');
  });

  it('resolves an unlisted URI by the longest literal start of a unique template, else refuses', () => {
    assert.deepEqual(view.resolveResource('notes://day/2026-01-02'), { server: 'notes', uri: 'notes://day/2026-01-02' });
    assert.deepEqual(view.resolveResource('docs://page/7'), { server: 'docs', uri: 'docs://page/7' });
    // Both servers list file:///{+path}: only the prefixed form tells them apart.
    assert.equal(view.resolveResource('file:///etc/hosts'), undefined);
    assert.equal(view.resolveResource('other://x'), undefined);
    const longest = buildGatewayView([server('a', [], ['x://{id}']), server('b', [], ['x://deep/{id}'])]);
    assert.deepEqual(longest.resolveResource('x://deep/1'), { server: 'b', uri: 'x://deep/1' });
    assert.deepEqual(longest.resolveResource('x://1'), { server: 'a', uri: 'x://1' });
  });

  it('sends any URI to the only server that has resources or templates', () => {
    const one = buildGatewayView([server('notes', ['notes://today']), server('tools-only', [])]);
    assert.deepEqual(one.resolveResource('whatever://x'), { server: 'notes', uri: 'whatever://x' });
    const templatesOnly = buildGatewayView([server('t', [], ['{+any}']), server('tools-only', [])]);
    assert.deepEqual(templatesOnly.resolveResource('whatever://x'), { server: 't', uri: 'whatever://x' });
    assert.equal(buildGatewayView([server('tools-only', [])]).resolveResource('whatever://x'), undefined);
  });

  it('gives each server resource the URI an agent knows it by, and that URI resolves back to it', () => {
    for (const [owner, uri] of [
      ['notes', 'notes://today'],
      ['notes', 'file:///shared/readme.md'],
      ['docs', 'file:///shared/readme.md'],
      ['docs', 'file:///x/y'],
      ['notes', 'notes://day/1'],
      ['docs', 'notes://day/1'],
    ] as const) {
      const published = view.publicResourceUri(owner, uri)!;
      assert.deepEqual(view.resolveResource(published), { server: owner, uri }, `${owner} ${uri} → ${published}`);
    }
    assert.equal(view.publicResourceUri('notes', 'notes://today'), 'notes://today');
    assert.equal(view.publicResourceUri('nobody', 'x://y'), undefined);
  });
});
