import { compilePattern, PatternIndex, type CompiledPattern } from '../../patterns/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { busArn, DEFAULT_BUS, ruleArn, type BusReference } from '../model/arns.js';
import type { RuleState, TargetDefinition } from '../model/types.js';
import { sql } from '../repository/statements.js';
import { compileTargetInput, type CompiledTargetInput } from './target-input.js';

/**
 * The control plane in memory: every bus with its rules and their targets, loaded from the
 * store at start and changed only through the methods here, which store first and update
 * memory once the write has committed (DESIGN.md rule 3). Each bus keeps its enabled pattern
 * rules compiled together in one PatternIndex, so PutEvents never compiles anything.
 */
export class EventBus {
  readonly arn: string;
  readonly rules = new Map<string, Rule>();
  /** Enabled rules with an event pattern; disabled and schedule-only rules stay out. */
  readonly index = new PatternIndex<Rule>();

  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly name: string,
    public settings: BusSettings,
    public tags: Record<string, string>,
    readonly createdAt: number,
    public modifiedAt: number,
    /** False for a default bus that nothing has written yet: it exists without a row. */
    public stored: boolean,
  ) {
    this.arn = busArn(region, accountId, name);
  }
}

export interface BusSettings {
  description?: string;
  policy?: string;
  kmsKeyIdentifier?: string;
  deadLetterArn?: string;
}

export interface RuleFields {
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
}

export interface TargetEntry {
  definition: TargetDefinition;
  position: number;
  input: CompiledTargetInput;
}

export class Rule {
  readonly arn: string;
  readonly targets = new Map<string, TargetEntry>();
  compiled: CompiledPattern | undefined;

  constructor(
    readonly bus: EventBus,
    readonly name: string,
    public fields: RuleFields,
    public tags: Record<string, string>,
    readonly createdAt: number,
    public modifiedAt: number,
  ) {
    this.arn = ruleArn(bus.region, bus.accountId, bus.name, name);
    this.compiled = fields.eventPattern !== undefined ? compilePattern(fields.eventPattern) : undefined;
  }

  get enabled(): boolean {
    return this.fields.state !== 'DISABLED';
  }

  /** Targets in the order they were first put (ListTargetsByRule's order). */
  orderedTargets(): TargetEntry[] {
    return [...this.targets.values()].sort((a, b) => a.position - b.position);
  }
}

/**
 * Called inside the write unit of every rule change, so schedules follow rules atomically.
 * `previous` is the rule a put replaces, if any.
 */
export type RuleChangeHook = (tx: WriteTx, rule: Rule, change: 'put' | 'delete', previous?: Rule) => Promise<void> | void;

interface BusRow {
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  policy: string | null;
  kms_key_identifier: string | null;
  dead_letter_arn: string | null;
  tags: string;
  created_at: number | string;
  modified_at: number | string;
}

interface RuleRow {
  account_id: string;
  region: string;
  bus_name: string;
  name: string;
  event_pattern: string | null;
  schedule_expression: string | null;
  state: RuleState;
  description: string | null;
  role_arn: string | null;
  tags: string;
  created_at: number | string;
  modified_at: number | string;
}

interface TargetRow {
  account_id: string;
  region: string;
  bus_name: string;
  rule_name: string;
  target_id: string;
  position: number | string;
  definition: string;
}

export class Catalogue {
  private readonly buses = new Map<string, EventBus>();
  private nextPosition = 1;
  private ruleHook: RuleChangeHook = () => {};

  constructor(private readonly runtime: Runtime) {}

  onRuleChange(hook: RuleChangeHook): void {
    this.ruleHook = hook;
  }

  async load(): Promise<void> {
    const store = this.runtime.store;
    for (const row of await store.all<BusRow>(sql.selectBuses)) {
      const bus = new EventBus(row.account_id, row.region, row.name, busSettings(row), JSON.parse(row.tags) as Record<string, string>, Number(row.created_at), Number(row.modified_at), true);
      this.buses.set(busKey(bus), bus);
    }
    for (const row of await store.all<RuleRow>(sql.selectRules)) {
      const bus = this.bus({ accountId: row.account_id, region: row.region, name: row.bus_name }, { includeUnstored: true });
      if (!bus) continue; // A rule row always has its bus; a stray one from a crashed delete is ignored.
      const rule = new Rule(bus, row.name, ruleFields(row), JSON.parse(row.tags) as Record<string, string>, Number(row.created_at), Number(row.modified_at));
      bus.rules.set(rule.name, rule);
      this.reindex(rule);
    }
    for (const row of await store.all<TargetRow>(sql.selectTargets)) {
      const bus = this.bus({ accountId: row.account_id, region: row.region, name: row.bus_name }, { includeUnstored: true });
      const rule = bus?.rules.get(row.rule_name);
      if (!rule) continue;
      const definition = JSON.parse(row.definition) as TargetDefinition;
      const position = Number(row.position);
      rule.targets.set(row.target_id, { definition, position, input: compileTargetInput(definition, definition.Id) });
      this.nextPosition = Math.max(this.nextPosition, position + 1);
    }
  }

