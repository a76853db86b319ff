/**
 * A distributed Map's ItemReader and ItemBatcher, the pure parts (developer guide "ItemReader
 * (Map)" and "ItemBatcher (Map)"): the engine reads the object (s3:getObject: its text) or the
 * listing (s3:listObjectsV2: the objects), and this turns it into the items per ReaderConfig.
 *
 * The errors are States.ItemReaderFailed with AWS's causes (recorded
 * test_map_item_reader_json_no_json_list_object, test_map_item_reader_csv_headers_decl_duplicate_headers).
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { StatesError } from './states-error.js';

export interface ReaderConfig {
  inputType: 'JSON' | 'JSONL' | 'CSV' | 'MANIFEST' | 'LISTING';
  csvHeaderLocation: 'FIRST_ROW' | 'GIVEN';
  csvHeaders: string[] | null;
  csvDelimiter: string;
  maxItems: number | null;
  /**
   * ReaderConfig.ItemsPointer: a JSON Pointer (RFC 6901, e.g. `/data/items`) to the array inside a
   * JSON object read from S3 (InputType JSON); absent, the object read must be the array.
   */
  itemsPointer?: string | null;
}

const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

export function readerConfig(resource: string, config: Json | undefined): Omit<ReaderConfig, 'maxItems'> {
  const c = isJsonObject(config) ? config : {};
  const listing = resource.endsWith(':listObjectsV2');
  const inputType = listing ? 'LISTING' : ((typeof c.InputType === 'string' ? c.InputType : 'JSON') as ReaderConfig['inputType']);
  return {
    inputType,
    csvHeaderLocation: c.CSVHeaderLocation === 'GIVEN' ? 'GIVEN' : 'FIRST_ROW',
    csvHeaders: Array.isArray(c.CSVHeaders) ? c.CSVHeaders.map((h) => String(h)) : null,
    csvDelimiter: typeof c.CSVDelimiter === 'string' ? (DELIMITERS[c.CSVDelimiter] ?? ',') : ',',
    itemsPointer: typeof c.ItemsPointer === 'string' ? c.ItemsPointer : null,
  };
}

function failed(cause: string): StatesError {
  return new StatesError('States.ItemReaderFailed', cause);
}

/** The items of what the engine read. */
export function parseItems(content: Json, config: ReaderConfig): Json[] {
  let items: Json[];
  switch (config.inputType) {
    case 'LISTING':
      if (!Array.isArray(content)) throw failed('Attempting to map over non-iterable node.');
      items = content;
      break;
    case 'JSON': {
      let value = typeof content === 'string' ? parseJson(content) : content;
      if (config.itemsPointer) value = pointTo(value, config.itemsPointer);
      if (!Array.isArray(value)) throw failed('Attempting to map over non-iterable node.');
      items = value;
      break;
    }
    case 'JSONL':
      items = String(content)
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map(parseJson);
      break;
    case 'CSV':
      items = csvItems(String(content), config);
      break;
    default:
      throw failed(`The InputType ${config.inputType} is not supported.`);
  }
  return config.maxItems !== null && config.maxItems > 0 ? items.slice(0, config.maxItems) : items;
}

/**
 * The value a JSON Pointer (RFC 6901) names: `/a/0/b`, `~1` for `/` and `~0` for `~` in a token;
 * "" is the whole value. A pointer that names nothing fails the reader (wording ours).
 */
export function pointTo(value: Json, pointer: string): Json {
  if (pointer === '') return value;
  if (!pointer.startsWith('/')) throw failed(`The ItemsPointer '${pointer}' is not a valid JSON Pointer.`);
  let current: Json = value;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < current.length) current = current[Number(token)];
    else if (isJsonObject(current) && Object.prototype.hasOwnProperty.call(current, token)) current = current[token];
    else throw failed(`The ItemsPointer '${pointer}' does not point to a value in the JSON read.`);
  }
  return current;
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw failed('Attempting to map over non-iterable node.');
  }
}

/** Rows of a CSV text (RFC 4180 quoting), every value a string. */
export function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) endField();
    else if (ch === '\n' || ch === '\r') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

function csvItems(text: string, config: ReaderConfig): Json[] {
  const rows = csvRows(text, config.csvDelimiter);
  let headers: string[];
  if (config.csvHeaderLocation === 'GIVEN') headers = config.csvHeaders ?? [];
  else headers = rows.shift() ?? [];
  if (new Set(headers).size !== headers.length) throw failed('CSV headers cannot contain duplicates.');
  return rows.map((values) => {
    const item: JsonObject = {};
    headers.forEach((h, i) => {
      item[h] = values[i] ?? '';
    });
    return item;
  });
}

/**
 * ItemBatcher: the items in batches of at most MaxItemsPerBatch items and MaxInputBytesPerBatch
 * bytes (of the batch's JSON), each `{ BatchInput?, Items }`.
 */
export function batchItems(items: Json[], maxItems: number | null, maxBytes: number | null, batchInput: Json | undefined): Json[] {
  const batches: Json[] = [];
  let current: Json[] = [];
  let bytes = 0;
  const overhead = batchInput === undefined ? 12 : Buffer.byteLength(JSON.stringify(batchInput)) + 28;
  const flush = () => {
    if (current.length === 0) return;
    batches.push(batchInput === undefined ? { Items: current } : { BatchInput: batchInput, Items: current });
    current = [];
    bytes = 0;
  };
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && ((maxItems !== null && current.length >= maxItems) || (maxBytes !== null && overhead + bytes + size > maxBytes))) flush();
    current.push(item);
    bytes += size;
  }
  flush();
  return batches;
}
