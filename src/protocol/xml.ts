import type { ListShape, MapShape, Shape, StructureShape } from './shapes.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;', '\n': '&#xA;' };

/** Escapes text for XML content. CR and LF are encoded so clients read them back unchanged. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r\n]/g, (c) => ESCAPES[c]);
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
