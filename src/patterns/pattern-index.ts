/**
 * PatternIndex: all the rules of a bus compiled into one structure, matched against an event by
 * scanning its JSON text once, without building the event's object tree.
 *
 * ## The data structure
 *
 * In the spirit of aws/event-ruler's finite automaton (NameState → ByteMachine → NameState ...),
 * but arranged for a single left-to-right pass over the event text:
 *
 *   PathNode (the "name" automaton) — a trie over field-path steps. The root's children are the
 *     top-level keys any rule names; `detail` → `state` is the path `detail.state`. A node exists
 *     only while some rule names it or a path below it, so the scanner can SKIP every subtree of the
 *     event whose key is not a child of the current node (a bracket-counting skip, no parsing). Event
 *     keys containing dots walk several steps (`"state.status"` is `state` → `status`), because
 *     EventBridge joins paths with dots. Keys are compared in place against the event text (few
 *     children: char by char; many: one Map lookup).
 *
 *   FieldIndex (the "value" automaton) — on a node that is a rule's leaf path, everything the
 *     rules test there, merged across rules and keyed so that a leaf value only reaches the rules it
 *     can satisfy:
 *       exact strings           Map<string, Hit[]>            one hash lookup per value
 *       number/true/false/null  Map<source text, Hit[]>       (pattern [300] vs event 300)
 *       numeric equality        Map<micro units, Hit[]>       (3 = 3.0 = 3e0; values.ts)
 *       equals-ignore-case      Map<folded string, Hit[]>
 *       prefix, prefix-ic       character tries walked from the value's start
 *       suffix, suffix-ic       character tries walked from the value's end
 *       wildcard                in the prefix trie under its leading literal (or the suffix trie
 *                               under its trailing one), verified there; `*x*` forms in a list
 *       IP literals             Map<address hex, Hit[]>
 *       numeric ranges, cidr    lists of ranges
 *       anything-but (all kinds), exists:true — lists (they match most values by nature)
 *     So exact / prefix / suffix / equals-ignore-case cost does not grow with rules that cannot
 *     match: a value walks a hash or a trie path, not a per-rule loop.
 *
 *   Hit = (branch, slot): "slot `slot` of `branch` is satisfied". A rule is an OR of branches (one
 *     per `$or` combination, compile.ts); a branch is an AND of slots, one per field path.
 *
 * ## Matching an event
 *
 *   1. A new epoch number starts; per-branch and per-node state is reset lazily by epoch stamps, so
 *      nothing is cleared between events.
 *   2. The scanner walks the event text. For each leaf value on an indexed path it asks the
 *      node's FieldIndex for hits and records them on their branches: a count of required slots
 *      hit (first hit of a slot), and, when the value sits inside arrays and the branch has more
 *      than one slot, the value's array membership (array ids and element indexes).
 *   3. A branch whose required slots are all hit is verified: without array hits that is
 *      immediate; otherwise a small backtracking search over the recorded memberships enforces
 *      array consistency (event-ruler ACFinder): values from different elements of one array never
 *      combine, and `exists: false` is judged against the elements already chosen. Branches with no
 *      required slot (only `exists: false` fields) are verified on every event.
 *   4. Each rule is reported once, in the order its first branch is confirmed.
 *
 * Cost per event ≈ scan of the text (skipping unnamed subtrees) + hash/trie lookups per named leaf
 * + work per hit. With many rules that cannot match, only the lookups that miss are paid.
 *
 * The scanner does not validate the event in full (skipped subtrees are only bracket-matched):
 * validate events at the API boundary. Malformed input makes it throw EventSyntaxError, never loop.
 */
import type { CompiledPattern, Matcher } from './compile.js';
import { EventSyntaxError } from './errors.js';
import { JsonSyntaxError, readString } from './json.js';
import { consistent, LITERAL, merge, NO_MEMBERSHIP, NUMBER, STRING, testMatcher, type Membership } from './evaluate.js';
import { fold, ipToHex, looksLikeIp, microUnits, wildcardMatches, type Wildcard } from './values.js';

// ---------------------------------------------------------------------------------------------
// Rule-side state
// ---------------------------------------------------------------------------------------------

class RuleState<Id> {
  matchEpoch = 0;
  readonly branches: Array<BranchState<Id>> = [];
  readonly undo: Array<() => void> = [];
  constructor(readonly id: Id) {}
}

class BranchState<Id> {
  epoch = 0;
  checkedEpoch = 0;
  hitCount = 0;
  readonly n: number;
  readonly multi: boolean;
  readonly requiredCount: number;
  readonly required: Uint8Array;
  readonly absent: Uint8Array;
  readonly nodes: PathNode[];
  readonly slotEpoch: Float64Array;
  readonly slotFree: Float64Array;
  readonly members: Membership[][];

