import type { Reader, WriteTx } from '../../store/store.js';
import { aliasArn, versionArn } from '../model/arns.js';
import type { ActivityRecord, AliasRecord, StateMachineRecord, VersionRecord } from '../model/types.js';
import { sql } from './statements.js';

/**
 * The control plane's reads and writes, over a Reader (the store, or a write unit's transaction:
 * every check-then-write of an action runs inside one write unit, so it sees and changes one
 * consistent state) — the only place its SQL runs.
 */
interface MachineRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  type: string;
  definition: string;
  role_arn: string;
  logging: string;
  tracing: string;
  encryption: string | null;
  revision_id: string | null;
  revision: number | string;
  created_published: number | string;
  created_version_description: string | null;
  tags: string;
  created_at: number | string;
  updated_at: number | string;
  next_version: number | string;
}

interface VersionRow {
  machine_arn: string;
  version: number | string;
  definition: string;
  role_arn: string;
  logging: string;
  tracing: string;
  encryption: string | null;
  revision_id: string | null;
  revision: number | string;
  description: string | null;
  created_at: number | string;
}

interface AliasRow {
  machine_arn: string;
  name: string;
  description: string | null;
  routing: string;
  created_at: number | string;
  updated_at: number | string;
}

interface ActivityRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  tags: string;
  encryption: string | null;
  created_at: number | string;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

function machineOf(row: MachineRow): StateMachineRecord {
  return {
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    type: row.type as StateMachineRecord['type'],
    definition: row.definition,
    roleArn: row.role_arn,
    loggingConfiguration: JSON.parse(row.logging),
    tracingConfiguration: JSON.parse(row.tracing),
    encryptionConfiguration: row.encryption === null ? undefined : JSON.parse(row.encryption),
    revisionId: orUndefined(row.revision_id),
    revision: Number(row.revision),
    createdPublished: Number(row.created_published) === 1,
    createdVersionDescription: orUndefined(row.created_version_description),
    tags: JSON.parse(row.tags),
    creationDate: Number(row.created_at),
    updateDate: Number(row.updated_at),
    nextVersion: Number(row.next_version),
  };
}

function versionOf(row: VersionRow): VersionRecord {
  const version = Number(row.version);
  return {
    machineArn: row.machine_arn,
    version,
    arn: versionArn(row.machine_arn, version),
    definition: row.definition,
    roleArn: row.role_arn,
    loggingConfiguration: JSON.parse(row.logging),
    tracingConfiguration: JSON.parse(row.tracing),
    encryptionConfiguration: row.encryption === null ? undefined : JSON.parse(row.encryption),
    revisionId: orUndefined(row.revision_id),
    revision: Number(row.revision),
    description: orUndefined(row.description),
    creationDate: Number(row.created_at),
  };
}

function aliasOf(row: AliasRow): AliasRecord {
  return {
    machineArn: row.machine_arn,
    name: row.name,
    arn: aliasArn(row.machine_arn, row.name),
    description: orUndefined(row.description),
    routingConfiguration: JSON.parse(row.routing),
    creationDate: Number(row.created_at),
    updateDate: Number(row.updated_at),
  };
}

function activityOf(row: ActivityRow): ActivityRecord {
  return {
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    tags: JSON.parse(row.tags),
    encryptionConfiguration: row.encryption === null ? undefined : JSON.parse(row.encryption),
    creationDate: Number(row.created_at),
  };
}

export const machines = {
  async get(reader: Reader, arn: string): Promise<StateMachineRecord | undefined> {
    const row = await reader.get<MachineRow>(sql.selectMachine, [arn]);
    return row && machineOf(row);
  },
  async listOf(reader: Reader, accountId: string, region: string, after: string, limit: number): Promise<StateMachineRecord[]> {
    return (await reader.all<MachineRow>(sql.selectMachinesOf, [accountId, region, after, limit])).map(machineOf);
  },
  async insert(tx: WriteTx, m: StateMachineRecord): Promise<void> {
    await tx.run(sql.insertMachine, [
      m.arn,
      m.accountId,
      m.region,
      m.name,
      m.type,
      m.definition,
      m.roleArn,
      JSON.stringify(m.loggingConfiguration),
      JSON.stringify(m.tracingConfiguration),
      json(m.encryptionConfiguration),
      m.revisionId ?? null,
      m.revision,
      m.createdPublished ? 1 : 0,
      m.createdVersionDescription ?? null,
      JSON.stringify(m.tags),
      m.creationDate,
      m.updateDate,
      m.nextVersion,
    ]);
  },
  async updateRevision(tx: WriteTx, m: StateMachineRecord): Promise<void> {
    await tx.run(sql.updateMachineRevision, [
      m.definition,
      m.roleArn,
      JSON.stringify(m.loggingConfiguration),
      JSON.stringify(m.tracingConfiguration),
      json(m.encryptionConfiguration),
      m.revisionId ?? null,
      m.revision,
      m.updateDate,
      m.arn,
    ]);
  },
  async setTags(tx: WriteTx, arn: string, tags: StateMachineRecord['tags']): Promise<void> {
    await tx.run(sql.updateMachineTags, [JSON.stringify(tags), arn]);
  },
  async setNextVersion(tx: WriteTx, arn: string, next: number): Promise<void> {
    await tx.run(sql.updateMachineNextVersion, [next, arn]);
  },
  /** Removes a state machine with its versions and aliases (DeleteStateMachine: "also deletes all versions and aliases"). */
  async delete(tx: WriteTx, arn: string): Promise<void> {
    await tx.run(sql.deleteAliasesOf, [arn]);
    await tx.run(sql.deleteVersionsOf, [arn]);
    await tx.run(sql.deleteMachine, [arn]);
  },
};

