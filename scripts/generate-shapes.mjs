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
const RESERVED = new Set(['t', 'required', 'member', 'shapes', 'operations', 'StructureShape']);
const constName = (name) => (RESERVED.has(name) || !IDENT.test(name) ? `${name.replace(/\W/g, '_')}_` : name);

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

  /** Emits a named shape (and what it needs) once; returns the expression that names it. */
  const shapeRef = (name) => {
    if (emitted.has(name)) return emitted.get(name);
    if (visiting.has(name)) throw new Error(`recursive shape ${name}: not supported by this generator yet`);
    visiting.add(name);
    const shape = shapes[name];
    if (!shape) throw new Error(`unknown shape ${name}`);
    const expression = shapeExpression(shape);
    visiting.delete(name);
    const id = constName(name);
    lines.push(`const ${id} = ${expression};`);
    emitted.set(name, id);
    return id;
  };

  const shapeExpression = (shape) => {
    switch (shape.type) {
      case 'string': {
        const matchPattern = shape.pattern !== undefined ? MATCH_PATTERNS[shape.pattern] : undefined;
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
        return 't.timestamp()';
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
          const extra = options([
            ['location', m.location],
            ['wireName', m.locationName],
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
    const { input, output } = model.operations[op];
    const inputRef = input ? shapeRef(input.shape) : 'EMPTY';
    const outputRef = output ? shapeRef(output.shape) : 'EMPTY';
    if (input) typeOf(input.shape);
    if (output) typeOf(output.shape);
    table.push(`  ${op}: { input: ${inputRef}, output: ${outputRef} },`);
  }

  const meta = model.metadata;
  return `// Generated by scripts/generate-shapes.mjs from ${source}: do not edit; run the script again.
// ${meta.serviceFullName} (${meta.protocol}${meta.targetPrefix ? `, target prefix ${meta.targetPrefix}` : ''}, signing name ${meta.signingName ?? meta.endpointPrefix}): ${operations.length} operations.
/* eslint-disable */
import { member, required, t, type StructureShape } from '${protocolImport}';

void member;
const EMPTY = t.struct({});

${lines.join('\n')}

/** Every operation of the model, with its input and output shapes. */
export const shapes = {
${table.join('\n')}
} satisfies Record<string, { input: StructureShape; output: StructureShape }>;

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