  constructor(
    readonly rule: RuleState<Id>,
    fields: ReadonlyArray<{ absent: boolean }>,
    nodes: PathNode[],
  ) {
    const n = fields.length;
    this.n = n;
    this.multi = n > 1;
    this.nodes = nodes;
    this.required = new Uint8Array(n);
    this.absent = new Uint8Array(n);
    let required = 0;
    fields.forEach((f, i) => {
      this.absent[i] = f.absent ? 1 : 0;
      if (!f.absent) {
        this.required[i] = 1;
        required++;
      }
    });
    this.requiredCount = required;
    this.slotEpoch = new Float64Array(n);
    this.slotFree = new Float64Array(n);
    this.members = this.multi ? fields.map(() => []) : [];
  }
}

interface Hit {
  readonly branch: BranchState<unknown>;
  readonly slot: number;
}

// ---------------------------------------------------------------------------------------------
// Value-side structures
// ---------------------------------------------------------------------------------------------

interface TrieEntry {
  readonly hit: Hit;
  /** Null for a plain prefix/suffix; a wildcard to verify for wildcard entries. */
  readonly wildcard: Wildcard | null;
}

class TrieNode {
  next: Map<number, TrieNode> | null = null;
  entries: TrieEntry[] | null = null;

  insert(key: string, entry: TrieEntry, reverse: boolean): () => void {
    let node: TrieNode = this;
    const len = key.length;
    for (let i = 0; i < len; i++) {
      const c = key.charCodeAt(reverse ? len - 1 - i : i);
      if (node.next === null) node.next = new Map();
      let child = node.next.get(c);
      if (child === undefined) {
        child = new TrieNode();
        node.next.set(c, child);
      }
      node = child;
    }
    const target = node;
    (target.entries ??= []).push(entry);
    return () => {
      const list = target.entries;
      if (list === null) return;
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) target.entries = null;
    };
  }
}

interface RangeEntry {
  readonly lo: number;
  readonly loOpen: boolean;
  readonly hi: number;
  readonly hiOpen: boolean;
  readonly hit: Hit;
}

interface IpEntry {
  readonly lo: string;
  readonly hi: string;
  readonly hit: Hit;
}

interface MatcherEntry {
  readonly matcher: Matcher;
  readonly hit: Hit;
}

function removeFrom<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

function addToMap<K>(map: Map<K, Hit[]>, key: K, hit: Hit): () => void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [hit]);
  else list.push(hit);
  return () => {
    const l = map.get(key);
    if (l === undefined) return;
    removeFrom(l, hit);
    if (l.length === 0) map.delete(key);
  };
}

/** Everything the rules test on one leaf path. */
class FieldIndex {
  count = 0;
  exact: Map<string, Hit[]> | null = null;
  literal: Map<string, Hit[]> | null = null;
  numEq: Map<number, Hit[]> | null = null;
  eqIC: Map<string, Hit[]> | null = null;
  prefix: TrieNode | null = null;
  prefixIC: TrieNode | null = null;
  suffix: TrieNode | null = null;
  suffixIC: TrieNode | null = null;
  wildAny: Array<{ readonly wildcard: Wildcard; readonly hit: Hit }> = [];
  ranges: RangeEntry[] = [];
  ips: IpEntry[] = [];
  ipEq: Map<string, Hit[]> | null = null;
  exists: Hit[] = [];
  /** anything-but of every kind. */
  others: MatcherEntry[] = [];
  /** Does any entry need the number's micro units (numeric, or anything-but with numbers)? */
  numericOthers = 0;

  register(m: Matcher, hit: Hit): () => void {
    this.count++;
    const undo = this.add(m, hit);
    return () => {
      this.count--;
      undo();
    };
  }

