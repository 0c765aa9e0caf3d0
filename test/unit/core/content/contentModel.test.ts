import * as assert from 'node:assert/strict';
import { contentView, contentViews, MAX_INLINE_IMAGE_BYTES, readResultViews, resourceView } from '../../../../src/core/content/contentModel';
import { base64ByteLength, isBase64, languageFor, sniffRaster } from '../../../../src/core/content/mediaTypes';

/** 1×1 PNG. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const JPEG_HEAD = btoa(String.fromCharCode(0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1));
const SVG_WITH_SCRIPT = btoa('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');

describe('content model', () => {
  it('keeps text as text and says when a huge one is cut', () => {
    assert.deepEqual(contentView({ type: 'text', text: 'hello' }), { kind: 'text', text: 'hello', truncated: false });
    const huge = contentView({ type: 'text', text: 'x'.repeat(2 * 1024 * 1024) });
    assert.equal(huge.kind === 'text' && huge.truncated, true);
  });

  it('shows a PNG as an image, with its size', () => {
    const view = contentView({ type: 'image', data: PNG, mimeType: 'image/png' });
    assert.equal(view.kind, 'image');
    assert.equal(view.kind === 'image' && view.mimeType, 'image/png');
    assert.equal(view.kind === 'image' && view.bytes, base64ByteLength(PNG));
  });

  it('never shows an SVG image (it can carry scripts), but says what it is', () => {
    const view = contentView({ type: 'image', data: SVG_WITH_SCRIPT, mimeType: 'image/svg+xml' });
    assert.equal(view.kind, 'binary');
    assert.match(view.kind === 'binary' ? view.note : '', /SVG can carry scripts/);
  });

  it('trusts the bytes, not the declared type: a "PNG" that is an SVG is not shown', () => {
    const view = contentView({ type: 'image', data: SVG_WITH_SCRIPT, mimeType: 'image/png' });
    assert.equal(view.kind, 'binary');
    assert.match(view.kind === 'binary' ? view.note : '', /declared image\/png, but the bytes are not/);
  });

  it('shows a JPEG declared as PNG as the JPEG it is, and notes the declared type', () => {
    const view = contentView({ type: 'image', data: JPEG_HEAD, mimeType: 'image/png' });
    assert.equal(view.kind === 'image' && view.mimeType, 'image/jpeg');
    assert.equal(view.kind === 'image' && view.declaredMimeType, 'image/png');
  });

  it('describes a huge image instead of inlining it', () => {
    const data = PNG.slice(0, 24) + 'A'.repeat(4 * Math.ceil(MAX_INLINE_IMAGE_BYTES / 3) + 8);
    const view = contentView({ type: 'image', data, mimeType: 'image/png' });
    assert.equal(view.kind, 'binary');
    assert.match(view.kind === 'binary' ? view.note : '', /too large/);
  });

  it('refuses data that is not base64', () => {
    assert.equal(contentView({ type: 'image', data: '<script>', mimeType: 'image/png' }).kind, 'invalid');
    assert.equal(contentView({ type: 'audio', data: 'not base64!', mimeType: 'audio/wav' }).kind, 'invalid');
    assert.equal(isBase64('abc'), true);
    assert.equal(isBase64('a'), false);
  });

  it('keeps audio as audio with its type and size, to be saved', () => {
    const view = contentView({ type: 'audio', data: btoa('RIFF....WAVE'), mimeType: 'audio/wav' });
    assert.deepEqual(view, { kind: 'audio', mimeType: 'audio/wav', data: btoa('RIFF....WAVE'), bytes: 12 });
  });

  it('lists a resource link without reading it, whatever its scheme', () => {
    const view = contentView({ type: 'resource_link', uri: 'file:///etc/passwd', name: 'passwd', mimeType: 'text/plain' });
    assert.deepEqual(view, { kind: 'link', uri: 'file:///etc/passwd', name: 'passwd', mimeType: 'text/plain' });
  });

  it('shows an embedded text resource as source in the language of its type, HTML included', () => {
    const view = contentView({ type: 'resource', resource: { uri: 'ui://page', mimeType: 'text/html', text: '<script>alert(1)</script>' } });
    assert.deepEqual(view, { kind: 'resource', uri: 'ui://page', view: { kind: 'text', text: '<script>alert(1)</script>', language: 'html', mimeType: 'text/html' } });
  });

  it('says an embedded blob is binary, with type and size, and keeps the bytes only for saving', () => {
    const view = contentView({ type: 'resource', resource: { uri: 'demo://b', mimeType: 'application/octet-stream', blob: btoa('12345') } });
    assert.equal(view.kind === 'resource' && view.view.kind, 'binary');
    assert.equal(view.kind === 'resource' && view.view.kind === 'binary' && view.view.bytes, 5);
  });

  it('shows a blob of a textual type as text only when it is UTF-8 text', () => {
    assert.deepEqual(resourceView({ uri: 'demo://x.json', mimeType: 'application/json', blob: btoa('{"a":1}') }), { kind: 'text', text: '{"a":1}', language: 'json', mimeType: 'application/json' });
    const lying = resourceView({ uri: 'demo://y', mimeType: 'text/plain', blob: btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0, 0xff, 0xfe)) });
    assert.equal(lying.kind, 'binary', 'bytes that are not UTF-8 text stay bytes, whatever the type says');
    assert.equal(resourceView({ uri: 'demo://z', mimeType: 'text/plain', blob: btoa('a\0b') }).kind, 'binary');
  });

  it('names content of an unknown type and refuses malformed blocks', () => {
    assert.deepEqual(contentView({ type: 'hologram', data: 'x' }), { kind: 'unknown', type: 'hologram' });
    assert.equal(contentView(null).kind, 'invalid');
    assert.equal(contentView({ type: 'text' }).kind, 'invalid');
    assert.equal(contentView({ type: 'resource', resource: 'x' }).kind, 'invalid');
    assert.deepEqual(contentViews('nope'), [{ kind: 'invalid', reason: 'the content is not a list of blocks' }]);
  });

  it('reads every part of a resources/read result', () => {
    const parts = readResultViews({ contents: [{ uri: 'a://1', text: '{}', mimeType: 'application/json' }, { uri: 'a://2', blob: PNG, mimeType: 'image/png' }] });
    assert.deepEqual(parts.map((p) => [p.uri, p.view.kind]), [['a://1', 'text'], ['a://2', 'image']]);
    assert.equal(readResultViews({}).at(0)?.view.kind, 'invalid');
    assert.equal(resourceView({ uri: 'x' }).kind, 'invalid');
  });

  it('picks a language from the media type, then the URI, then plain text', () => {
    assert.equal(languageFor('application/json; charset=utf-8'), 'json');
    assert.equal(languageFor('application/vnd.api+json'), 'json');
    assert.equal(languageFor(undefined, 'file:///src/app.ts'), 'typescript');
    assert.equal(languageFor('application/x-unknown', 'demo://x'), 'plaintext');
  });

  it('recognises raster formats by their signatures only', () => {
    assert.equal(sniffRaster(PNG), 'png');
    assert.equal(sniffRaster(btoa('GIF89a......')), 'gif');
    assert.equal(sniffRaster(btoa('RIFF\0\0\0\0WEBPVP8 ')), 'webp');
    assert.equal(sniffRaster(SVG_WITH_SCRIPT), undefined);
    assert.equal(sniffRaster(''), undefined);
  });
});
