/**
 * Java semantics for template values. API Gateway runs Apache Velocity (Java): what a template
 * prints, how `==` compares and which methods a value has are Java's. Template values here are JS
 * values standing for Java ones: string = String, number = Integer/Long/Double, boolean = Boolean,
 * array = List (JSON arrays: json-smart JSONArray), plain object = LinkedHashMap, plus the host
 * objects ($input, $util) that expose their own methods.
 */
import { RE2JS } from 're2js';
import { isJsonArray, isPlainMap, toJsonText } from './json-values.js';

/** A Java exception thrown by a method a template called (index out of range, bad regex...). */
export class JavaException extends Error {}

/** An object the template host provides ($input, $util): Java methods and bean properties. */
export interface HostObject {
  readonly hostName: string;
  /** `$obj.name(args)`; `undefined` when the object has no such method. */
  callMethod(name: string, args: unknown[]): { value: unknown } | undefined;
  /** `$obj.name` (a bean getter); `undefined` when absent. */
  getProperty(name: string): unknown;
}

export function isHostObject(value: unknown): value is HostObject {
  return typeof value === 'object' && value !== null && typeof (value as HostObject).callMethod === 'function' && 'hostName' in value;
}

/** One entry of `$map.entrySet()`: `$e.key`/`$e.value`, `$e.getKey()`/`$e.getValue()`. */
export class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
}

/** Java's Double.toString: `1.5`, `1.0E10`, `1.0E-5`. */
function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mantissa, exponent] = value.toExponential().split('e');
    const m = mantissa!.includes('.') ? mantissa! : mantissa + '.0';
    return `${m}E${Number(exponent)}`;
  }
  const text = String(value);
  return text.includes('.') ? text : text + '.0';
}

function numberText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : javaDouble(value);
}

/**
 * Java's `String.valueOf(x)` for a template value: what `$x` prints (null prints nothing at the top
 * level: see `renderValue`) and what `toString()` returns. Inside a map or list, null is `null`.
 */
export function javaToString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    if (isJsonArray(value)) return toJsonText(value);
    return '[' + value.map(javaToString).join(', ') + ']';
  }
  if (value instanceof MapEntry) return `${value.key}=${javaToString(value.value)}`;
  if (isPlainMap(value)) {
    return '{' + Object.keys(value).map((key) => `${key}=${javaToString(value[key])}`).join(', ') + '}';
  }
  if (isHostObject(value)) return value.hostName;
  return String(value);
}

/** What a reference prints in the output: AWS prints nothing for a null or undefined reference. */
export function renderValue(value: unknown): string {
  return value === null || value === undefined ? '' : javaToString(value);
}

/**
 * `#if($x)`, `&&`, `||`, `!`: Velocity 1.x is false only for null and Boolean false — an empty
 * string, 0 and an empty list are true (templates test `$x.length() != 0` for that).
 */
export function javaTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/**
 * `==` as API Gateway's Velocity answers it: numbers by value, same-kind values by Java equals,
 * values of different kinds by their string forms. A null reference equals null and also the empty
 * string — recorded: `$input.path('$.nonExisting')` gives `#if($r == $null)` true AND `#if($r == "")`
 * true, while an empty JSON list gives both false (vtl set, `empty-body`/`nested-empty-list`).
 */
export function javaEquals(left: unknown, right: unknown): boolean {
  const leftNull = left === null || left === undefined;
  const rightNull = right === null || right === undefined;
  if (leftNull || rightNull) {
    if (leftNull && rightNull) return true;
    return (leftNull ? right : left) === '';
  }
  if (typeof left === 'number' && typeof right === 'number') return left === right;
  if (typeof left === typeof right && typeof left !== 'object') return left === right;
  return javaToString(left) === javaToString(right);
}

/** `<`, `>`, `<=`, `>=`: numbers, or Comparable values of one kind (strings). */
export function javaCompare(left: unknown, right: unknown): number | undefined {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  return undefined;
}

