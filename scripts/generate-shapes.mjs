#!/usr/bin/env node
// Writes a service's API shapes as TypeScript, from the service model AWS publishes: botocore's
// `data/<service>/<version>/service-2.json(.gz)`, the model the AWS CLI and boto3 are built from.
//
//   node scripts/generate-shapes.mjs --service stepfunctions --out src/states/api/shapes.ts
//   node scripts/generate-shapes.mjs --service sns --out src/topics/api/shapes.ts --check
//   node scripts/generate-shapes.mjs --model path/to/service-2.json --out … [--version 2016-11-23]
//
// For every operation it emits the input and output structures with AWS's constraints (required
// members, string lengths, patterns, enums, numeric ranges, list and map sizes) as
// `src/protocol/shapes.ts` shapes (`t.*`), so that the protocol layer refuses bad input with
// AWS's ValidationException before a handler runs, and renders timestamps in outputs; plus a
// TypeScript interface per structure, for handlers to type their input and output. `--check`
// writes nothing and exits 1 when the file on disk differs from what the model gives (a test runs
// it so the committed file stays what the model says).
//
// Query (XML) services need the members' wire names: they are emitted (`locationName`,
// `flattened`), so SNS can use the same output. REST bindings (`location`) are emitted as member
// locations for REST-JSON services (API Gateway).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * AWS patterns with lookaround, which the shape-patterns test cannot prove linear, each with the
 * lookaround-free pattern that accepts the same strings (src/protocol/shape-patterns.test.ts
 * checks the two agree on every short string).
 */
const MATCH_PATTERNS = {
  // Step Functions alias names: at least one non-digit among letters, digits, `_`, `-`, `.`.
  '^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$': '[0-9]*[a-zA-Z_\\-\\.][a-zA-Z0-9_\\-\\.]*',
};

/**
 * Java's POSIX classes (US-ASCII unless a pattern asks for Unicode, java.util.regex.Pattern), which
 * JavaScript does not know, as the ranges they stand for.
 */
const POSIX_CLASSES = {
  Lower: 'a-z',
  Upper: 'A-Z',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

/** Characters a `\\` may escape in a JavaScript `u`-mode pattern (besides letters and digits). */
const SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
const CLASS_ESCAPE = /^\\([dDwWsS]|[pP]\{[^}]*\})/;

/**
 * AWS's patterns are Java regexes; JavaScript's `u` mode (which the shapes compile with) refuses
 * some of what Java reads literally: an escaped character that is not syntax (`\\_`, `\\:`), or a
 * `-` next to a class escape inside brackets (`[\\w-_]`). This writes the same language in the
 * JavaScript form: such escapes as the character itself, such a `-` as `\\-`. Anything else is left
 * as it is, so that a pattern JavaScript cannot read still fails loudly when the shapes load.
 */
export function jsPattern(pattern) {
  let out = '';
  let inClass = false;
  let previousWasClassEscape = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const rest = pattern.slice(i);
      const classEscape = CLASS_ESCAPE.exec(rest);
      if (classEscape) {
        const posix = /^\\([pP])\{(\w+)\}/.exec(classEscape[0]);
        const ascii = posix ? POSIX_CLASSES[posix[2]] : undefined;
        if (ascii !== undefined && !(inClass && posix[1] === 'P')) out += inClass ? ascii : `[${posix[1] === 'P' ? '^' : ''}${ascii}]`;
        else out += classEscape[0];
        i += classEscape[0].length - 1;
        previousWasClassEscape = true;
        continue;
      }
      const next = pattern[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next) || SYNTAX.has(next) || (inClass && next === '-')) out += c + (next ?? '');
      else out += next;
      i++;
      previousWasClassEscape = false;
      continue;
    }
    if (inClass && c === '-' && (previousWasClassEscape || CLASS_ESCAPE.test(pattern.slice(i + 1)))) out += '\\-';
    else out += c;
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    previousWasClassEscape = false;
  }
  return out;
}

function parseArgs(argv) {
  const args = { check: false };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--check') args.check = true;
    else if (name.startsWith('--')) args[name.slice(2)] = argv[++i];
    else throw new Error(`unexpected argument ${name}`);
  }
  if (!args.out) throw new Error('--out <file.ts> is required');
  if (!args.service && !args.model) throw new Error('--service <botocore name> or --model <service-2.json> is required');
  return args;
}

