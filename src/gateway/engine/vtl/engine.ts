/**
 * velocityjs with Java Velocity's semantics where API Gateway's templates depend on them: what a
 * reference prints, `==`/truthiness, `#set` of null, and Java methods/properties on strings, lists
 * and maps (java-values.ts). velocityjs parses and walks the template; this subclass replaces the
 * handful of evaluation steps where JavaScript's answer differs from Java's.
 */
import { Compile, Helper, parse } from 'velocityjs';
import {
  JavaException,
  callJavaMethod,
  getJavaIndex,
  getJavaProperty,
  javaCompare,
  javaEquals,
  javaToString,
  javaTruthy,
  renderValue,
  setJavaMember,
} from './java-values.js';
import { isPlainMap } from './json-values.js';

type Ast = any; // velocityjs's AST nodes (its type declarations cover only part of them)

const stringTemplates = new Map<string, Ast[]>();

/** Parses a double-quoted string's template once (velocityjs re-parses it at every evaluation). */
function parseInterpolated(text: string): Ast[] {
  let asts = stringTemplates.get(text);
  if (!asts) {
    asts = parse(text) as Ast[];
    if (stringTemplates.size > 5000) stringTemplates.clear();
    stringTemplates.set(text, asts);
  }
  return asts;
}

const BLOCKED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
let loopCounter = 0;

/**
 * Bounds on one render, so a template cannot hold the server: API Gateway's payloads are at most
 * 10 MB (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), so no string a
 * template builds needs to be longer; loops and ranges get a budget far above any real template's.
 */
export const RENDER_LIMITS = { maxText: 10 * 1024 * 1024, maxLoopIterations: 1_000_000, maxRangeItems: 1_000_000 };

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

export class AwsVelocity extends Compile {
  private iterations = 0;

  /** `$ref` in output prints its Java string form; a null or undefined reference prints nothing. */
  override getReferences(ast: Ast, isVal?: boolean): any {
    const value = this.referenceValue(ast);
    if (isVal) return renderValue(value);
    return value === undefined ? null : value;
  }

  /**
   * A reference's value: a `#define` block, a loop or macro variable, or a template variable, then
   * each `.property`, `[index]` and `.method()` step with Java semantics (a null step ends in null).
   */
  private referenceValue(ast: Ast): unknown {
    const id = ast.id as string;
    if (ast.prue) {
      const define = (this as any).defines[id] as Ast[] | undefined;
      if (Array.isArray(define)) return this.renderAstList(define);
    }
    const local = (this as any).getLocal(ast) as { value: unknown; isLocal: boolean };
    let value: unknown;
    if (local.isLocal) value = local.value;
    else if (!BLOCKED_NAMES.has(id)) value = this.context[id];
    // `$name(args)`: template variables are not functions.
    if (ast.args !== undefined && !local.isLocal) return undefined;
    const path = ast.path as Ast[] | undefined;
    if (path) {
      for (const step of path) {
        if (value === null || value === undefined) return undefined;
        value = this.getAttributes(step, value, ast);
      }
    }
    return value;
  }

  getAttributes(property: Ast, baseRef: unknown, ast: Ast): unknown {
    if (baseRef === null || baseRef === undefined) return undefined;
    if (property.type === 'method') return this.getPropMethod(property, baseRef, ast);
    if (property.type === 'property') return getJavaProperty(baseRef, property.id as string);
    const key = (this as any).getLiteral(property.id) as unknown;
    return getJavaIndex(baseRef, key);
  }

  getPropMethod(property: Ast, baseRef: unknown, _ast: Ast): unknown {
    const args = ((Array.isArray(property.args) ? property.args : []) as Ast[]).map((arg) => (this as any).getLiteral(arg) as unknown);
    const found = callJavaMethod(baseRef, property.id as string, args);
    return found === undefined ? undefined : found.value;
  }

  override getExpression(ast: Ast): any {
    if (ast.type !== 'math') return (this as any).getLiteral(ast);
    const expression = ast.expression as Ast[];
    const value = (index: number): unknown => this.getExpression(expression[index]);
    switch (ast.operator as string) {
      case '==':
        return javaEquals(value(0), value(1));
      case '!=':
        return !javaEquals(value(0), value(1));
      case '&&':
        return javaTruthy(value(0)) && javaTruthy(value(1));
      case '||':
        return javaTruthy(value(0)) || javaTruthy(value(1));
      case 'not':
        return !javaTruthy(value(0));
      case 'parenthesis':
        return value(0);
      case '<':
      case '>':
      case '<=':
      case '>=': {
        const order = javaCompare(value(0), value(1));
        if (order === undefined) return false;
        return ast.operator === '<' ? order < 0 : ast.operator === '>' ? order > 0 : ast.operator === '<=' ? order <= 0 : order >= 0;
      }
      case 'minus': {
        const operand = value(0);
        return isNumber(operand) ? -operand : null;
      }
      default: {
        // A decimal literal (`7.0`) is a Double even when its value is whole.
        const decimal = expression.some((operand) => operand?.type === 'decimal');
        return this.arithmetic(ast.operator as string, value(0), value(1), decimal);
      }
    }
  }

  /** Velocity arithmetic: integers stay integers (`7 / 2` is 3), `+` joins strings, anything else is null. */
  private arithmetic(operator: string, left: unknown, right: unknown, decimal: boolean): unknown {
    if (operator === '+' && (typeof left === 'string' || typeof right === 'string')) {
      if (left === null || left === undefined || right === null || right === undefined) return null;
      return javaToString(left) + javaToString(right);
    }
    if (!isNumber(left) || !isNumber(right)) return null;
    const integers = !decimal && Number.isInteger(left) && Number.isInteger(right);
    switch (operator) {
      case '+':
        return left + right;
      case '-':
        return left - right;
      case '*':
        return left * right;
      case '/':
        if (right === 0) return null;
        return integers ? Math.trunc(left / right) : left / right;
      case '%':
        if (right === 0) return null;
        return left % right;
      default:
        return null;
    }
  }

