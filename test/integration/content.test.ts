import * as assert from 'node:assert/strict';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import { completionParams, completionValues } from '../../src/core/content/completions';
import { contentViews, readResultViews } from '../../src/core/content/contentModel';
import { promptMarkdown, toolResultMarkdown } from '../../src/core/content/markdown';
import { schemaMismatch, structuredView } from '../../src/core/content/structuredContent';
import { UriTemplate } from '../../src/core/content/uriTemplate';
import { PermissionDeniedError } from '../../src/core/permissions/permissionDenied';
import { allow, deny, scriptedPermissions, type ScriptedPermissions } from '../support/scriptedPermissions';
import { EVERYTHING, FIXTURE, NODE, running, sessionOf, startServers, type Harness } from './harness';

// Prompts, resources, templates, completions and rich tool results of server-everything (stdio, the initialize
// era) and of the v2 fixture (2026-07-28), through the real registry, gate and broker: only the user's answers
// are scripted.
describe('prompts, resources, completions and tool results', function () {
  this.timeout(60_000);
  let p: ScriptedPermissions;
  let harness: Harness;

  async function start(servers: Record<string, unknown>): Promise<Harness> {
    p = scriptedPermissions({ workspaceFolder: '/tmp' });
    const audit = { record: (e: AuditInput | (() => AuditInput)) => p.audited.push(typeof e === 'function' ? e() : e) };
    p.prompter.answer(allow('workspace')); // the launch
    harness = await startServers(servers, { permissions: p.harness, audit });
    return harness;
  }

  /** The user allows every further question for the session; the questions are still asked and recorded. */
  function allowEverything(): void {
    p.prompter.answer(...Array.from({ length: 50 }, () => allow('session')));
  }

  describe('server-everything (initialize era)', () => {
    // A server per test: the harness stops every server after each test.
    beforeEach(async () => {
      await start({ everything: { command: NODE, args: [EVERYTHING, 'stdio'] } });
      const info = sessionOf(await harness.waitFor('everything', running, 'running'));
      assert.equal(info.era, 'legacy');
    });

    it('lists resource templates in the catalog, next to resources and prompts', () => {
      const catalog = harness.server('everything').catalog;
      assert.deepEqual(catalog.resourceTemplates?.map((t) => t.uriTemplate).sort(), ['demo://resource/dynamic/blob/{resourceId}', 'demo://resource/dynamic/text/{resourceId}']);
      assert.ok(catalog.resources.some((r) => r.uri === 'demo://resource/static/document/architecture.md'));
      assert.ok(['simple-prompt', 'args-prompt', 'completable-prompt', 'resource-prompt'].every((name) => catalog.prompts.some((prompt) => prompt.name === name)));
    });

    it('gets a prompt with an argument, asked through the gate, and renders each message with its role', async () => {
      allowEverything();
      const before = p.prompter.questions.length;
      const result = await harness.registry.request('everything', 'prompts/get', { name: 'args-prompt', arguments: { city: 'Paris' } });
      const question = p.prompter.questions.at(before);
      assert.deepEqual([question?.request.permission.kind, question?.request.permission.target], ['prompt', 'args-prompt']);
      const markdown = promptMarkdown('everything', 'args-prompt', { city: 'Paris' }, result);
      assert.match(markdown, /## 1\. user\n\n```\nWhat's weather in Paris\?\n```/);
    });

    it('completes prompt arguments, the second narrowed by the first', async () => {
      allowEverything();
      const target = { kind: 'prompt', name: 'completable-prompt' } as const;
      const departments = completionValues(await harness.registry.request('everything', 'completion/complete', completionParams(target, 'department', 'Eng', {})));
      assert.deepEqual(departments, ['Engineering']);
      const names = completionValues(await harness.registry.request('everything', 'completion/complete', completionParams(target, 'name', '', { department: 'Sales' })));
      assert.deepEqual(names, ['David', 'Eve', 'Frank']);
    });

    it('completes a template variable, expands the template and reads the resource', async () => {
      allowEverything();
      const template = harness.server('everything').catalog.resourceTemplates?.find((t) => t.uriTemplate.includes('/text/'));
      assert.ok(template);
      const values = completionValues(await harness.registry.request('everything', 'completion/complete', completionParams({ kind: 'template', uriTemplate: template.uriTemplate }, 'resourceId', '7', {})));
      assert.deepEqual(values, ['7']);
      const uri = new UriTemplate(template.uriTemplate).expand({ resourceId: values[0]! });
      assert.equal(uri, 'demo://resource/dynamic/text/7');
      const [part] = readResultViews(await harness.registry.request('everything', 'resources/read', { uri }));
      assert.equal(part?.view.kind, 'text');
      assert.match(part?.view.kind === 'text' ? part.view.text : '', /^Resource 7: This is a plaintext resource/);
    });

    it('reads a listed text resource in the language of its type, and a text/plain blob as the text it is', async () => {
      allowEverything();
      const [doc] = readResultViews(await harness.registry.request('everything', 'resources/read', { uri: 'demo://resource/static/document/architecture.md' }));
      assert.equal(doc?.view.kind === 'text' && doc.view.language, 'markdown');
      const [blob] = readResultViews(await harness.registry.request('everything', 'resources/read', { uri: 'demo://resource/dynamic/blob/3' }));
      assert.match(blob?.view.kind === 'text' ? blob.view.text : '', /^Resource 3: This is a base64 blob/);
    });

    it('shows get-tiny-image as an image: checked PNG bytes in a data URI', async () => {
      allowEverything();
      const tool = harness.server('everything').catalog.tools.find((t) => t.name === 'get-tiny-image');
      const result = await harness.registry.callTool('everything', 'get-tiny-image', {});
      const image = contentViews(result.content).find((view) => view.kind === 'image');
      assert.equal(image?.kind === 'image' && image.mimeType, 'image/png');
      assert.match(toolResultMarkdown('everything', 'get-tiny-image', result, tool?.outputSchema), /!\[image, image\/png, [\d.]+ (KiB|bytes)\]\(data:image\/png;base64,iVBOR/);
    });

    it("shows structured content with the SDK's check against the tool's output schema", async () => {
      allowEverything();
      const tool = harness.server('everything').catalog.tools.find((t) => t.name === 'get-structured-content');
      assert.ok(tool?.outputSchema);
      const result = await harness.registry.callTool('everything', 'get-structured-content', { location: 'Chicago' });
      const view = structuredView(result, tool.outputSchema);
      assert.equal(view?.check, 'matches-schema');
      assert.match(view?.json ?? '', /"temperature": /);
    });

    it('lists resource links, and opening one is a gated read on the server, never a read by the client', async () => {
      allowEverything();
      const result = await harness.registry.callTool('everything', 'get-resource-links', { count: 2 });
      const links = contentViews(result.content).filter((view) => view.kind === 'link');
      assert.deepEqual(links.map((l) => l.kind === 'link' && l.uri), ['demo://resource/dynamic/blob/1', 'demo://resource/dynamic/text/2']);
      // A link to a local file is asked about, then read on the server, which has no such resource.
      const before = p.prompter.questions.length;
      await assert.rejects(harness.registry.request('everything', 'resources/read', { uri: 'file:///etc/passwd' }), (error: Error) => !/root:/.test(error.message));
      assert.equal(p.prompter.questions.at(before)?.request.permission.target, 'file:///etc/passwd');
    });

    it('a read the user denies is refused', async () => {
      const questions = p.prompter.questions.length;
      p.prompter.answer(deny());
      await assert.rejects(harness.registry.request('everything', 'resources/read', { uri: 'demo://resource/static/document/features.md' }), PermissionDeniedError);
      assert.equal(p.prompter.questions.length, questions + 1);
    });

    it('reports notifications/resources/updated for a subscribed resource', async () => {
      allowEverything();
      const uri = 'demo://resource/static/document/architecture.md';
      const updated = new Promise<{ server: string; uri: string }>((resolve) => {
        const subscription = harness.registry.onDidUpdateResource((event) => {
          subscription.dispose();
          resolve(event);
        });
      });
      await harness.registry.request('everything', 'resources/subscribe', { uri });
      // The server sends updates once this tool turns them on (at once, then every 5 s).
      await harness.registry.callTool('everything', 'toggle-subscriber-updates', {});
      assert.deepEqual(await updated, { server: 'everything', uri });
      await harness.registry.callTool('everything', 'toggle-subscriber-updates', {});
      await harness.registry.request('everything', 'resources/unsubscribe', { uri });
    });
  });

  describe('the v2 fixture (2026-07-28)', () => {
    beforeEach(async () => {
      await start({ modern: { command: NODE, args: [FIXTURE, '--era', 'modern'] } });
      assert.equal(sessionOf(await harness.waitFor('modern', running, 'running')).era, 'modern');
    });

    it('gets a prompt and reads a resource through the gate', async () => {
      p.prompter.answer(allow('once'), allow('once'));
      const prompt = await harness.registry.request('modern', 'prompts/get', { name: 'greet', arguments: { name: 'Ada' } });
      assert.match(promptMarkdown('modern', 'greet', { name: 'Ada' }, prompt), /## 1\. user\n\n```\nHello Ada\n```/);
      const [part] = readResultViews(await harness.registry.request('modern', 'resources/read', { uri: 'fixture://readme' }));
      assert.deepEqual(part?.view, { kind: 'text', text: 'fixture readme', language: 'plaintext' });
      assert.deepEqual(p.prompter.questions.slice(-2).map((q) => q.request.permission.kind), ['prompt', 'resource']);
      assert.deepEqual(harness.server('modern').catalog.resourceTemplates, []);
    });
  });
});

describe('hostile and broken content (through the real registry)', function () {
  this.timeout(60_000);
  const CONTENT = FIXTURE.replace('fixture-server.mjs', 'content-server.mjs');

  it('refuses structured content that breaks its output schema, and says so plainly', async () => {
    const harness = await startServers({ content: { command: NODE, args: [CONTENT] } });
    await harness.waitFor('content', running, 'running');
    const error = await harness.registry.callTool('content', 'weather', {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.match(schemaMismatch(error) ?? '', /^Structured content does not match the tool's output schema: .*temperature/);
  });

  it('shows none of a hostile result: no SVG, no HTML rendered, no local file read, no 6 MiB data URI', async () => {
    const harness = await startServers({ content: { command: NODE, args: [CONTENT] } });
    await harness.waitFor('content', running, 'running');
    const result = await harness.registry.callTool('content', 'hostile', {});
    const kinds = contentViews(result.content).map((view) => (view.kind === 'resource' ? `resource:${view.view.kind}` : view.kind));
    assert.deepEqual(kinds, ['binary', 'resource:text', 'link', 'binary']);
    const markdown = toolResultMarkdown('content', 'hostile', result, undefined);
    assert.doesNotMatch(markdown, /!\[|data:image/, 'no image is inlined');
    assert.match(markdown, /declared image\/png, but the bytes are not/);
    assert.match(markdown, /too large to show inline/);
    assert.match(markdown, /````?html\n<html><body><script>/, 'the page is shown as HTML source in a fenced block');
    assert.doesNotMatch(markdown, /root:x:0:0/);
    assert.ok(markdown.length < 10_000, 'the 6 MiB payload is described, not dumped');
    const [page] = readResultViews(await harness.registry.request('content', 'resources/read', { uri: 'page://index' }));
    assert.equal(page?.view.kind === 'text' && page.view.language, 'html');
  });
});