/** botocore's data folder, from the Python that has botocore installed. */
export function botocoreDataDir() {
  const dir = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__));print(botocore.__version__)'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  return { data: join(dir[0], 'data'), version: dir[1] };
}

/** The model (parsed) and a line saying where it came from. */
export function loadModel({ service, model, version }) {
  if (model) {
    const raw = readFileSync(model);
    return { model: JSON.parse((model.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')), source: `the model file ${model}` };
  }
  const { data, version: botocoreVersion } = botocoreDataDir();
  const folder = join(data, service);
  if (!existsSync(folder)) throw new Error(`botocore has no service ${service}`);
  const versions = readdirSync(folder).filter((v) => /^\d{4}-\d\d-\d\d$/.test(v)).sort();
  const chosen = version ?? versions[versions.length - 1];
  const base = join(folder, chosen, 'service-2.json');
  const raw = existsSync(base) ? readFileSync(base) : gunzipSync(readFileSync(`${base}.gz`));
  return { model: JSON.parse(raw.toString('utf8')), source: `botocore's ${service} ${chosen} model (data/${service}/${chosen}/service-2.json)`, botocoreVersion };
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const key = (name) => (IDENT.test(name) ? name : JSON.stringify(name));
/** Shape names are identifiers in the output; a name that is not one, or clashes with ours, gets a suffix. */
const RESERVED = new Set([
  ...['t', 'required', 'member', 'shapes', 'Operation', 'EMPTY', 'StructureShape'],
  // Globals the generated types use or a reader expects: a shape named so would shadow them.
  ...['Date', 'Buffer', 'Record', 'Object', 'Array', 'String', 'Number', 'Boolean', 'Map', 'Set', 'Error', 'JSON', 'Math', 'Symbol', 'Promise'],
]);
const constName = (name) => (RESERVED.has(name) || !IDENT.test(name) ? `${name.replace(/\W/g, '_')}_` : name);

/**
 * The structures that lie on a cycle of shapes (those in a strongly connected component of more
 * than one shape, or that contain themselves directly), among the shapes the operations reach.
 * Declaring each of them first breaks every cycle that has a structure on it, which is every
 * cycle a model can have (a list or map cannot contain itself without one).
 */
export function recursiveStructures(model, operations) {
  const children = (shape) => {
    switch (shape.type) {
      case 'list':
        return [shape.member.shape];
      case 'map':
        return [shape.key.shape, shape.value.shape];
      case 'structure':
        return Object.values(shape.members ?? {}).map((m) => m.shape);
      default:
        return [];
    }
  };
  // Tarjan's algorithm.
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const found = new Set();
  let next = 0;
  const connect = (name) => {
    index.set(name, next);
    low.set(name, next);
    next++;
    stack.push(name);
    onStack.add(name);
    const kids = children(model.shapes[name]);
    for (const child of kids) {
      if (!index.has(child)) {
        connect(child);
        low.set(name, Math.min(low.get(name), low.get(child)));
      } else if (onStack.has(child)) {
        low.set(name, Math.min(low.get(name), index.get(child)));
      }
    }
    if (low.get(name) === index.get(name)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== name);
      if (component.length > 1 || kids.includes(name)) {
        const structures = component.filter((n) => model.shapes[n].type === 'structure');
        if (structures.length === 0) throw new Error(`recursive shapes ${component.join(', ')} have no structure among them: not supported`);
        for (const n of structures) found.add(n);
      }
    }
  };
  for (const op of operations) {
    const { input, output } = model.operations[op];
    for (const ref of [input, output]) if (ref && !index.has(ref.shape)) connect(ref.shape);
  }
  return found;
}

/** Generates the TypeScript text for a model. */
export function generate(model, { source, protocolImport }) {
  const shapes = model.shapes;
  const operations = Object.keys(model.operations).sort();
  const emitted = new Map(); // shape name -> const name
  const lines = [];
  const typeLines = [];
  const typed = new Set();
  const visiting = new Set();

  const options = (entries) => {
    const parts = entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '';
  };

  // Shapes that contain themselves (DynamoDB's AttributeValue, a Logs field type): each such
  // structure is declared empty first and given its members once they exist, so that the object
  // graph has the cycle the model has (src/protocol/validate.ts compiles recursive shapes).
  const recursive = recursiveStructures(model, operations);
  const placeholders = [...recursive].sort().map((name) => `const ${constName(name)} = t.struct({});`);

  /** Recursive structures referred to, whose members are still to be written. */
  const toFill = [];

  /** Emits a named shape (and what it needs) once; returns the expression that names it. */
  const shapeRef = (name) => {
    if (emitted.has(name)) return emitted.get(name);
    const id = constName(name);
    if (recursive.has(name)) {
      // Declared at the top already: every cycle stops here, its members are written later.
      emitted.set(name, id);
      toFill.push(name);
      return id;
    }
    if (visiting.has(name)) throw new Error(`recursive shape ${name} found outside a cycle through a structure: report this`);
    visiting.add(name);
    const shape = shapes[name];
    if (!shape) throw new Error(`unknown shape ${name}`);
    const expression = shapeExpression(shape);
    visiting.delete(name);
    lines.push(`const ${id} = ${expression};`);
    emitted.set(name, id);
    return id;
  };
  const fillRecursive = () => {
    while (toFill.length > 0) {
      const name = toFill.shift();
      lines.push(`Object.assign(${constName(name)}.members, ${shapeExpression(shapes[name])}.members);`);
    }
  };

  const shapeExpression = (shape) => {
    switch (shape.type) {
      case 'string': {
        const translated = shape.pattern !== undefined ? jsPattern(shape.pattern) : undefined;
        const matchPattern = shape.pattern !== undefined ? (MATCH_PATTERNS[shape.pattern] ?? (translated !== shape.pattern ? translated : undefined)) : undefined;
        return `t.string(${options([
          ['min', shape.min],
          ['max', shape.max],
          ['pattern', shape.pattern],
          ['matchPattern', matchPattern],
          ['enum', shape.enum],
          ['sensitive', shape.sensitive ? true : undefined],
        ])})`;
      }
      case 'integer':
      case 'long':
        return `t.${shape.type}(${options([
          ['min', shape.min],
          ['max', shape.max],
        ])})`;
      case 'float':
      case 'double':
        return `t.double(${options([
          ['min', shape.min],
          ['max', shape.max],
        ])})`;
      case 'boolean':
        return 't.boolean()';
      case 'timestamp':
        return shape.timestampFormat === 'iso8601' ? 't.timestamp({ format: "iso8601" })' : 't.timestamp()';
      case 'blob':
        return `t.blob(${options([
          ['min', shape.min],
          ['max', shape.max],
        ])})`;
      case 'list': {
        const member = shapeRef(shape.member.shape);
        const opts = options([
          ['min', shape.min],
          ['max', shape.max],
          ['flattened', shape.flattened],
          ['memberName', shape.member.locationName],
        ]);
        return `t.list(${member}${opts ? `, ${opts}` : ''})`;
      }
      case 'map': {
        const k = shapeRef(shape.key.shape);
        const v = shapeRef(shape.value.shape);
        const opts = options([
          ['min', shape.min],
          ['max', shape.max],
          ['flattened', shape.flattened],
          ['keyName', shape.key.locationName],
          ['valueName', shape.value.locationName],
        ]);
        return `t.map(${k}, ${v}${opts ? `, ${opts}` : ''})`;
      }
      case 'structure': {
        if (shape.document) return 't.document()';
        const requiredSet = new Set(shape.required ?? []);
        const members = Object.entries(shape.members ?? {}).map(([memberName, m]) => {
          const ref = shapeRef(m.shape);
          // REST-JSON body members with a locationName travel under it in the JSON body (apigatewayv2).
          const jsonName = model.metadata.protocol === 'rest-json' && !m.location && m.locationName && m.locationName !== memberName ? m.locationName : undefined;
          const extra = options([
            ['location', m.location],
            ['wireName', jsonName === undefined ? m.locationName : undefined],
            ['jsonName', jsonName],
          ]);
          if (requiredSet.has(memberName)) return `${key(memberName)}: required(${ref}${extra ? `, ${extra}` : ''})`;
          if (extra) return `${key(memberName)}: member(${ref}, ${extra})`;
          return `${key(memberName)}: ${ref}`;
        });
        return members.length ? `t.struct({\n  ${members.join(',\n  ')},\n})` : 't.struct({})';
      }
      default:
        throw new Error(`shape type ${shape.type} not supported`);
    }
  };

  /** The TypeScript type of a shape's handler value; structures become interfaces. */
  const typeOf = (name) => {
    const shape = shapes[name];
    switch (shape.type) {
      case 'string':
        return shape.enum ? shape.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'timestamp':
        return 'Date';
      case 'blob':
        return 'Buffer';
      case 'list': {
        const member = typeOf(shape.member.shape);
        return /[|&]/.test(member) ? `(${member})[]` : `${member}[]`;
      }
      case 'map':
        return `Record<string, ${typeOf(shape.value.shape)}>`;
      case 'structure':
        if (shape.document) return 'unknown';
        interfaceOf(name);
        return constName(name);
      default:
        throw new Error(`shape type ${shape.type} not supported`);
    }
  };

  const interfaceOf = (name) => {
    if (typed.has(name)) return;
    typed.add(name);
    const shape = shapes[name];
    const requiredSet = new Set(shape.required ?? []);
    const members = Object.entries(shape.members ?? {}).map(([memberName, m]) => `  ${key(memberName)}${requiredSet.has(memberName) ? '' : '?'}: ${typeOf(m.shape)};`);
    typeLines.push(`export interface ${constName(name)} {${members.length ? `\n${members.join('\n')}\n` : ''}}`);
  };

  const table = [];
  for (const op of operations) {
    const { input, output, http } = model.operations[op];
    const inputRef = input ? shapeRef(input.shape) : 'EMPTY';
    const outputRef = output ? shapeRef(output.shape) : 'EMPTY';
    if (input) typeOf(input.shape);
    if (output) typeOf(output.shape);
    // REST services route by method and path: the binding travels with the shapes.
    const binding =
      model.metadata.protocol === 'rest-json' && http
        ? `, http: { method: ${JSON.stringify(http.method)}, path: ${JSON.stringify(http.requestUri)}${http.responseCode && http.responseCode !== 200 ? `, successCode: ${http.responseCode}` : ''} }`
        : '';
    table.push(`  ${op}: { input: ${inputRef}, output: ${outputRef}${binding} },`);
  }
  fillRecursive();

  const meta = model.metadata;
  return `// Generated by scripts/generate-shapes.mjs from ${source}: do not edit; run the script again.
// ${meta.serviceFullName} (${meta.protocol}${meta.targetPrefix ? `, target prefix ${meta.targetPrefix}` : ''}, signing name ${meta.signingName ?? meta.endpointPrefix}): ${operations.length} operations.
/* eslint-disable */
import { member, required, t, type StructureShape } from '${protocolImport}';

void member;
const EMPTY = t.struct({});

${[...placeholders, ...lines].join('\n')}

/** Every operation of the model, with its input and output shapes. */
export const shapes = {
${table.join('\n')}
} satisfies Record<string, { input: StructureShape; output: StructureShape; http?: { method: string; path: string; successCode?: number } }>;

export type Operation = keyof typeof shapes;

${typeLines.join('\n\n')}
`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const out = resolve(args.out);
  const root = resolve(new URL('..', import.meta.url).pathname);
  const protocolImport = relative(join(out, '..'), join(root, 'src/protocol/shapes.js')).replace(/\\/g, '/');
  const { model, source } = loadModel(args);
  const text = generate(model, { source, protocolImport: protocolImport.startsWith('.') ? protocolImport : `./${protocolImport}` });
  if (args.check) {
    const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (current !== text) {
      console.error(`${args.out} differs from what ${source} gives: run the script without --check`);
      process.exit(1);
    }
    console.log(`${args.out} is what ${source} gives`);
    return;
  }
  writeFileSync(out, text);
  console.log(`wrote ${args.out} from ${source}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