  /** `#if`/`#elseif`/`#else` with Velocity's truthiness (an empty string is true). */
  getBlockIf(block: Ast[]): string {
    let chosen = false;
    const body: Ast[] = [];
    for (const ast of block) {
      const type = typeof ast === 'string' ? '' : (ast.type as string);
      const hasCondition = type === 'if' || type === 'elseif';
      if (!hasCondition && type !== 'else') {
        if (chosen) body.push(ast);
        continue;
      }
      if (chosen) break;
      chosen = hasCondition ? javaTruthy(this.getExpression(ast.condition)) : true;
    }
    return this.renderAstList(body, this.contextId);
  }

  /**
   * `#set`: Velocity 1.x leaves the left side unchanged when the right side is null; a path target
   * (`$map.key`, `$map[$k]`, `$list[0]`) is a Map put or a List set on the object reached so far.
   */
  override setValue(ast: Ast): void {
    const ref = ast.equal[0] as Ast;
    const source = ast.equal[1] as Ast;
    const value = source.type === 'math' ? this.getExpression(source) : (this as any).getLiteral(source);
    if (value === null || value === undefined) return;
    if (typeof value === 'string' && value.length > RENDER_LIMITS.maxText) throw new JavaException('a string larger than the 10 MB payload limit');
    let scope = (this as any).getContext(ref.id) as Record<string, unknown>;
    if (this.contextId && this.contextId.startsWith('macro:')) scope = this.context;
    const id = ref.id as string;
    if (BLOCKED_NAMES.has(id)) return;
    const path = (ref.path ?? []) as Ast[];
    if (path.length === 0) {
      scope[id] = value;
      return;
    }
    let target: unknown = Object.prototype.hasOwnProperty.call(scope, id) ? scope[id] : undefined;
    for (const step of path.slice(0, -1)) {
      target = this.getAttributes(step, target, ref);
      if (target === null || target === undefined) return;
    }
    const last = path[path.length - 1] as Ast;
    if (last.type === 'property') setJavaMember(target, last.id, value);
    else if (last.type === 'index') setJavaMember(target, (this as any).getLiteral(last.id), value);
  }

  /**
   * `#foreach`: over a List, or a Map's values; anything else iterates nothing. The loop sees
   * `$foreach.count`/`.index`/`.hasNext`/`.first`/`.last` and `$velocityCount` (from 1), works on a
   * snapshot of the list (a template adding to it does not loop forever), and honours `#break`.
   */
  getBlockEach(block: Ast[]): string {
    const head = block[0] as Ast;
    const source = (this as any).getLiteral({ ...head.from, pos: head.pos }) as unknown;
    const items = Array.isArray(source) ? [...source] : isPlainMap(source) ? Object.values(source) : [];
    if (items.length === 0) return '';
    const body = block.slice(1);
    const contextId = `foreach:${++loopCounter}`;
    const local: Record<string, unknown> = {};
    const locals = (this as any).local as Record<string, Record<string, unknown>>;
    locals[contextId] = local;
    let out = '';
    for (let i = 0; i < items.length; i++) {
      if (this.runState.break || this.runState.stop) break;
      if (++this.iterations > RENDER_LIMITS.maxLoopIterations) throw new JavaException('the template loops more than the render budget allows');
      if (out.length > RENDER_LIMITS.maxText) throw new JavaException('the template output is larger than the 10 MB payload limit');
      local[head.to as string] = items[i];
      local.foreach = { count: i + 1, index: i, hasNext: i + 1 < items.length, first: i === 0, last: i + 1 === items.length };
      local.velocityCount = i + 1;
      out += this.renderAstList(body, contextId);
    }
    this.runState.break = false;
    locals[contextId] = {};
    const conditions = (this as any).conditions as string[];
    const at = conditions.indexOf(contextId);
    if (at >= 0) conditions.splice(at, 1);
    this.contextId = conditions[0] ?? '';
    return out;
  }

  /** `#name(…)` that names no macro prints as written, as Velocity does (velocityjs would drop it). */
  override getMacro(ast: Ast, bodyContent?: string): string {
    const known = (this as any).macrosStore[ast.id] !== undefined || typeof (this as any).macros[ast.id] === 'function';
    if (!known) return Helper.getRefText(ast);
    return (Compile.prototype as any).getMacro.call(this, ast, bodyContent) as string;
  }

  /** `[a..b]` ranges (bounded: see RENDER_LIMITS); other list literals as velocityjs builds them. */
  getArray(literal: Ast): unknown[] {
    if (literal.isRange !== true) return (literal.value as Ast[]).map((item) => (this as any).getLiteral(item) as unknown);
    const [begin, end] = (literal.value as Ast[]).map((bound) => {
      if (typeof bound === 'number') return bound;
      if (typeof bound === 'string') return Number.parseInt(bound, 10);
      const value = this.getReferences(bound) as unknown;
      return typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    }) as [number, number];
    if (!Number.isInteger(begin) || !Number.isInteger(end)) return [];
    if (Math.abs(end - begin) + 1 > RENDER_LIMITS.maxRangeItems) throw new JavaException('a range larger than the render budget allows');
    const out: number[] = [];
    const step = begin <= end ? 1 : -1;
    for (let i = begin; i !== end + step; i += step) out.push(i);
    return out;
  }

  override evalStr(text: string): string {
    return this.renderAstList(parseInterpolated(text), this.contextId);
  }
}