  private add(m: Matcher, hit: Hit): () => void {
    switch (m.kind) {
      case 'exact':
        return addToMap((this.exact ??= new Map()), m.value, hit);
      case 'literal':
        return addToMap((this.literal ??= new Map()), m.text, hit);
      case 'numeric': {
        if (m.lo === m.hi && !m.loOpen && !m.hiOpen) return addToMap((this.numEq ??= new Map()), m.lo, hit);
        const entry: RangeEntry = { lo: m.lo, loOpen: m.loOpen, hi: m.hi, hiOpen: m.hiOpen, hit };
        this.ranges.push(entry);
        return () => removeFrom(this.ranges, entry);
      }
      case 'ip': {
        // A plain IP literal in a pattern is a one-address range: a hash lookup.
        if (m.lo === m.hi) return addToMap((this.ipEq ??= new Map()), m.lo, hit);
        const entry: IpEntry = { lo: m.lo, hi: m.hi, hit };
        this.ips.push(entry);
        return () => removeFrom(this.ips, entry);
      }
      case 'prefix': {
        const trie = m.ignoreCase ? (this.prefixIC ??= new TrieNode()) : (this.prefix ??= new TrieNode());
        return trie.insert(m.value, { hit, wildcard: null }, false);
      }
      case 'suffix': {
        const trie = m.ignoreCase ? (this.suffixIC ??= new TrieNode()) : (this.suffix ??= new TrieNode());
        return trie.insert(m.value, { hit, wildcard: null }, true);
      }
      case 'equals-ignore-case':
        return addToMap((this.eqIC ??= new Map()), m.value, hit);
      case 'wildcard': {
        const w = m.wildcard;
        const segs = w.segments;
        // No star: the same as an exact string.
        if (segs.length === 1) return addToMap((this.exact ??= new Map()), segs[0], hit);
        if (segs[0] !== '') return (this.prefix ??= new TrieNode()).insert(segs[0], { hit, wildcard: w }, false);
        const last = segs[segs.length - 1];
        if (last !== '') return (this.suffix ??= new TrieNode()).insert(last, { hit, wildcard: w }, true);
        const entry = { wildcard: w, hit };
        this.wildAny.push(entry);
        return () => removeFrom(this.wildAny, entry);
      }
      case 'exists':
        this.exists.push(hit);
        return () => removeFrom(this.exists, hit);
      default: {
        const entry: MatcherEntry = { matcher: m, hit };
        const numeric = m.kind === 'anything-but' && m.numbers.size > 0 ? 1 : 0;
        this.others.push(entry);
        this.numericOthers += numeric;
        return () => {
          removeFrom(this.others, entry);
          this.numericOthers -= numeric;
        };
      }
    }
  }
}

/** A step of the field-path trie. */
class PathNode {
  /** Child steps: parallel arrays for in-place comparison, and a Map once there are many. */
  readonly keys: string[] = [];
  readonly nodes: PathNode[] = [];
  map: Map<string, PathNode> | null = null;
  field: FieldIndex | null = null;
  /** Number of exists:false slots on this path. */
  watch = 0;
  /** Registrations at or below this node (the node is removed at 0). */
  refs = 0;
  // Per event (see PatternIndex.seen): leaf occurrences, for exists:false.
  seenEpoch = 0;
  freeEpoch = 0;
  occurrences: Membership[] = [];

  constructor(
    readonly key: string,
    readonly parent: PathNode | null,
  ) {}

  get(key: string): PathNode | undefined {
    if (this.map !== null) return this.map.get(key);
    const i = this.keys.indexOf(key);
    return i < 0 ? undefined : this.nodes[i];
  }

  add(key: string): PathNode {
    const child = new PathNode(key, this);
    this.keys.push(key);
    this.nodes.push(child);
    if (this.map !== null) this.map.set(key, child);
    else if (this.keys.length > SMALL_FANOUT) this.map = new Map(this.keys.map((k, i) => [k, this.nodes[i]]));
    return child;
  }

  remove(child: PathNode): void {
    const i = this.nodes.indexOf(child);
    if (i < 0) return;
    this.nodes.splice(i, 1);
    this.keys.splice(i, 1);
    this.map?.delete(child.key);
    if (this.map !== null && this.keys.length <= SMALL_FANOUT) this.map = null;
  }
}

/** Up to this many children, keys are compared in place; beyond it, one Map lookup. */
const SMALL_FANOUT = 8;

// Character classes for the skipping scanner.
const C_OTHER = 0;
const C_QUOTE = 1;
const C_OPEN = 2;
const C_CLOSE = 3;
const C_WS = 4;
const C_END = 5; // , ] }: ends a scalar
const CLASS = new Uint8Array(128);
CLASS[0x22] = C_QUOTE;
CLASS[0x7b] = CLASS[0x5b] = C_OPEN;
CLASS[0x7d] = CLASS[0x5d] = C_CLOSE;
CLASS[0x20] = CLASS[0x09] = CLASS[0x0a] = CLASS[0x0d] = C_WS;

function syntax(pos: number): never {
  throw new EventSyntaxError(`Event is not valid JSON (at position ${pos})`);
}

function skipWs(text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return pos;
  }
}

