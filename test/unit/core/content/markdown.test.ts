import * as assert from 'node:assert/strict';
import { code, fence, inline, promptMarkdown, resourceMarkdown, toolResultMarkdown } from '../../../../src/core/content/markdown';
import { PNG } from './contentModel.test';

const SVG = btoa('<svg onload="alert(1)"/>');

describe('content as markdown', () => {
  it('shows each prompt message with its role, text fenced and images inline', () => {
    const md = promptMarkdown('everything', 'resource-prompt', { city: 'Paris' }, {
      description: 'A prompt',
      messages: [
        { role: 'user', content: { type: 'text', text: 'What is in **this** image?' } },
        { role: 'assistant', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
      ],
    });
    assert.match(md, /## 1\. user/);
    assert.match(md, /```\nWhat is in \*\*this\*\* image\?\n```/);
    assert.match(md, /## 2\. assistant/);
    assert.ok(md.includes(`](data:image/png;base64,${PNG})`));
    assert.match(md, /- city: ` Paris `/);
  });

  it('never lets server text become markup: HTML, links and fences stay text', () => {
    const hostile = '```\n</pre><img src=https://evil.example/x>\n[click](command:workbench.action.terminal.new)';
    const md = toolResultMarkdown('s', 't', { content: [{ type: 'text', text: hostile }] }, undefined);
    assert.ok(md.includes('````\n```\n</pre>'), 'a longer fence keeps the inner fence as text');
    assert.equal(inline('<b>[x](y)</b>'), '\\<b\\>\\[x\\]\\(y\\)\\</b\\>');
    assert.equal(code('a`b'), '`` a`b ``');
    assert.equal(fence('``` x', 'json'), '````json\n``` x\n````\n');
  });

  it('does not inline an SVG, and says why', () => {
    const md = toolResultMarkdown('s', 't', { content: [{ type: 'image', data: SVG, mimeType: 'image/svg+xml' }] }, undefined);
    assert.doesNotMatch(md, /data:image\/svg/);
    assert.doesNotMatch(md, /!\[/);
    assert.match(md, /SVG can carry scripts/);
  });

  it('lists a resource link to a local file as text, with no link the preview could follow', () => {
    const md = toolResultMarkdown('s', 't', { content: [{ type: 'resource_link', uri: 'file:///etc/passwd', name: 'passwd' }] }, undefined);
    assert.match(md, /Resource link: \*\*passwd\*\* ` file:\/\/\/etc\/passwd `/);
    assert.doesNotMatch(md, /\]\(file:/);
    assert.doesNotMatch(md, /root:/);
  });

  it('says audio and binary are such, with type and size, and never dumps base64', () => {
    const blob = btoa('x'.repeat(3000));
    const md = toolResultMarkdown('s', 't', { content: [{ type: 'audio', data: blob, mimeType: 'audio/wav' }, { type: 'resource', resource: { uri: 'a://b', blob, mimeType: 'application/zip' } }] }, undefined);
    assert.match(md, /Audio: audio\/wav, 2\.9 KiB/);
    assert.match(md, /Binary content: application/);
    assert.ok(!md.includes(blob));
  });

  it('shows structured content as formatted JSON with the outcome of its check', () => {
    const withSchema = toolResultMarkdown('s', 't', { content: [], structuredContent: { temperature: 21 } }, { type: 'object' });
    assert.match(withSchema, /Matches the tool's output schema/);
    assert.match(withSchema, /```json\n\{\n {2}"temperature": 21\n\}\n```/);
    assert.match(toolResultMarkdown('s', 't', { content: [], structuredContent: {} }, undefined), /declares no output schema: not checked/);
    assert.match(toolResultMarkdown('s', 't', { content: [], structuredContent: {}, isError: true }, { type: 'object' }), /The tool reported an error[\s\S]*not checked/);
  });

  it('shows an HTML resource as HTML source, never rendered', () => {
    const md = resourceMarkdown('s', 'ui://x', { contents: [{ uri: 'ui://x', mimeType: 'text/html', text: '<script>alert(1)</script>' }] });
    assert.match(md, /```html\n<script>alert\(1\)<\/script>\n```/);
  });
});
