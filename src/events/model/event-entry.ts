import { endOfJsonString, parseJsonObject } from '../../core/json-object.js';

/**
 * PutEvents entries: the per-entry checks AWS makes and the event envelope rules see.
 * Pure: no clock, no ids of its own (the caller passes them), so it is tested without a server.
 */


export interface PutEventsEntry {
  Time?: Date;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

export interface EntryError {
  code: string;
  message: string;
}

/**
 * "The maximum size for a PutEvents event entry is 256 KB", counted as the UTF-8 bytes of
 * Source, DetailType, Detail and each Resource, plus 14 bytes for a Time
 * (User Guide, "Calculating PutEvents event entry size"). The same 256 KB bounds the request.
 */
export const MAX_ENTRIES_BYTES = 256 * 1024;
const TIME_BYTES = 14;

export function entrySize(entry: PutEventsEntry): number {
  let size = entry.Time !== undefined ? TIME_BYTES : 0;
  if (entry.Source !== undefined) size += Buffer.byteLength(entry.Source, 'utf8');
  if (entry.DetailType !== undefined) size += Buffer.byteLength(entry.DetailType, 'utf8');
  if (entry.Detail !== undefined) size += Buffer.byteLength(entry.Detail, 'utf8');
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, 'utf8');
  return size;
}

/** DetailType: "Maximum length of 128" (API Reference, PutEventsRequestEntry). */
const MAX_DETAIL_TYPE = 128;
/** JSON nesting PutEvents processes (API Reference, PutEvents: "nested JSON up to 1100 levels deep"). */
const MAX_DETAIL_DEPTH = 1100;

/**
 * The first thing wrong with an entry, as PutEvents reports it in the entry's ErrorCode and
 * ErrorMessage (the request itself succeeds), or null when the entry is fine.
 * Source, DetailType and Detail are optional in the model but required in practice: an entry
 * without one fails with InvalidArgument (API Reference, PutEventsRequestEntry).
 */
export function checkEntry(entry: PutEventsEntry): EntryError | null {
  if (entry.Source === undefined || entry.Source === '') return invalidArgument('Source', 'Source is a required argument.');
  if (entry.DetailType === undefined || entry.DetailType === '') return invalidArgument('DetailType', 'DetailType is a required argument.');
  if (entry.Detail === undefined || entry.Detail === '') return invalidArgument('Detail', 'Detail is a required argument.');
  if (entry.DetailType.length > MAX_DETAIL_TYPE) {
    return invalidArgument('DetailType', `DetailType exceeds the maximum length of ${MAX_DETAIL_TYPE} characters.`);
  }
  if (!isJsonObject(entry.Detail)) return { code: 'MalformedDetail', message: 'Detail is malformed.' };
  return null;
}

function invalidArgument(parameter: string, reason: string): EntryError {
  return { code: 'InvalidArgument', message: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

/** Detail must be a JSON object (not an array, string or number) within the nesting limit. */
function isJsonObject(text: string): boolean {
  return parseJsonObject(text) !== undefined && depthWithin(text, MAX_DETAIL_DEPTH);
}

/** Bracket depth of JSON text (strings skipped), without recursion. */
function depthWithin(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = endOfJsonString(text, i);
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return false;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return true;
}

/** `2024-05-01T12:00:00Z`: events carry their time to the second (User Guide, "Amazon EventBridge events"). */
export function eventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export interface EnvelopeFields {
  id: string;
  detailType: string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: readonly string[];
  /**
   * The Detail text, a JSON object: inserted with the white space between its tokens removed
   * and every token as given, so large integers keep every digit.
   */
  detail: string;
}

/**
 * The event as rules match it and targets receive it, with AWS's member order:
 * version, id, detail-type, source, account, time, region, resources, detail; compact, the
 * detail too (recorded against AWS: the envelope is compact JSON on the wire, facts §7
 * "Default envelope" [R]; a Detail sent as `{"a": 1}` arrives as `{"a":1}`).
 */
export function envelope(fields: EnvelopeFields): string {
  return (
    `{"version":"0","id":${JSON.stringify(fields.id)},"detail-type":${JSON.stringify(fields.detailType)},` +
    `"source":${JSON.stringify(fields.source)},"account":${JSON.stringify(fields.account)},"time":${JSON.stringify(fields.time)},` +
    `"region":${JSON.stringify(fields.region)},"resources":${JSON.stringify(fields.resources)},"detail":${compactJson(fields.detail)}}`
  );
}

/**
 * JSON text without the white space between tokens (strings and numbers kept exactly as
 * written). Returns the same string, unallocated, when there is nothing to remove.
 */
export function compactJson(text: string): string {
  let out: string[] | null = null;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = endOfJsonString(text, i);
    else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      out ??= [];
      out.push(text.slice(from, i));
      while (i + 1 < text.length && isJsonSpace(text.charCodeAt(i + 1))) i++;
      from = i + 1;
    }
  }
  if (out === null) return text;
  out.push(text.slice(from));
  return out.join('');
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