/** Index of the closing quote of the string whose opening quote is at `pos`. */
function stringEnd(text: string, pos: number): number {
  let from = pos + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) syntax(pos);
    let b = q - 1;
    while (text.charCodeAt(b) === 0x5c) b--;
    if (((q - 1 - b) & 1) === 0) return q;
    from = q + 1;
  }
}

/** stringEnd for the usual short key or value: a few characters by hand before indexOf. */
function shortStringEnd(text: string, pos: number): number {
  const limit = pos + 24;
  for (let i = pos + 1; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c || c !== c) break;
  }
  return stringEnd(text, pos);
}

/** Index after the JSON value starting at `pos`, without interpreting it. */
function skipValue(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c === 0x22) return stringEnd(text, pos) + 1;
  const len = text.length;
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    while (pos < len) {
      const d = text.charCodeAt(pos);
      const k = d < 128 ? CLASS[d] : C_OTHER;
      if (k === C_QUOTE) {
        pos = stringEnd(text, pos) + 1;
        continue;
      }
      if (k === C_OPEN) depth++;
      else if (k === C_CLOSE && --depth === 0) return pos + 1;
      pos++;
    }
    syntax(pos);
  }
  // number, true, false, null
  const start = pos;
  while (pos < len) {
    const d = text.charCodeAt(pos);
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    pos++;
  }
  if (pos === start) syntax(pos);
  return pos;
}

const NOWHERE = Number.MAX_SAFE_INTEGER;

function nextIndex(text: string, ch: string, from: number): number {
  const i = text.indexOf(ch, from);
  return i < 0 ? NOWHERE : i;
}

const ESCAPED = 1;
const DOTTED = 2;

// ---------------------------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------------------------

export class PatternIndex<Id> {
  private readonly root = new PathNode('', null);
  private readonly rules = new Map<Id, RuleState<Id>>();
  /** Branches with no required slot (only exists:false fields): verified on every event. */
  private readonly always: Array<BranchState<Id>> = [];

  // Per-event state.
  private epoch = 0;
  private text = '';
  private touched: Array<BranchState<Id>> = [];
  private depth = 0;
  private arrayCount = 0;
  private arrIds = new Float64Array(16);
  private arrIdx = new Float64Array(16);
  private memo: Membership | null = null;
  private out: Id[] = [];
  // Next positions of `"`, `[`, `]`, `{`, `}` at or after the scan position (see skipContainer).
  private nq = -1;
  private nbo = -1;
  private nbc = -1;
  private nco = -1;
  private ncc = -1;

  /** Number of rules in the index. */
  get size(): number {
    return this.rules.size;
  }

  has(id: Id): boolean {
    return this.rules.has(id);
  }

  /** Adds a rule (replacing any rule with the same id). */
  add(id: Id, pattern: CompiledPattern): void {
    this.remove(id);
    const rule = new RuleState<Id>(id);
    for (const branch of pattern.branches) {
      const nodes = branch.fields.map((f) => this.ensurePath(f.path, rule));
      const state = new BranchState<Id>(rule, branch.fields, nodes);
      rule.branches.push(state);
      branch.fields.forEach((field, slot) => {
        const node = nodes[slot];
        if (field.absent) {
          node.watch++;
          rule.undo.push(() => node.watch--);
        }
        if (field.matchers.length === 0) return;
        const fi = (node.field ??= new FieldIndex());
        const hit: Hit = { branch: state as BranchState<unknown>, slot };
        for (const m of field.matchers) {
          const undo = fi.register(m, hit);
          rule.undo.push(() => {
            undo();
            if (fi.count === 0 && node.field === fi) node.field = null;
          });
        }
      });
      if (state.requiredCount === 0) {
        this.always.push(state);
        rule.undo.push(() => removeFrom(this.always, state));
      }
    }
    this.rules.set(id, rule);
  }

  /** Removes a rule; returns whether it was there. */
  remove(id: Id): boolean {
    const rule = this.rules.get(id);
    if (rule === undefined) return false;
    for (let i = rule.undo.length - 1; i >= 0; i--) rule.undo[i]();
    this.rules.delete(id);
    return true;
  }

  /** Walks (creating) the trie nodes of a dot-joined path; counts the rule's reference on each. */
  private ensurePath(path: string, rule: RuleState<Id>): PathNode {
    let node = this.root;
    const chain: PathNode[] = [];
    for (const step of path.split('.')) {
      node = node.get(step) ?? node.add(step);
      node.refs++;
      chain.push(node);
    }
    rule.undo.push(() => {
      for (let i = chain.length - 1; i >= 0; i--) {
        const n = chain[i];
        if (--n.refs === 0) n.parent?.remove(n);
      }
    });
    return node;
  }

