import * as assert from 'node:assert/strict';
import { buildGatewayView, diffViews, singleServerView, type RunningServer } from '../../../src/core/gateway/gatewayCatalog';
import type { ServerCatalog, ToolInfo } from '../../../src/core/lifecycle/session';

const schema = { type: 'object' };
const tool = (name: string, description = `${name} does things`): ToolInfo => ({ name, description, inputSchema: schema });

function server(name: string, catalog: Partial<ServerCatalog>): RunningServer {
  return { name, catalog: { tools: [], prompts: [], resources: [], resourceTemplates: [], ...catalog } };
}

const github = server('github', {
  tools: [{ ...tool('create_issue'), title: 'Create issue' }, tool('search')],
  prompts: [{ name: 'triage', description: 'Triage an issue' }],
});
const fs = server('fs', { tools: [tool('read_file'), tool('search')], prompts: [{ name: 'triage' }] });

describe('gateway catalog', () => {
  it('names tools and prompts by server and keeps the original for forwarding, title and description untouched', () => {
    const view = buildGatewayView([github, fs]);
    assert.deepEqual(view.servers, ['fs', 'github']);
    assert.deepEqual(
      view.listedTools.map((t) => t.name),
      ['fs__read_file', 'fs__search', 'github__create_issue', 'github__search'],
    );
    const listed = view.listedTools.find((t) => t.name === 'github__create_issue')!;
    assert.equal(listed.title, 'Create issue');
    assert.equal(listed.description, 'create_issue does things');
    assert.deepEqual(view.tool('github__search'), { qualifiedName: 'github__search', server: 'github', tool: github.catalog.tools[1], direct: true });
    assert.equal(view.tool('search'), undefined);
    assert.deepEqual(view.prompts.map((p) => p.name), ['fs__triage', 'github__triage']);
    assert.equal(view.prompts[1]!.description, 'Triage an issue');
    assert.deepEqual(view.prompt('github__triage'), { server: 'github', name: 'triage' });
  });

  it('lists only the tools of servers exposed directly; the others stay reachable by name', () => {
    const view = buildGatewayView([github, fs], { exposedDirectly: new Set(['fs']) });
    assert.deepEqual(view.listedTools.map((t) => t.name), ['fs__read_file', 'fs__search']);
    assert.equal(view.tools.length, 4);
    assert.equal(view.tool('github__create_issue')?.direct, false);
    assert.equal(view.tool('fs__read_file')?.direct, true);
    assert.equal(buildGatewayView([github, fs], { exposedDirectly: 'all' }).listedTools.length, 4);
    assert.equal(buildGatewayView([github, fs], { exposedDirectly: new Set() }).listedTools.length, 0);
  });

  it('offers a tool or prompt a server lists twice once', () => {
    const twice = buildGatewayView([server('dup', { tools: [tool('a', 'first'), tool('a', 'second')], prompts: [{ name: 'p' }, { name: 'p' }] })]);
    assert.deepEqual(twice.listedTools.map((t) => t.description), ['first']);
    assert.equal(twice.tool('dup__a')?.tool.description, 'first');
    assert.deepEqual(twice.prompts, [{ name: 'dup__p' }]);
  });

  it('does not depend on the order of the servers', () => {
    const a = buildGatewayView([github, fs]);
    const b = buildGatewayView([fs, github]);
    assert.deepEqual(a.fingerprints, b.fingerprints);
    assert.deepEqual(a.listedTools, b.listedTools);
  });

  it('gives a single server its own names, every tool direct and every URI forwarded to it', () => {
    const view = singleServerView(github);
    assert.deepEqual(view.listedTools.map((t) => t.name), ['create_issue', 'search']);
    assert.deepEqual(view.tool('create_issue')?.tool, github.catalog.tools[0]);
    assert.deepEqual(view.prompt('triage'), { server: 'github', name: 'triage' });
    assert.deepEqual(view.resolveResource('anything://x'), { server: 'github', uri: 'anything://x' });
    assert.equal(view.publicResourceUri('github', 'anything://x'), 'anything://x');
  });

  describe('diff', () => {
    const base = [github, fs];

    it('reports nothing for the same catalogues, and each changed list alone', () => {
      assert.deepEqual(diffViews(buildGatewayView(base), buildGatewayView([fs, github])), { tools: false, prompts: false, resources: false });
      const described = server('fs', { ...fs.catalog, tools: [tool('read_file', 'Reads a file'), tool('search')] });
      assert.deepEqual(diffViews(buildGatewayView(base), buildGatewayView([github, described])), { tools: true, prompts: false, resources: false });
      const prompted = server('fs', { ...fs.catalog, prompts: [] });
      assert.deepEqual(diffViews(buildGatewayView(base), buildGatewayView([github, prompted])), { tools: false, prompts: true, resources: false });
      const templated = server('fs', { ...fs.catalog, resourceTemplates: [{ uriTemplate: 'file:///{path}', name: 'file' }] });
      assert.deepEqual(diffViews(buildGatewayView(base), buildGatewayView([github, templated])), { tools: false, prompts: false, resources: true });
    });

    it('reports the tool list when the servers exposed directly change, not when a hidden tool changes', () => {
      const hidden = { exposedDirectly: new Set(['fs']) };
      assert.equal(diffViews(buildGatewayView(base), buildGatewayView(base, hidden)).tools, true);
      const changedHidden = server('github', { ...github.catalog, tools: [tool('create_issue', 'new text')] });
      assert.equal(diffViews(buildGatewayView(base, hidden), buildGatewayView([changedHidden, fs], hidden)).tools, false);
    });

    it('compares a first view with an empty one', () => {
      assert.deepEqual(diffViews(undefined, buildGatewayView([])), { tools: false, prompts: false, resources: false });
      assert.deepEqual(diffViews(undefined, buildGatewayView([server('x', {})])), { tools: false, prompts: false, resources: false });
      assert.deepEqual(diffViews(undefined, buildGatewayView(base)), { tools: true, prompts: true, resources: false });
    });
  });
});
