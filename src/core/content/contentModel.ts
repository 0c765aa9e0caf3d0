import { base64ByteLength, isBase64, languageFor, rasterMimeType, sniffRaster } from './mediaTypes';

/** Images above this are described, not inlined: a preview of a many-MiB data URI helps nobody. */
export const MAX_INLINE_IMAGE_BYTES = 4 * 1024 * 1024;
/** Text above this is cut in the rendered view (the whole text is still saved or opened as a document). */
export const MAX_INLINE_TEXT_CHARS = 1024 * 1024;

/** How one MCP content block or resource content is shown. Payloads stay base64; nothing here decodes them fully. */
export type ContentView =
  | { readonly kind: 'text'; readonly text: string; readonly truncated: boolean }
  /** A raster image whose bytes were checked: `mimeType` is the sniffed type, not the declared one. */
  | { readonly kind: 'image'; readonly mimeType: string; readonly data: string; readonly bytes: number; readonly declaredMimeType?: string }
  | { readonly kind: 'audio'; readonly mimeType: string; readonly data: string; readonly bytes: number }
  /** Bytes that are not shown: said as such, with type and size; `data` is kept for Save. */
  | { readonly kind: 'binary'; readonly mimeType: string; readonly bytes: number; readonly note: string; readonly data?: string }
  | { readonly kind: 'link'; readonly uri: string; readonly name: string; readonly title?: string; readonly description?: string; readonly mimeType?: string }
  | { readonly kind: 'resource'; readonly uri: string; readonly view: ResourceView }
  | { readonly kind: 'unknown'; readonly type: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/** The contents of a resource, as read or embedded. Text is shown as source with a language, never rendered. */
export type ResourceView =
  | { readonly kind: 'text'; readonly text: string; readonly language: string; readonly mimeType?: string }
  | Extract<ContentView, { kind: 'image' | 'audio' | 'binary' | 'invalid' }>;

/** The views of a `content` array (tool result, prompt message): one per block, in order. */
export function contentViews(blocks: unknown): ContentView[] {
  if (!Array.isArray(blocks)) return [{ kind: 'invalid', reason: 'the content is not a list of blocks' }];
  return blocks.map(contentView);
}

export function contentView(block: unknown): ContentView {
  if (!isRecord(block) || typeof block['type'] !== 'string') return { kind: 'invalid', reason: 'a content block without a type' };
  switch (block['type']) {
    case 'text':
      return typeof block['text'] === 'string' ? textView(block['text']) : { kind: 'invalid', reason: 'a text block without text' };
    case 'image':
      return imageView(block['data'], block['mimeType']);
    case 'audio':
      return audioView(block['data'], block['mimeType']);
    case 'resource_link': {
      if (typeof block['uri'] !== 'string') return { kind: 'invalid', reason: 'a resource link without a URI' };
      return {
        kind: 'link',
        uri: block['uri'],
        name: typeof block['name'] === 'string' ? block['name'] : block['uri'],
        ...optionalString(block, 'title'),
        ...optionalString(block, 'description'),
        ...optionalString(block, 'mimeType'),
      };
    }
    case 'resource': {
      const resource = block['resource'];
      if (!isRecord(resource) || typeof resource['uri'] !== 'string') return { kind: 'invalid', reason: 'an embedded resource without a URI' };
      return { kind: 'resource', uri: resource['uri'], view: resourceView(resource) };
    }
    default:
      return { kind: 'unknown', type: block['type'] };
  }
}

/** The view of one entry of `resources/read`'s `contents` (or of an embedded resource). */
export function resourceView(contents: unknown): ResourceView {
  if (!isRecord(contents)) return { kind: 'invalid', reason: 'resource contents that are not an object' };
  const mimeType = typeof contents['mimeType'] === 'string' ? contents['mimeType'] : undefined;
  const uri = typeof contents['uri'] === 'string' ? contents['uri'] : undefined;
  if (typeof contents['text'] === 'string') {
    return { kind: 'text', text: contents['text'], language: languageFor(mimeType, uri), ...(mimeType !== undefined && { mimeType }) };
  }
  if (typeof contents['blob'] !== 'string') return { kind: 'invalid', reason: 'resource contents with neither text nor blob' };
  const blob = contents['blob'];
  const base = mimeType?.split(';', 1)[0]?.trim().toLowerCase();
  if (base?.startsWith('image/')) return imageView(blob, mimeType);
  if (base?.startsWith('audio/')) return audioView(blob, mimeType);
  if (!isBase64(blob)) return { kind: 'invalid', reason: 'a blob that is not base64' };
  // A blob of a textual type is shown as text only if it really is UTF-8; otherwise, whatever the type says, bytes.
  const text = isTextual(base) ? utf8Text(blob) : undefined;
  if (text !== undefined) return { kind: 'text', text, language: languageFor(mimeType, uri), ...(mimeType !== undefined && { mimeType }) };
  return { kind: 'binary', mimeType: mimeType ?? 'application/octet-stream', bytes: base64ByteLength(blob), note: 'binary content', data: blob };
}

/** The views of `resources/read`'s result: one per entry of `contents`. */
export function readResultViews(result: unknown): { readonly uri: string; readonly view: ResourceView }[] {
  const contents = isRecord(result) ? result['contents'] : undefined;
  if (!Array.isArray(contents)) return [{ uri: '', view: { kind: 'invalid', reason: 'the result has no contents' } }];
  return contents.map((entry: unknown) => ({ uri: isRecord(entry) && typeof entry['uri'] === 'string' ? entry['uri'] : '', view: resourceView(entry) }));
}

/** Blobs above this are not decoded to be shown as text. */
const MAX_TEXT_BLOB_BYTES = 1024 * 1024;

function isTextual(mimeType: string | undefined): boolean {
  return !!mimeType && (mimeType.startsWith('text/') || /^application\/([\w.+-]+\+)?(json|xml|yaml|x-yaml|javascript|toml|sql)$/.test(mimeType));
}

/** The blob as text if it is valid UTF-8 without NUL bytes (binary that claims to be text is not), else undefined. */
function utf8Text(blob: string): string | undefined {
  if (base64ByteLength(blob) > MAX_TEXT_BLOB_BYTES) return undefined;
  try {
    const binary = atob(blob);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}

function textView(text: string): ContentView {
  return text.length > MAX_INLINE_TEXT_CHARS ? { kind: 'text', text: text.slice(0, MAX_INLINE_TEXT_CHARS), truncated: true } : { kind: 'text', text, truncated: false };
}

/**
 * An image is shown only when its bytes are a raster format (PNG, JPEG, GIF, WebP), whatever type the server
 * declared, and it is small enough to inline. SVG can carry scripts: described, never shown.
 */
function imageView(data: unknown, declared: unknown): Extract<ContentView, { kind: 'image' | 'binary' | 'invalid' }> {
  const declaredType = typeof declared === 'string' ? declared : 'image';
  if (typeof data !== 'string' || !isBase64(data)) return { kind: 'invalid', reason: `an image (${declaredType}) whose data is not base64` };
  const bytes = base64ByteLength(data);
  const format = sniffRaster(data);
  if (!format) {
    const svg = /svg/i.test(declaredType);
    const note = svg ? 'an SVG image: not shown, since SVG can carry scripts' : `declared ${declaredType}, but the bytes are not a PNG, JPEG, GIF or WebP image: not shown`;
    return { kind: 'binary', mimeType: declaredType, bytes, note, data };
  }
  if (bytes > MAX_INLINE_IMAGE_BYTES) return { kind: 'binary', mimeType: rasterMimeType(format), bytes, note: 'an image too large to show inline', data };
  const mimeType = rasterMimeType(format);
  return { kind: 'image', mimeType, data, bytes, ...(declaredType.toLowerCase() !== mimeType && { declaredMimeType: declaredType }) };
}

function audioView(data: unknown, declared: unknown): Extract<ContentView, { kind: 'audio' | 'invalid' }> {
  const mimeType = typeof declared === 'string' ? declared : 'audio';
  if (typeof data !== 'string' || !isBase64(data)) return { kind: 'invalid', reason: `audio (${mimeType}) whose data is not base64` };
  return { kind: 'audio', mimeType, data, bytes: base64ByteLength(data) };
}

function optionalString(record: Record<string, unknown>, key: 'title' | 'description' | 'mimeType'): Partial<Record<typeof key, string>> {
  return typeof record[key] === 'string' ? { [key]: record[key] } : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