  /** Ids of the rules matching the event, given as JSON text (a JSON object). */
  matches(event: string): Id[] {
    this.begin();
    this.text = event;
    const pos = skipWs(event, 0);
    if (event.charCodeAt(pos) !== 0x7b) throw new EventSyntaxError('Event is not a JSON object');
    try {
      this.scanObject(this.root, pos);
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new EventSyntaxError(`Event is not valid JSON: ${error.message}`);
      throw error;
    } finally {
      this.text = '';
    }
    return this.finish();
  }

  /** Ids of the rules matching an already-parsed event object (e.g. from JSON.parse). */
  matchesObject(event: object): Id[] {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new EventSyntaxError('Event is not a JSON object');
    this.begin();
    this.walkObject(this.root, event as Record<string, unknown>);
    return this.finish();
  }

  private begin(): void {
    this.nq = this.nbo = this.nbc = this.nco = this.ncc = -1;
    this.epoch++;
    this.touched.length = 0;
    this.depth = 0;
    this.arrayCount = 0;
    this.memo = null;
    this.out = [];
  }

  private finish(): Id[] {
    const e = this.epoch;
    for (const b of this.touched) if (b.hitCount === b.requiredCount) this.check(b, e);
    for (const b of this.always) this.check(b, e);
    this.touched.length = 0;
    return this.out;
  }

  private check(b: BranchState<Id>, e: number): void {
    if (b.checkedEpoch === e) return;
    b.checkedEpoch = e;
    const rule = b.rule;
    if (rule.matchEpoch === e) return;
    if (this.verify(b, e)) {
      rule.matchEpoch = e;
      this.out.push(rule.id);
    }
  }

  private verify(b: BranchState<Id>, e: number): boolean {
    const hitThisEvent = b.epoch === e;
    if (!b.multi) {
      if (hitThisEvent && b.slotEpoch[0] === e) return true;
      return b.absent[0] === 1 && b.nodes[0].seenEpoch !== e;
    }
    let needSearch = false;
    for (let s = 0; s < b.n; s++) {
      if (hitThisEvent && b.slotEpoch[s] === e) {
        if (b.slotFree[s] !== e) needSearch = true;
        continue;
      }
      if (b.absent[s] === 0) return false;
      const node = b.nodes[s];
      if (node.seenEpoch === e) {
        if (node.freeEpoch === e) return false;
        needSearch = true;
      }
    }
    return !needSearch || this.search(b, 0, NO_MEMBERSHIP, e, hitThisEvent);
  }

  /** Array-consistent choice of one value (or absence) per slot, in sorted path order. */
  private search(b: BranchState<Id>, s: number, mem: Membership, e: number, hit: boolean): boolean {
    if (s === b.n) return true;
    if (hit && b.slotEpoch[s] === e) {
      if (b.slotFree[s] === e && this.search(b, s + 1, mem, e, hit)) return true;
      for (const m of b.members[s]) {
        if (consistent(mem, m) && this.search(b, s + 1, merge(mem, m), e, hit)) return true;
      }
    }
    if (b.absent[s] === 1 && this.absentUnder(b.nodes[s], mem, e)) return this.search(b, s + 1, mem, e, hit);
    return false;
  }

