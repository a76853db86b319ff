/**
 * velocityjs with Java Velocity's semantics where API Gateway's templates depend on them: what a
 * reference prints, `==`/truthiness, `#set` of null, and Java methods/properties on strings, lists
 * and maps (java-values.ts). velocityjs parses and walks the template; this subclass replaces the
 * handful of evaluation steps where JavaScript's answer differs from Java's.
 */
import { Compile, parse } from 'velocityjs';
import {
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

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

export class AwsVelocity extends Compile {
  /** `$ref` in output prints its Java string form; a null or undefined reference prints nothing. */
  override getReferences(ast: Ast, isVal?: boolean): any {
    const value = (Compile.prototype as any).getReferences.call(this, ast, false) as unknown;
    if (isVal) return renderValue(value);
    return value === undefined ? null : value;
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
      default:
        return this.arithmetic(ast.operator as string, value(0), value(1));
    }
  }

  /** Velocity arithmetic: integers stay integers (`7 / 2` is 3), `+` joins strings, anything else is null. */
  private arithmetic(operator: string, left: unknown, right: unknown): unknown {
    if (operator === '+' && (typeof left === 'string' || typeof right === 'string')) {
      if (left === null || left === undefined || right === null || right === undefined) return null;
      return javaToString(left) + javaToString(right);
    }
    if (!isNumber(left) || !isNumber(right)) return null;
    const integers = Number.isInteger(left) && Number.isInteger(right);
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

  override evalStr(text: string): string {
    return this.renderAstList(parseInterpolated(text), this.contextId);
  }
}