/** Java's `Object.equals` (List.contains, Map.containsValue): same kind and same value, no coercion. */
function objectEquals(left: unknown, right: unknown): boolean {
  const leftNull = left === null || left === undefined;
  const rightNull = right === null || right === undefined;
  if (leftNull || rightNull) return leftNull && rightNull;
  if (typeof left !== 'object' && typeof right !== 'object') return left === right;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  return toJsonText(left) === toJsonText(right);
}

function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

const regexCache = new Map<string, RE2JS>();

/** Java regex (String.matches/replaceAll/split) through RE2 (linear time: templates are user input). */
function javaRegex(pattern: string): RE2JS {
  let compiled = regexCache.get(pattern);
  if (!compiled) {
    try {
      compiled = RE2JS.compile(pattern);
    } catch (error) {
      throw new JavaException(`PatternSyntaxException: ${(error as Error).message}`);
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  return compiled;
}

function asInt(value: unknown, method: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw new JavaException(`${method}: expected an integer argument`);
}

function asString(value: unknown): string {
  return value === null || value === undefined ? 'null' : javaToString(value);
}

function checkIndex(index: number, size: number): void {
  if (index < 0 || index >= size) throw new JavaException(`IndexOutOfBoundsException: Index ${index} out of bounds for length ${size}`);
}

type Found = { value: unknown } | undefined;

function stringMethod(text: string, name: string, args: unknown[]): Found {
  const [a, b] = args;
  switch (`${name}/${args.length}`) {
    case 'length/0':
      return { value: text.length };
    case 'isEmpty/0':
      return { value: text.length === 0 };
    case 'isBlank/0':
      return { value: text.trim().length === 0 };
    case 'charAt/1': {
      const index = asInt(a, 'charAt');
      if (index < 0 || index >= text.length) throw new JavaException(`StringIndexOutOfBoundsException: index ${index}, length ${text.length}`);
      return { value: text[index] };
    }
    case 'substring/1':
    case 'substring/2': {
      const begin = asInt(a, 'substring');
      const end = args.length === 2 ? asInt(b, 'substring') : text.length;
      if (begin < 0 || end > text.length || begin > end) {
        throw new JavaException(`StringIndexOutOfBoundsException: begin ${begin}, end ${end}, length ${text.length}`);
      }
      return { value: text.substring(begin, end) };
    }
    case 'indexOf/1':
      return { value: text.indexOf(asString(a)) };
    case 'indexOf/2':
      return { value: text.indexOf(asString(a), asInt(b, 'indexOf')) };
    case 'lastIndexOf/1':
      return { value: text.lastIndexOf(asString(a)) };
    case 'contains/1':
      return { value: text.includes(asString(a)) };
    case 'startsWith/1':
      return { value: text.startsWith(asString(a)) };
    case 'startsWith/2':
      return { value: text.startsWith(asString(a), asInt(b, 'startsWith')) };
    case 'endsWith/1':
      return { value: text.endsWith(asString(a)) };
    case 'equals/1':
      return { value: typeof a === 'string' && a === text };
    case 'equalsIgnoreCase/1':
      return { value: typeof a === 'string' && a.toLowerCase() === text.toLowerCase() };
    case 'compareTo/1':
      return { value: text < asString(a) ? -1 : text > asString(a) ? 1 : 0 };
    case 'toLowerCase/0':
      return { value: text.toLowerCase() };
    case 'toUpperCase/0':
      return { value: text.toUpperCase() };
    case 'trim/0':
    case 'strip/0':
      return { value: text.trim() };
    case 'concat/1':
      return { value: text + asString(a) };
    case 'replace/2':
      return { value: text.split(asString(a)).join(asString(b)) };
    case 'replaceAll/2':
      return { value: javaRegex(asString(a)).matcher(text).replaceAll(asString(b)) };
    case 'replaceFirst/2':
      return { value: javaRegex(asString(a)).matcher(text).replaceFirst(asString(b)) };
    case 'matches/1':
      return { value: javaRegex(asString(a)).matcher(text).matches() };
    case 'split/1':
    case 'split/2':
      return { value: javaRegex(asString(a)).split(text, args.length === 2 ? asInt(b, 'split') : 0) };
    case 'toString/0':
    case 'intern/0':
      return { value: text };
    case 'hashCode/0':
      return { value: javaHash(text) };
    default:
      return undefined;
  }
}

function listMethod(list: unknown[], name: string, args: unknown[]): Found {
  const [a, b] = args;
  switch (`${name}/${args.length}`) {
    case 'size/0':
      return { value: list.length };
    case 'isEmpty/0':
      return { value: list.length === 0 };
    case 'get/1': {
      const index = asInt(a, 'get');
      checkIndex(index, list.length);
      return { value: list[index] };
    }
    case 'contains/1':
      return { value: list.some((item) => objectEquals(item, a)) };
    case 'indexOf/1':
      return { value: list.findIndex((item) => objectEquals(item, a)) };
    case 'add/1':
      list.push(a);
      return { value: true };
    case 'add/2': {
      const index = asInt(a, 'add');
      if (index < 0 || index > list.length) checkIndex(index, list.length);
      list.splice(index, 0, b);
      return { value: null };
    }
    case 'addAll/1':
      if (Array.isArray(a)) list.push(...a);
      return { value: Array.isArray(a) && a.length > 0 };
    case 'set/2': {
      const index = asInt(a, 'set');
      checkIndex(index, list.length);
      const previous = list[index];
      list[index] = b;
      return { value: previous };
    }
    case 'remove/1': {
      if (typeof a === 'number' && Number.isInteger(a)) {
        checkIndex(a, list.length);
        return { value: list.splice(a, 1)[0] };
      }
      const at = list.findIndex((item) => objectEquals(item, a));
      if (at >= 0) list.splice(at, 1);
      return { value: at >= 0 };
    }
    case 'clear/0':
      list.length = 0;
      return { value: null };
    case 'subList/2': {
      const from = asInt(a, 'subList');
      const to = asInt(b, 'subList');
      if (from < 0 || to > list.length || from > to) throw new JavaException(`IndexOutOfBoundsException: fromIndex ${from}, toIndex ${to}`);
      return { value: list.slice(from, to) };
    }
    case 'toString/0':
      return { value: javaToString(list) };
    case 'equals/1':
      return { value: Array.isArray(a) && javaToString(a) === javaToString(list) };
    default:
      return undefined;
  }
}

function mapMethod(map: Record<string, unknown>, name: string, args: unknown[]): Found {
  const [a, b] = args;
  const has = (key: unknown): boolean => typeof key === 'string' && Object.prototype.hasOwnProperty.call(map, key);
  switch (`${name}/${args.length}`) {
    case 'get/1':
      return { value: has(asString(a)) ? map[asString(a)] : null };
    case 'getOrDefault/2':
      return { value: has(asString(a)) ? map[asString(a)] : b };
    case 'containsKey/1':
      return { value: has(asString(a)) };
    case 'containsValue/1':
      return { value: Object.values(map).some((value) => objectEquals(value, a)) };
    case 'keySet/0':
      return { value: Object.keys(map) };
    case 'values/0':
      return { value: Object.values(map) };
    case 'entrySet/0':
      return { value: Object.keys(map).map((key) => new MapEntry(key, map[key])) };
    case 'size/0':
      return { value: Object.keys(map).length };
    case 'isEmpty/0':
      return { value: Object.keys(map).length === 0 };
    case 'put/2': {
      const key = asString(a);
      if (key === '__proto__') return { value: null };
      const previous = has(key) ? map[key] : null;
      map[key] = b;
      return { value: previous };
    }
    case 'putAll/1':
      if (isPlainMap(a)) for (const key of Object.keys(a)) if (key !== '__proto__') map[key] = a[key];
      return { value: null };
    case 'remove/1': {
      const key = asString(a);
      const previous = has(key) ? map[key] : null;
      if (has(key)) delete map[key];
      return { value: previous };
    }
    case 'clear/0':
      for (const key of Object.keys(map)) delete map[key];
      return { value: null };
    case 'toString/0':
      return { value: javaToString(map) };
    case 'equals/1':
      return { value: isPlainMap(a) && toJsonText(a) === toJsonText(map) };
    default:
      return undefined;
  }
}

function scalarMethod(value: number | boolean, name: string, args: unknown[]): Found {
  switch (`${name}/${args.length}`) {
    case 'toString/0':
      return { value: javaToString(value) };
    case 'equals/1':
      return { value: typeof args[0] === typeof value && args[0] === value };
    case 'intValue/0':
    case 'longValue/0':
      return typeof value === 'number' ? { value: Math.trunc(value) } : undefined;
    case 'doubleValue/0':
    case 'floatValue/0':
      return typeof value === 'number' ? { value } : undefined;
    case 'booleanValue/0':
      return typeof value === 'boolean' ? { value } : undefined;
    case 'compareTo/1':
      return typeof value === 'number' && typeof args[0] === 'number' ? { value: Math.sign(value - args[0]) } : undefined;
    default:
      return undefined;
  }
}

/** `$value.name(args)`: the Java method, or `undefined` when the value has none (renders nothing). */
export function callJavaMethod(target: unknown, name: string, args: unknown[]): Found {
  if (target === null || target === undefined) return undefined;
  if (isHostObject(target)) return target.callMethod(name, args);
  if (typeof target === 'string') return stringMethod(target, name, args);
  if (Array.isArray(target)) return listMethod(target, name, args);
  if (target instanceof MapEntry) {
    if (name === 'getKey' && args.length === 0) return { value: target.key };
    if (name === 'getValue' && args.length === 0) return { value: target.value };
    if (name === 'toString' && args.length === 0) return { value: javaToString(target) };
    return undefined;
  }
  if (isPlainMap(target)) return mapMethod(target, name, args);
  if (typeof target === 'number' || typeof target === 'boolean') return scalarMethod(target, name, args);
  return undefined;
}

const BLOCKED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `$value.name`: Velocity looks for `getName()`, then `get("name")` on a Map, then `isName()`.
 * A Map answers with its entry (or null); a String or List has no properties but its bean getters
 * (`$list.empty`, `$str.empty`, `$entry.key`).
 */
export function getJavaProperty(target: unknown, name: string): unknown {
  if (target === null || target === undefined || BLOCKED_KEYS.has(name)) return undefined;
  if (isHostObject(target)) return target.getProperty(name);
  if (isPlainMap(target)) return Object.prototype.hasOwnProperty.call(target, name) ? target[name] : undefined;
  if (target instanceof MapEntry) return name === 'key' ? target.key : name === 'value' ? target.value : undefined;
  const capitalized = name.charAt(0).toUpperCase() + name.slice(1);
  const viaGetter = callJavaMethod(target, 'get' + capitalized, []) ?? callJavaMethod(target, 'is' + capitalized, []);
  return viaGetter?.value;
}

/** `$value[key]`: a List by index, a Map by key. */
export function getJavaIndex(target: unknown, key: unknown): unknown {
  if (Array.isArray(target)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) return undefined;
    checkIndex(key, target.length);
    return target[key];
  }
  if (isPlainMap(target) || isHostObject(target) || target instanceof MapEntry) {
    return getJavaProperty(target, javaToString(key));
  }
  return undefined;
}

/** `#set($target.name = value)` / `#set($target[key] = value)`: a Map's put, a List's set. */
export function setJavaMember(target: unknown, key: unknown, value: unknown): void {
  if (isPlainMap(target)) {
    const name = javaToString(key);
    if (!BLOCKED_KEYS.has(name)) target[name] = value;
    return;
  }
  if (Array.isArray(target) && typeof key === 'number' && Number.isInteger(key)) {
    checkIndex(key, target.length);
    target[key] = value;
  }
}
