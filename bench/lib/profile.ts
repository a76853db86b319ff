/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self and inclusive time per function,
 * with compiled dist/ locations mapped back to the TypeScript source through the .js.map files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixed, table } from './format.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  function: string;
  /** `src/server/dispatcher.ts:97`, `node:_http_server:...`, or a pseudo-frame such as `(garbage collector)`. */
  where: string;
  selfMs: number;
  selfShare: number;
  totalMs: number;
  totalShare: number;
}

export interface ProfileSummary {
  sampledMs: number;
  /** Busy time (samples outside `(idle)`), as a share of the sampled time. */
  busyShare: number;
  bySelf: HotSpot[];
  byTotal: HotSpot[];
  /** Functions of the project's own code (src/), by inclusive time. */
  ownByTotal: HotSpot[];
  /** Self time grouped by area: src/<folder>, node internals, GC, ... */
  byArea: { area: string; selfMs: number; share: number }[];
}

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(file: string): SourceMap | null {
  if (maps.has(file)) return maps.get(file) ?? null;
  let map: SourceMap | null = null;
  try {
    if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  } catch {
    map = null;
  }
  maps.set(file, map);
  return map;
}

/** Location of a frame relative to the project root, mapped to TypeScript where possible. */
function locate(frame: CallFrame, root: string): string {
  const { url } = frame;
  if (url === '') return '';
  if (!url.startsWith('file://')) return url; // node:internal/..., node:_http_server
  const file = fileURLToPath(url);
  const map = sourceMapFor(file);
  if (map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource) {
      const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(file), entry.originalSource);
      return `${relative(root, source)}:${(entry.originalLine ?? 0) + 1}`;
    }
  }
  return `${relative(root, file)}:${frame.lineNumber + 1}`;
}

function area(where: string, name: string): string {
  if (name.startsWith('(')) return name; // (garbage collector), (program), (idle)
  if (where.startsWith('src/')) return where.split('/').slice(0, 2).join('/');
  if (where.startsWith('bench/')) return 'bench';
  if (where.includes('node_modules/')) return `node_modules/${where.split('node_modules/')[1].split('/')[0]}`;
  if (where.startsWith('node:')) {
    const parts = where.slice(5).split(':')[0].split('/');
    return parts.includes('streams') ? 'node:streams' : `node:${parts[parts.length - 1]}`;
  }
  return where === '' ? '(native)' : 'other';
}

export function summarizeProfile(path: string, root: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const keyOf = new Map<number, string>();
  const info = new Map<string, { name: string; where: string }>();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName || '(anonymous)';
    const where = locate(node.callFrame, root);
    const key = `${name}@${where}`;
    keyOf.set(node.id, key);
    if (!info.has(key)) info.set(key, { name, where });
  }

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampled = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0; // a sample's delta is the time until the next one
    const id = profile.samples[i];
    sampled += us;
    const key = keyOf.get(id) as string;
    if (info.get(key)?.name === '(idle)') {
      idle += us;
      continue;
    }
    self.set(key, (self.get(key) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf.get(at) as string;
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const busy = sampled - idle;
  const spot = (key: string): HotSpot => {
    const { name, where } = info.get(key) as { name: string; where: string };
    const s = self.get(key) ?? 0;
    const t = total.get(key) ?? 0;
    return { function: name, where, selfMs: s / 1000, selfShare: busy > 0 ? s / busy : 0, totalMs: t / 1000, totalShare: busy > 0 ? t / busy : 0 };
  };
  const areas = new Map<string, number>();
  for (const [key, us] of self) {
    const { name, where } = info.get(key) as { name: string; where: string };
    const a = area(where, name);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const skipTotal = new Set(['(root)', '(program)']);
  return {
    sampledMs: sampled / 1000,
    busyShare: sampled > 0 ? busy / sampled : 0,
    bySelf: [...self.keys()].sort((a, b) => (self.get(b) ?? 0) - (self.get(a) ?? 0)).slice(0, top).map(spot),
    byTotal: [...total.keys()]
      .filter((k) => !skipTotal.has(info.get(k)?.name ?? ''))
      .sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0))
      .slice(0, top)
      .map(spot),
    ownByTotal: [...total.keys()]
      .filter((k) => info.get(k)?.where.startsWith('src/'))
      .sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0))
      .slice(0, top)
      .map(spot),
    byArea: [...areas]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ area: name, selfMs: us / 1000, share: busy > 0 ? us / busy : 0 })),
  };
}

/** A profile summary as the benchmarks print it: areas, the top self times, and src/ functions by inclusive time. */
export function profileReport(label: string, profile: ProfileSummary): string {
  const lines = [
    `CPU profile of ${label} (${fixed(profile.sampledMs / 1000, 1)} s sampled, ${fixed(profile.busyShare * 100, 0)}% busy; shares are of busy time):`,
    '',
    table(['area', 'self ms', 'self %'], profile.byArea.slice(0, 12).map((a) => [a.area, fixed(a.selfMs, 0), fixed(a.share * 100, 1)])),
    '',
    table(['top self time', 'where', 'self %', 'total %'], profile.bySelf.map((s) => [s.function, s.where, fixed(s.selfShare * 100, 1), fixed(s.totalShare * 100, 1)])),
  ];
  if (profile.ownByTotal.length > 0) {
    lines.push('', table(['src/ functions by inclusive time', 'where', 'total %', 'self %'], profile.ownByTotal.map((s) => [s.function, s.where, fixed(s.totalShare * 100, 1), fixed(s.selfShare * 100, 1)])));
  }
  return lines.join('\n');
}