  /**
   * The bus a reference names. The default bus exists in every account and region without
   * being created (User Guide, "Event buses"); it gets a row only once something is stored on it.
   */
  bus(ref: BusReference, options: { includeUnstored?: boolean } = {}): EventBus | undefined {
    const key = `${ref.accountId}/${ref.region}/${ref.name}`;
    let bus = this.buses.get(key);
    if (!bus && ref.name === DEFAULT_BUS) {
      const now = this.runtime.clock.now();
      bus = new EventBus(ref.accountId, ref.region, DEFAULT_BUS, {}, {}, now, now, false);
      this.buses.set(key, bus);
    }
    if (bus && !bus.stored && bus.name !== DEFAULT_BUS && !options.includeUnstored) return undefined;
    return bus;
  }

  /** The buses of an account and region, by name, the default bus among them. */
  busesOf(accountId: string, region: string): EventBus[] {
    this.bus({ accountId, region, name: DEFAULT_BUS });
    const out: EventBus[] = [];
    for (const bus of this.buses.values()) if (bus.accountId === accountId && bus.region === region) out.push(bus);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every bus in every account and region (the scheduler and ListRuleNamesByTarget walk them). */
  allBuses(): Iterable<EventBus> {
    return this.buses.values();
  }

  async createBus(ref: BusReference, settings: BusSettings, tags: Record<string, string>): Promise<EventBus> {
    const now = this.runtime.clock.now();
    const bus = new EventBus(ref.accountId, ref.region, ref.name, settings, tags, now, now, true);
    await this.runtime.store.write(async (tx) => {
      await this.storeBus(tx, bus);
      tx.afterCommit(() => this.buses.set(busKey(bus), bus));
    });
    return bus;
  }

  /** Stores a bus's settings and tags (all of them, as they are to be). */
  async updateBus(bus: EventBus, settings: BusSettings, tags: Record<string, string> = bus.tags): Promise<void> {
    const next = { ...bus.settings, ...settings };
    const modifiedAt = this.runtime.clock.now();
    await this.runtime.store.write(async (tx) => {
      await this.storeBus(tx, bus, { settings: next, tags, modifiedAt });
      tx.afterCommit(() => {
        bus.settings = next;
        bus.tags = tags;
        bus.modifiedAt = modifiedAt;
        bus.stored = true;
      });
    });
  }

  async deleteBus(bus: EventBus): Promise<void> {
    const ref = [bus.accountId, bus.region, bus.name];
    await this.runtime.store.write(async (tx) => {
      for (const rule of bus.rules.values()) await this.ruleHook(tx, rule, 'delete');
      await tx.run(sql.deleteBusTargets, ref);
      await tx.run(sql.deleteBusRules, ref);
      await tx.run(sql.deleteBus, ref);
      tx.afterCommit(() => {
        for (const rule of bus.rules.values()) bus.index.remove(rule);
        bus.rules.clear();
        this.buses.delete(busKey(bus));
      });
    });
  }

  /** Creates or replaces a rule; its targets and (on replace) its tags stay. */
  async putRule(bus: EventBus, name: string, fields: RuleFields, tags: Record<string, string>): Promise<Rule> {
    const now = this.runtime.clock.now();
    const existing = bus.rules.get(name);
    const rule = new Rule(bus, name, fields, existing ? existing.tags : tags, existing ? existing.createdAt : now, now);
    if (existing) for (const [id, target] of existing.targets) rule.targets.set(id, target);
    await this.runtime.store.write(async (tx) => {
      if (!bus.stored) await this.storeBus(tx, bus);
      await this.storeRule(tx, rule);
      await this.ruleHook(tx, rule, 'put', existing);
      tx.afterCommit(() => {
        bus.stored = true;
        if (existing) bus.index.remove(existing);
        bus.rules.set(name, rule);
        this.reindex(rule);
      });
    });
    return rule;
  }

  async setRuleState(rule: Rule, state: RuleState): Promise<void> {
    await this.putRule(rule.bus, rule.name, { ...rule.fields, state }, rule.tags);
  }

  async setRuleTags(rule: Rule, tags: Record<string, string>): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      await this.storeRule(tx, rule, tags);
      tx.afterCommit(() => (rule.tags = tags));
    });
  }

  async deleteRule(rule: Rule): Promise<void> {
    const bus = rule.bus;
    await this.runtime.store.write(async (tx) => {
      await tx.run(sql.deleteRule, [bus.accountId, bus.region, bus.name, rule.name]);
      await this.ruleHook(tx, rule, 'delete');
      tx.afterCommit(() => {
        bus.index.remove(rule);
        if (bus.rules.get(rule.name) === rule) bus.rules.delete(rule.name);
      });
    });
  }

  /** Adds or replaces targets by id (validated and compiled by the caller). */
  async putTargets(rule: Rule, definitions: TargetDefinition[]): Promise<void> {
    const bus = rule.bus;
    const entries = definitions.map((definition) => {
      const existing = rule.targets.get(definition.Id);
      return { definition, position: existing?.position ?? this.nextPosition++, input: compileTargetInput(definition, definition.Id) };
    });
    await this.runtime.store.write(async (tx) => {
      for (const entry of entries) {
        await tx.run(sql.upsertTarget, [bus.accountId, bus.region, bus.name, rule.name, entry.definition.Id, entry.position, JSON.stringify(entry.definition)]);
      }
      tx.afterCommit(() => {
        for (const entry of entries) rule.targets.set(entry.definition.Id, entry);
      });
    });
  }

  async removeTargets(rule: Rule, ids: string[]): Promise<void> {
    const bus = rule.bus;
    await this.runtime.store.write(async (tx) => {
      for (const id of ids) await tx.run(sql.deleteTarget, [bus.accountId, bus.region, bus.name, rule.name, id]);
      tx.afterCommit(() => {
        for (const id of ids) rule.targets.delete(id);
      });
    });
  }

  private reindex(rule: Rule): void {
    if (rule.compiled && rule.enabled) rule.bus.index.add(rule, rule.compiled);
    else rule.bus.index.remove(rule);
  }

  /** Stores a bus as it is, or as it is to be with `next` (memory follows once that commits). */
  private async storeBus(tx: WriteTx, bus: EventBus, next: { settings: BusSettings; tags: Record<string, string>; modifiedAt: number } = bus): Promise<void> {
    const s = next.settings;
    await tx.run(sql.upsertBus, [
      bus.accountId, bus.region, bus.name, s.description ?? null, s.policy ?? null, s.kmsKeyIdentifier ?? null, s.deadLetterArn ?? null,
      JSON.stringify(next.tags), bus.createdAt, next.modifiedAt,
    ]);
  }

  private async storeRule(tx: WriteTx, rule: Rule, tags = rule.tags): Promise<void> {
    const f = rule.fields;
    const bus = rule.bus;
    await tx.run(sql.upsertRule, [
      bus.accountId, bus.region, bus.name, rule.name, f.eventPattern ?? null, f.scheduleExpression ?? null, f.state, f.description ?? null,
      f.roleArn ?? null, JSON.stringify(tags), rule.createdAt, rule.modifiedAt,
    ]);
  }
}

function busKey(bus: EventBus): string {
  return `${bus.accountId}/${bus.region}/${bus.name}`;
}

function busSettings(row: BusRow): BusSettings {
  const settings: BusSettings = {};
  if (row.description !== null) settings.description = row.description;
  if (row.policy !== null) settings.policy = row.policy;
  if (row.kms_key_identifier !== null) settings.kmsKeyIdentifier = row.kms_key_identifier;
  if (row.dead_letter_arn !== null) settings.deadLetterArn = row.dead_letter_arn;
  return settings;
}

function ruleFields(row: RuleRow): RuleFields {
  const fields: RuleFields = { state: row.state };
  if (row.event_pattern !== null) fields.eventPattern = row.event_pattern;
  if (row.schedule_expression !== null) fields.scheduleExpression = row.schedule_expression;
  if (row.description !== null) fields.description = row.description;
  if (row.role_arn !== null) fields.roleArn = row.role_arn;
  return fields;
}
