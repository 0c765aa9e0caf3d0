/** What MCP Warden makes of the media types and base64 payloads servers send: nothing here trusts the declared type. */

/** Raster image formats a preview shows without running anything; SVG is not one of them (it can carry scripts). */
export type RasterFormat = 'png' | 'jpeg' | 'gif' | 'webp';

const RASTER_MIME: Record<RasterFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/** The media type of a raster format, for a data URI built from sniffed bytes rather than from the server's word. */
export function rasterMimeType(format: RasterFormat): string {
  return RASTER_MIME[format];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** True when `data` is plain base64 (whitespace-free, padded or not): anything else is not decoded. */
export function isBase64(data: string): boolean {
  return data.length % 4 !== 1 && BASE64.test(data);
}

/** How many bytes a base64 string decodes to, without decoding it. */
export function base64ByteLength(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

/** The first bytes of a base64 payload: enough to recognise a format by its signature. */
function leadingBytes(data: string, count: number): number[] {
  const chunk = data.slice(0, Math.ceil(count / 3) * 4).replace(/=+$/, '');
  let decoded: string;
  try {
    decoded = atob(chunk.padEnd(Math.ceil(chunk.length / 4) * 4, '='));
  } catch {
    return [];
  }
  return [...decoded.slice(0, count)].map((c) => c.charCodeAt(0));
}

function startsWith(bytes: readonly number[], signature: readonly number[], offset = 0): boolean {
  return signature.every((value, index) => bytes[offset + index] === value);
}

/** The raster format the bytes really are, by their signature; undefined for anything else (SVG included). */
export function sniffRaster(base64: string): RasterFormat | undefined {
  const bytes = leadingBytes(base64, 16);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return undefined;
}

/** "1.2 KiB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const LANGUAGE_BY_MIME: Record<string, string> = {
  'text/plain': 'plaintext',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/css': 'css',
  'text/csv': 'csv',
  'text/xml': 'xml',
  'application/xml': 'xml',
  'image/svg+xml': 'xml',
  'application/json': 'json',
  'application/ld+json': 'json',
  'application/schema+json': 'json',
  'text/javascript': 'javascript',
  'application/javascript': 'javascript',
  'text/typescript': 'typescript',
  'application/typescript': 'typescript',
  'text/x-python': 'python',
  'text/x-shellscript': 'shellscript',
  'application/x-sh': 'shellscript',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'application/toml': 'toml',
  'application/sql': 'sql',
  'text/x-rust': 'rust',
  'text/x-go': 'go',
  'text/x-java': 'java',
};

const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  md: 'markdown',
  json: 'json',
  js: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  py: 'python',
  sh: 'shellscript',
  yml: 'yaml',
  yaml: 'yaml',
  html: 'html',
  css: 'css',
  xml: 'xml',
  csv: 'csv',
  rs: 'rust',
  go: 'go',
  java: 'java',
  sql: 'sql',
  toml: 'toml',
};

/**
 * The editor language for a text resource: from its media type, else from the extension of its URI, else plain
 * text. Only a language id: the text is shown as source (HTML is never rendered).
 */
export function languageFor(mimeType: string | undefined, uri?: string): string {
  const base = mimeType?.split(';', 1)[0]?.trim().toLowerCase();
  if (base && LANGUAGE_BY_MIME[base]) return LANGUAGE_BY_MIME[base];
  if (base?.endsWith('+json')) return 'json';
  if (base?.endsWith('+xml')) return 'xml';
  const extension = uri?.match(/\.([A-Za-z0-9]+)(?:[?#].*)?$/)?.[1]?.toLowerCase();
  return (extension && LANGUAGE_BY_EXTENSION[extension]) || 'plaintext';
}

/** A file extension for saving a payload of this media type (audio, images, other binary). */
export function extensionFor(mimeType: string | undefined): string {
  const base = mimeType?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const known: Record<string, string> = {
    'audio/wav': 'wav',
    'audio/x-wav': 'wav',
    'audio/wave': 'wav',
    'audio/mpeg': 'mp3',
    'audio/mp3': 'mp3',
    'audio/ogg': 'ogg',
    'audio/webm': 'webm',
    'audio/flac': 'flac',
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/gif': 'gif',
    'image/webp': 'webp',
    'image/svg+xml': 'svg',
    'application/pdf': 'pdf',
    'application/zip': 'zip',
    'application/gzip': 'gz',
  };
  return known[base] ?? 'bin';
}
