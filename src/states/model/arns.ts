/**
 * Step Functions ARNs (API Reference, "Amazon Resource Names for Step Functions" in the Developer
 * Guide, and the ARN forms each action documents):
 *
 * - state machine `arn:aws:states:<region>:<account>:stateMachine:<name>`
 * - version `…:stateMachine:<name>:<version number>`, alias `…:stateMachine:<name>:<alias name>`
 * - a Distributed Map's label `…:stateMachine:<name>/<label>` (map runs)
 * - activity `…:activity:<name>`
 * - execution `…:execution:<machine>:<name>`, Express execution `…:express:<machine>:<name>:<id>`
 */
export interface StatesResource {
  region: string;
  accountId: string;
  partition: string;
}

export type ParsedStatesArn =
  | (StatesResource & { type: 'stateMachine'; name: string; qualifier?: undefined; label?: undefined })
  | (StatesResource & { type: 'version'; name: string; version: number; qualifier: string })
  | (StatesResource & { type: 'alias'; name: string; alias: string; qualifier: string })
  | (StatesResource & { type: 'mapRunLabel'; name: string; label: string })
  | (StatesResource & { type: 'activity'; name: string })
  | (StatesResource & { type: 'execution'; machine: string; name: string })
  | (StatesResource & { type: 'express'; machine: string; name: string; id: string })
  | (StatesResource & { type: 'other'; resourceType: string });

export function stateMachineArn(region: string, accountId: string, name: string): string {
  return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
}

export function versionArn(machineArn: string, version: number): string {
  return `${machineArn}:${version}`;
}

export function aliasArn(machineArn: string, alias: string): string {
  return `${machineArn}:${alias}`;
}

export function activityArn(region: string, accountId: string, name: string): string {
  return `arn:aws:states:${region}:${accountId}:activity:${name}`;
}

/**
 * The labeled state machine of a map run `…:mapRun:<machine>/<label>:<id>`: `…:stateMachine:<machine>/<label>`
 * (ListMapRuns' stateMachineArn; the stateMachineArn of the run's child workflow executions).
 */
export function labeledMachineArn(mapRunArn: string): string {
  const at = mapRunArn.indexOf(':mapRun:');
  const rest = mapRunArn.slice(at + ':mapRun:'.length);
  return `${mapRunArn.slice(0, at)}:stateMachine:${rest.slice(0, rest.lastIndexOf(':'))}`;
}

const VERSION = /^[1-9][0-9]*$/;

/**
 * The parts of a `states` ARN, or the reason it is not one as InvalidArn words it: AWS answers a
 * string that does not start `arn:<partition>:states:` with "Invalid ARN prefix: <value>" (as
 * answered for StartExecution with `not-an-arn`), and an ARN of the wrong kind with "Resource
 * type not valid in this context: <type>" (recorded for StartExecution given an execution ARN).
 * For a `states` ARN whose parts are malformed (no region, an account that is not 12 digits, a
 * resource of the wrong shape) no answer was found recorded: the reason is the ARN itself.
 */
export function parseStatesArn(arn: string): ParsedStatesArn | { invalid: string } {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'states' || !parts[1]) return { invalid: `Invalid ARN prefix: ${arn}` };
  const [, partition, , region, accountId, resourceType, ...rest] = parts;
  const base = { partition, region, accountId };
  if (!region || !/^\d{12}$/.test(accountId)) return { invalid: arn };
  switch (resourceType) {
    case 'stateMachine': {
      if (rest.length === 1 && rest[0]) {
        const slash = rest[0].indexOf('/');
        if (slash > 0 && slash < rest[0].length - 1) return { ...base, type: 'mapRunLabel', name: rest[0].slice(0, slash), label: rest[0].slice(slash + 1) };
        return { ...base, type: 'stateMachine', name: rest[0] };
      }
      if (rest.length === 2 && rest[0] && rest[1]) {
        if (VERSION.test(rest[1])) return { ...base, type: 'version', name: rest[0], version: Number(rest[1]), qualifier: rest[1] };
        return { ...base, type: 'alias', name: rest[0], alias: rest[1], qualifier: rest[1] };
      }
      break;
    }
    case 'activity':
      if (rest.length === 1 && rest[0]) return { ...base, type: 'activity', name: rest[0] };
      break;
    case 'execution':
      if (rest.length === 2 && rest[0] && rest[1]) return { ...base, type: 'execution', machine: rest[0], name: rest[1] };
      break;
    case 'express':
      if (rest.length === 3 && rest[0] && rest[1] && rest[2]) return { ...base, type: 'express', machine: rest[0], name: rest[1], id: rest[2] };
      break;
    default:
      if (resourceType) return { ...base, type: 'other', resourceType };
  }
  return { invalid: arn };
}

/** The name InvalidArn's "Resource type not valid in this context" gives a parsed ARN's type. */
export function resourceTypeName(parsed: ParsedStatesArn): string {
  switch (parsed.type) {
    case 'version':
    case 'alias':
    case 'mapRunLabel':
      return 'stateMachine';
    case 'other':
      return parsed.resourceType;
    default:
      return parsed.type;
  }
}