  private absentUnder(node: PathNode, mem: Membership, e: number): boolean {
    if (node.seenEpoch !== e) return true;
    if (node.freeEpoch === e) return false;
    for (const o of node.occurrences) if (consistent(mem, o)) return false;
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Recording
  // -------------------------------------------------------------------------------------------

  private membership(): Membership {
    if (this.memo !== null) return this.memo;
    const d = this.depth;
    const m: number[] = new Array(d * 2);
    for (let i = 0; i < d; i++) {
      m[2 * i] = this.arrIds[i];
      m[2 * i + 1] = this.arrIdx[i];
    }
    this.memo = m;
    return m;
  }

  private record(hit: Hit): void {
    const b = hit.branch as BranchState<Id>;
    const e = this.epoch;
    if (b.epoch !== e) {
      b.epoch = e;
      b.hitCount = 0;
      this.touched.push(b);
    }
    const s = hit.slot;
    if (b.slotEpoch[s] !== e) {
      b.slotEpoch[s] = e;
      if (b.required[s] === 1) b.hitCount++;
      if (b.multi) b.members[s].length = 0;
    }
    if (b.multi) {
      if (this.depth === 0) b.slotFree[s] = e;
      else if (b.slotFree[s] !== e) b.members[s].push(this.membership());
    }
  }

  private recordAll(hits: Hit[]): void {
    for (let i = 0; i < hits.length; i++) this.record(hits[i]);
  }

  private seen(node: PathNode): void {
    const e = this.epoch;
    if (node.seenEpoch !== e) {
      node.seenEpoch = e;
      node.occurrences.length = 0;
    }
    if (this.depth === 0) node.freeEpoch = e;
    else if (node.freeEpoch !== e) node.occurrences.push(this.membership());
  }

  // -------------------------------------------------------------------------------------------
  // Leaf values
  // -------------------------------------------------------------------------------------------

  private leafString(node: PathNode, s: string): void {
    this.memo = null;
    if (node.watch > 0) this.seen(node);
    const f = node.field;
    if (f === null) return;
    if (f.exact !== null) {
      const hits = f.exact.get(s);
      if (hits !== undefined) this.recordAll(hits);
    }
    if (f.prefix !== null) this.walkPrefix(f.prefix, s, s);
    if (f.suffix !== null) this.walkSuffix(f.suffix, s, s);
    if (f.eqIC !== null || f.prefixIC !== null || f.suffixIC !== null) {
      const folded = fold(s);
      if (f.eqIC !== null) {
        const hits = f.eqIC.get(folded);
        if (hits !== undefined) this.recordAll(hits);
      }
      if (f.prefixIC !== null) this.walkPrefix(f.prefixIC, folded, s);
      if (f.suffixIC !== null) this.walkSuffix(f.suffixIC, folded, s);
    }
    for (let i = 0; i < f.wildAny.length; i++) {
      const w = f.wildAny[i];
      if (wildcardMatches(w.wildcard, s)) this.record(w.hit);
    }
    if ((f.ips.length > 0 || f.ipEq !== null) && looksLikeIp(s)) {
      const hex = ipToHex(s);
      if (hex !== null) {
        if (f.ipEq !== null) {
          const hits = f.ipEq.get(hex);
          if (hits !== undefined) this.recordAll(hits);
        }
        for (const r of f.ips) if (hex.length === r.lo.length && hex >= r.lo && hex <= r.hi) this.record(r.hit);
      }
    }
    if (f.exists.length > 0) this.recordAll(f.exists);
    const others = f.others;
    for (let i = 0; i < others.length; i++) {
      const o = others[i];
      if (testMatcher(o.matcher, STRING, s)) this.record(o.hit);
    }
  }

  /** `key` is walked through the trie; wildcard entries are verified on `original`. */
  private walkPrefix(trie: TrieNode, key: string, original: string): void {
    let node: TrieNode | undefined = trie;
    let i = 0;
    const len = key.length;
    for (;;) {
      if (node.entries !== null) this.trieEntries(node.entries, original);
      if (i === len || node.next === null) return;
      node = node.next.get(key.charCodeAt(i++));
      if (node === undefined) return;
    }
  }

  private walkSuffix(trie: TrieNode, key: string, original: string): void {
    let node: TrieNode | undefined = trie;
    let i = key.length;
    for (;;) {
      if (node.entries !== null) this.trieEntries(node.entries, original);
      if (i === 0 || node.next === null) return;
      node = node.next.get(key.charCodeAt(--i));
      if (node === undefined) return;
    }
  }

  private trieEntries(entries: TrieEntry[], original: string): void {
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k];
      if (entry.wildcard === null || wildcardMatches(entry.wildcard, original)) this.record(entry.hit);
    }
  }

  private leafNumber(node: PathNode, src: string, start: number, end: number): void {
    this.memo = null;
    if (node.watch > 0) this.seen(node);
    const f = node.field;
    if (f === null) return;
    if (f.literal !== null) {
      const hits = f.literal.get(src.slice(start, end));
      if (hits !== undefined) this.recordAll(hits);
    }
    if (f.numEq !== null || f.ranges.length > 0 || f.numericOthers > 0) {
      const v = microUnits(src, start, end);
      if (v === v) {
        if (f.numEq !== null) {
          const hits = f.numEq.get(v);
          if (hits !== undefined) this.recordAll(hits);
        }
        const ranges = f.ranges;
        for (let i = 0; i < ranges.length; i++) {
          const r = ranges[i];
          if ((r.loOpen ? v > r.lo : v >= r.lo) && (r.hiOpen ? v < r.hi : v <= r.hi)) this.record(r.hit);
        }
      }
      this.othersNonString(f, v);
    } else {
      this.othersNonString(f, NaN);
    }
    if (f.exists.length > 0) this.recordAll(f.exists);
  }

  /** anything-but (every kind) for a number (micro units, NaN if not comparable) or a literal. */
  private othersNonString(f: FieldIndex, micro: number): void {
    const others = f.others;
    for (let i = 0; i < others.length; i++) {
      const o = others[i];
      const m = o.matcher;
      if (m.kind === 'anything-but' && m.numbers.size > 0 && micro === micro && m.numbers.has(micro)) continue;
      this.record(o.hit);
    }
  }

  private leafLiteral(node: PathNode, word: string): void {
    this.memo = null;
    if (node.watch > 0) this.seen(node);
    const f = node.field;
    if (f === null) return;
    if (f.literal !== null) {
      const hits = f.literal.get(word);
      if (hits !== undefined) this.recordAll(hits);
    }
    this.othersNonString(f, NaN);
    if (f.exists.length > 0) this.recordAll(f.exists);
  }

  // -------------------------------------------------------------------------------------------
  // The text scanner
  // -------------------------------------------------------------------------------------------

  /** `pos` is at `{`; returns the index after the matching `}`. */
  private scanObject(node: PathNode, pos: number): number {
    const text = this.text;
    const len = text.length;
    pos = skipWs(text, pos + 1);
    if (text.charCodeAt(pos) === 0x7d) return pos + 1;
    for (;;) {
      if (text.charCodeAt(pos) !== 0x22) syntax(pos);
      const keyStart = pos + 1;
      let i = keyStart;
      let flags = 0;
      for (;;) {
        const c = text.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c) {
          flags |= ESCAPED;
          i += 2;
          continue;
        }
        if (c === 0x2e) flags |= DOTTED;
        if (i >= len) syntax(i);
        i++;
      }
      const child = node.nodes.length === 0 ? null : this.child(node, keyStart, i, flags);
      pos = skipWs(text, i + 1);
      if (text.charCodeAt(pos) !== 0x3a) syntax(pos);
      pos = skipWs(text, pos + 1);
      pos = child === null ? this.skip(pos) : this.scanValue(child, pos);
      pos = skipWs(text, pos);
      const c = text.charCodeAt(pos);
      if (c === 0x2c) {
        pos = skipWs(text, pos + 1);
        continue;
      }
      if (c === 0x7d) return pos + 1;
      syntax(pos);
    }
  }

  private child(node: PathNode, start: number, end: number, flags: number): PathNode | null {
    const text = this.text;
    if (flags !== 0) {
      const key = (flags & ESCAPED) !== 0 ? readString(text, start - 1).value : text.slice(start, end);
      return this.lookupKey(node, key);
    }
    const map = node.map;
    if (map !== null) return map.get(text.slice(start, end)) ?? null;
    const keys = node.keys;
    const len = end - start;
    outer: for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key.length !== len) continue;
      for (let j = 0; j < len; j++) if (text.charCodeAt(start + j) !== key.charCodeAt(j)) continue outer;
      return node.nodes[k];
    }
    return null;
  }

  /** A decoded key, possibly with dots (several path steps). */
  private lookupKey(node: PathNode, key: string): PathNode | null {
    if (key.indexOf('.') < 0) return node.get(key) ?? null;
    let n: PathNode | undefined = node;
    for (const step of key.split('.')) {
      n = n.get(step);
      if (n === undefined) return null;
    }
    return n;
  }

  private scanValue(node: PathNode, pos: number): number {
    const text = this.text;
    const c = text.charCodeAt(pos);
    if (c === 0x7b) return node.nodes.length > 0 ? this.scanObject(node, pos) : this.skip(pos);
    if (c === 0x5b) return this.scanArray(node, pos);
    if (node.field === null && node.watch === 0) return this.skip(pos);
    if (c === 0x22) {
      // Strings on an indexed path are short: read them char by char, noting escapes.
      let i = pos + 1;
      const len = text.length;
      let escaped = false;
      for (;;) {
        const d = text.charCodeAt(i);
        if (d === 0x22) break;
        if (d === 0x5c) {
          escaped = true;
          i += 2;
          continue;
        }
        if (i >= len) syntax(i);
        i++;
      }
      this.leafString(node, escaped ? readString(text, pos).value : text.slice(pos + 1, i));
      return i + 1;
    }
    if (c === 0x74) {
      if (!text.startsWith('true', pos)) syntax(pos);
      this.leafLiteral(node, 'true');
      return pos + 4;
    }
    if (c === 0x66) {
      if (!text.startsWith('false', pos)) syntax(pos);
      this.leafLiteral(node, 'false');
      return pos + 5;
    }
    if (c === 0x6e) {
      if (!text.startsWith('null', pos)) syntax(pos);
      this.leafLiteral(node, 'null');
      return pos + 4;
    }
    const end = skipValue(text, pos);
    this.leafNumber(node, text, pos, end);
    return end;
  }

  /** Index after the value at `pos`, which no rule names. */
  private skip(pos: number): number {
    const c = this.text.charCodeAt(pos);
    return c === 0x7b || c === 0x5b ? this.skipContainer(pos) : skipValue(this.text, pos);
  }

  /**
   * Skips the object or array at `pos` by jumping between the next quotes and the next brackets of
   * its own kind, each found with indexOf (vectorised in V8) and remembered across calls: the scan
   * only moves forward, so over one event every character is searched at most once per kind. Only
   * the container's own bracket kind is counted: in well-formed JSON the other kind is balanced
   * inside it, so skipping `{"type": "Polygon", "coordinates": [[[...]]]}` looks at its quotes and
   * its one closing brace, not at the hundreds of characters of coordinates.
   */
  private skipContainer(pos: number): number {
    const text = this.text;
    const isObject = text.charCodeAt(pos) === 0x7b;
    let depth = 0;
    for (;;) {
      if (this.nq < pos) this.nq = nextIndex(text, '"', pos);
      let open: number;
      let close: number;
      if (isObject) {
        if (this.nco < pos) this.nco = nextIndex(text, '{', pos);
        if (this.ncc < pos) this.ncc = nextIndex(text, '}', pos);
        open = this.nco;
        close = this.ncc;
      } else {
        if (this.nbo < pos) this.nbo = nextIndex(text, '[', pos);
        if (this.nbc < pos) this.nbc = nextIndex(text, ']', pos);
        open = this.nbo;
        close = this.nbc;
      }
      const m = open < close ? open : close;
      if (this.nq < m) {
        pos = shortStringEnd(text, this.nq) + 1;
        continue;
      }
      if (m === NOWHERE) syntax(text.length);
      if (m === open) depth++;
      else if (--depth === 0) return m + 1;
      pos = m + 1;
    }
  }

  private pushArray(): number {
    const d = this.depth++;
    if (d >= this.arrIds.length) {
      const ids = new Float64Array(d * 2);
      ids.set(this.arrIds);
      this.arrIds = ids;
      const idx = new Float64Array(d * 2);
      idx.set(this.arrIdx);
      this.arrIdx = idx;
    }
    this.arrIds[d] = ++this.arrayCount;
    return d;
  }

  private scanArray(node: PathNode, pos: number): number {
    const text = this.text;
    if (node.nodes.length === 0 && node.field === null && node.watch === 0) return this.skip(pos);
    const d = this.pushArray();
    pos = skipWs(text, pos + 1);
    if (text.charCodeAt(pos) === 0x5d) {
      this.depth--;
      return pos + 1;
    }
    let index = 0;
    for (;;) {
      this.arrIdx[d] = index++;
      pos = this.scanValue(node, pos);
      pos = skipWs(text, pos);
      const c = text.charCodeAt(pos);
      if (c === 0x2c) {
        pos = skipWs(text, pos + 1);
        continue;
      }
      if (c === 0x5d) break;
      syntax(pos);
    }
    this.depth--;
    return pos + 1;
  }

  // -------------------------------------------------------------------------------------------
  // Walking an already-parsed object
  // -------------------------------------------------------------------------------------------

  private walkObject(node: PathNode, obj: Record<string, unknown>): void {
    for (const key in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
      const value = obj[key];
      if (value === undefined) continue;
      const child = this.lookupKey(node, key);
      if (child !== null) this.walkValue(child, value);
    }
  }

  private walkValue(node: PathNode, value: unknown): void {
    if (Array.isArray(value)) {
      if (node.nodes.length === 0 && node.field === null && node.watch === 0) return;
      const d = this.pushArray();
      for (let i = 0; i < value.length; i++) {
        this.arrIdx[d] = i;
        this.walkValue(node, value[i] === undefined ? null : value[i]);
      }
      this.depth--;
      return;
    }
    if (value !== null && typeof value === 'object') {
      if (node.nodes.length > 0) this.walkObject(node, value as Record<string, unknown>);
      return;
    }
    if (node.field === null && node.watch === 0) return;
    switch (typeof value) {
      case 'string':
        this.leafString(node, value);
        return;
      case 'number': {
        if (!Number.isFinite(value)) {
          this.leafLiteral(node, 'null');
          return;
        }
        const text = String(value);
        this.leafNumber(node, text, 0, text.length);
        return;
      }
      case 'boolean':
        this.leafLiteral(node, value ? 'true' : 'false');
        return;
      default:
        this.leafLiteral(node, 'null');
    }
  }
}

/** For tests: the kinds of leaf values, re-exported so callers need not import evaluate.ts. */
export const LEAF_TYPES = { STRING, NUMBER, LITERAL } as const;
