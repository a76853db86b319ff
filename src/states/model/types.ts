import type { LoggingConfiguration, Tag, TracingConfiguration, EncryptionConfiguration, RoutingConfigurationListItem } from '../api/shapes.js';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** What a revision of a state machine is made of: what UpdateStateMachine changes and a version freezes. */
export interface MachineRevision {
  definition: string;
  roleArn: string;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface StateMachineRecord extends MachineRevision {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  type: StateMachineType;
  /** Absent until the first UpdateStateMachine that changes something (DescribeStateMachine omits it then). */
  revisionId?: string;
  /** Counts the revisions: a version remembers the one it was published from (idempotent publishing). */
  revision: number;
  /** CreateStateMachine's publish and versionDescription, part of its idempotency check. */
  createdPublished: boolean;
  createdVersionDescription?: string;
  tags: Tag[];
  creationDate: number;
  updateDate: number;
  /** The number the next published version gets: numbers are never reused after a deletion. */
  nextVersion: number;
}

export interface VersionRecord extends MachineRevision {
  machineArn: string;
  version: number;
  arn: string;
  revisionId?: string;
  revision: number;
  description?: string;
  creationDate: number;
}

export interface AliasRecord {
  machineArn: string;
  name: string;
  arn: string;
  description?: string;
  routingConfiguration: RoutingConfigurationListItem[];
  creationDate: number;
  updateDate: number;
}

export interface ActivityRecord {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  tags: Tag[];
  encryptionConfiguration?: EncryptionConfiguration;
  creationDate: number;
}
