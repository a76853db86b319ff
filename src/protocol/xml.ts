import type { ListShape, MapShape, Shape, StructureShape } from './shapes.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;', '\n': '&#xA;' };

/**
 * What escapeXml must look at: the specials, and every UTF-16 unit that may start a character
 * XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates — paired ones are checked one by one —
 * and U+FFFE/U+FFFF). Text without any of them, nearly all text, is returned as it is.
 */
const NEEDS_ESCAPING = /[&<>"'\r\n\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** What a character XML 1.0 cannot carry becomes (U+FFFD REPLACEMENT CHARACTER). */
export const XML_REPLACEMENT = '\uFFFD';

/**
 * Escapes text for XML content. CR and LF are encoded so clients read them back unchanged.
 *
 * A character XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets: C0 controls other than tab,
 * LF and CR; lone surrogates; U+FFFE, U+FFFF) cannot be written at all, not even as a character
 * reference, so it is written as U+FFFD: the answer stays well-formed for every strict parser
 * (botocore's, the SDKs'). Where AWS refuses such characters, the services refuse them at input
 * (SQS message bodies and attributes, tag keys and values); what is left is text a request
 * echoes back, such as an error message quoting a malformed queue URL.
 */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let replacement: string | undefined;
    if (code < 0x20) {
      if (code === 0x0a) replacement = '&#xA;';
      else if (code === 0x0d) replacement = '&#xD;';
      else if (code !== 0x09) replacement = XML_REPLACEMENT;
    } else if (code === 0x26 || code === 0x3c || code === 0x3e || code === 0x22 || code === 0x27) {
      replacement = ESCAPES[text[i]];
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed pair: one character of a supplementary plane, kept
        continue;
      }
      replacement = XML_REPLACEMENT;
    } else if (code === 0xfffe || code === 0xffff) replacement = XML_REPLACEMENT;
    if (replacement === undefined) continue;
    out += text.slice(from, i) + replacement;
    from = i + 1;
  }
  return out + text.slice(from);
}

/** Characters XML 1.0 cannot carry at all, even escaped (AWS rejects them in message bodies). */
export function hasInvalidXmlCharacters(text: string): boolean {
  return /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(text);
}

/** Writes a value as the children of an element, following its shape (the Query protocol's XML). */
export function writeXmlMembers(shape: StructureShape | undefined, value: unknown, out: string[]): void {
  if (value === undefined || value === null) return;
  if (!shape) return writeUntyped(value, out);
  const record = value as Record<string, unknown>;
  for (const [name, member] of Object.entries(shape.members)) {
    const v = record[name];
    if (v === undefined || v === null) continue;
    writeElement(member.wireName ?? name, member.shape, v, out);
  }
}

function writeElement(name: string, shape: Shape, value: unknown, out: string[]): void {
  switch (shape.type) {
    case 'list':
      return writeList(name, shape, value as unknown[], out);
    case 'map':
      return writeMap(name, shape, value as Record<string, unknown>, out);
    case 'structure':
      out.push(`<${name}>`);
      writeXmlMembers(shape, value, out);
      out.push(`</${name}>`);
      return;
    default:
      out.push(`<${name}>${escapeXml(scalarText(shape, value))}</${name}>`);
  }
}

function writeList(name: string, shape: ListShape, items: unknown[], out: string[]): void {
  if (shape.flattened) {
    for (const item of items) writeElement(name, shape.member, item, out);
    return;
  }
  out.push(`<${name}>`);
  for (const item of items) writeElement(shape.memberName ?? 'member', shape.member, item, out);
  out.push(`</${name}>`);
}

function writeMap(name: string, shape: MapShape, entries: Record<string, unknown>, out: string[]): void {
  const keyName = shape.keyName ?? 'key';
  const valueName = shape.valueName ?? 'value';
  if (!shape.flattened) out.push(`<${name}>`);
  for (const [k, v] of Object.entries(entries)) {
    out.push(shape.flattened ? `<${name}>` : '<entry>');
    out.push(`<${keyName}>${escapeXml(k)}</${keyName}>`);
    writeElement(valueName, shape.value, v, out);
    out.push(shape.flattened ? `</${name}>` : '</entry>');
  }
  if (!shape.flattened) out.push(`</${name}>`);
}

function scalarText(shape: Shape, value: unknown): string {
  if (shape.type === 'timestamp') {
    const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : String(value));
    return date.toISOString();
  }
  if (shape.type === 'blob' && value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (shape.type === 'document') return JSON.stringify(value);
  return String(value);
}

/** Output without a shape: objects become elements, arrays `<member>` lists. */
function writeUntyped(value: unknown, out: string[]): void {
  if (typeof value !== 'object' || value === null) {
    out.push(escapeXml(String(value)));
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    out.push(`<${k}>`);
    if (Array.isArray(v)) {
      for (const item of v) {
        out.push('<member>');
        writeUntyped(item, out);
        out.push('</member>');
      }
    } else if (v instanceof Date) out.push(v.toISOString());
    else writeUntyped(v, out);
    out.push(`</${k}>`);
  }
}