export const versions = {
  async get(reader: Reader, machineArn: string, version: number): Promise<VersionRecord | undefined> {
    const row = await reader.get<VersionRow>(sql.selectVersion, [machineArn, version]);
    return row && versionOf(row);
  },
  async latest(reader: Reader, machineArn: string): Promise<VersionRecord | undefined> {
    const row = await reader.get<VersionRow>(sql.selectLatestVersion, [machineArn]);
    return row && versionOf(row);
  },
  /** Newest first, below `before` (a version number). */
  async listOf(reader: Reader, machineArn: string, before: number, limit: number): Promise<VersionRecord[]> {
    return (await reader.all<VersionRow>(sql.selectVersionsOf, [machineArn, before, limit])).map(versionOf);
  },
  async count(reader: Reader, machineArn: string): Promise<number> {
    return Number((await reader.get<{ n: number | string }>(sql.countVersions, [machineArn]))?.n ?? 0);
  },
  async insert(tx: WriteTx, v: VersionRecord): Promise<void> {
    await tx.run(sql.insertVersion, [
      v.machineArn,
      v.version,
      v.definition,
      v.roleArn,
      JSON.stringify(v.loggingConfiguration),
      JSON.stringify(v.tracingConfiguration),
      json(v.encryptionConfiguration),
      v.revisionId ?? null,
      v.revision,
      v.description ?? null,
      v.creationDate,
    ]);
  },
  async delete(tx: WriteTx, machineArn: string, version: number): Promise<void> {
    await tx.run(sql.deleteVersion, [machineArn, version]);
  },
};

export const aliases = {
  async get(reader: Reader, machineArn: string, name: string): Promise<AliasRecord | undefined> {
    const row = await reader.get<AliasRow>(sql.selectAlias, [machineArn, name]);
    return row && aliasOf(row);
  },
  async listOf(reader: Reader, machineArn: string, after: string, limit: number): Promise<AliasRecord[]> {
    return (await reader.all<AliasRow>(sql.selectAliasesOf, [machineArn, after, limit])).map(aliasOf);
  },
  async allOf(reader: Reader, machineArn: string): Promise<AliasRecord[]> {
    return (await reader.all<AliasRow>(sql.selectAllAliasesOf, [machineArn])).map(aliasOf);
  },
  async count(reader: Reader, machineArn: string): Promise<number> {
    return Number((await reader.get<{ n: number | string }>(sql.countAliases, [machineArn]))?.n ?? 0);
  },
  async insert(tx: WriteTx, a: AliasRecord): Promise<void> {
    await tx.run(sql.insertAlias, [a.machineArn, a.name, a.description ?? null, JSON.stringify(a.routingConfiguration), a.creationDate, a.updateDate]);
  },
  async update(tx: WriteTx, a: AliasRecord): Promise<void> {
    await tx.run(sql.updateAlias, [a.description ?? null, JSON.stringify(a.routingConfiguration), a.updateDate, a.machineArn, a.name]);
  },
  async delete(tx: WriteTx, machineArn: string, name: string): Promise<void> {
    await tx.run(sql.deleteAlias, [machineArn, name]);
  },
};

export const activities = {
  async get(reader: Reader, arn: string): Promise<ActivityRecord | undefined> {
    const row = await reader.get<ActivityRow>(sql.selectActivity, [arn]);
    return row && activityOf(row);
  },
  async listOf(reader: Reader, accountId: string, region: string, after: string, limit: number): Promise<ActivityRecord[]> {
    return (await reader.all<ActivityRow>(sql.selectActivitiesOf, [accountId, region, after, limit])).map(activityOf);
  },
  async insert(tx: WriteTx, a: ActivityRecord): Promise<void> {
    await tx.run(sql.insertActivity, [a.arn, a.accountId, a.region, a.name, JSON.stringify(a.tags), json(a.encryptionConfiguration), a.creationDate]);
  },
  async setTags(tx: WriteTx, arn: string, tags: ActivityRecord['tags']): Promise<void> {
    await tx.run(sql.updateActivityTags, [JSON.stringify(tags), arn]);
  },
  async delete(tx: WriteTx, arn: string): Promise<void> {
    await tx.run(sql.deleteActivity, [arn]);
  },
};
