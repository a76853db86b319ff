import type { WriteTx } from '../../store/store.js';
import { versionArn } from '../model/arns.js';
import { statesErrors } from '../model/errors.js';
import type { StateMachineRecord, VersionRecord } from '../model/types.js';
import { machines, versions } from '../repository/records.js';

/** "Maximum number of published state machine versions: 1000 per state machine" (Developer Guide, service quotas). */
export const MAX_VERSIONS = 1000;

/**
 * Publishes the machine's current revision as a version, inside the caller's write unit.
 *
 * Publishing is idempotent: while the newest version was published from the current revision,
 * that version is answered again (recorded: two PublishStateMachineVersion calls with nothing
 * changed between them answer version 1 both times; UpdateStateMachine with `publish` and no
 * change answers the version CreateStateMachine published). Numbers are never reused: after
 * version 2 is deleted the next one is 3 (recorded, test_version_ids_between_deletions).
 */
export async function publishVersion(tx: WriteTx, machine: StateMachineRecord, description: string | undefined, now: number): Promise<VersionRecord> {
  const latest = await versions.latest(tx, machine.arn);
  if (latest && latest.revision === machine.revision) return latest;
  if ((await versions.count(tx, machine.arn)) >= MAX_VERSIONS) throw statesErrors.versionLimit(machine.arn);
  const version: VersionRecord = {
    machineArn: machine.arn,
    version: machine.nextVersion,
    arn: versionArn(machine.arn, machine.nextVersion),
    definition: machine.definition,
    roleArn: machine.roleArn,
    loggingConfiguration: machine.loggingConfiguration,
    tracingConfiguration: machine.tracingConfiguration,
    encryptionConfiguration: machine.encryptionConfiguration,
    revisionId: machine.revisionId,
    revision: machine.revision,
    description,
    creationDate: now,
  };
  await versions.insert(tx, version);
  await machines.setNextVersion(tx, machine.arn, machine.nextVersion + 1);
  machine.nextVersion += 1;
  return version;
}
