import { lambdaErrors } from './errors.js';

/**
 * Runtime identifiers (Lambda Developer Guide, "Lambda runtimes"; the Runtime enum of the lambda
 * 2015-03-31 model). Three sets matter:
 *  - runnable: what Stratus's execution environments start (Node.js, Python, OS-only runtimes);
 *  - accepted: every identifier AWS still lets a function be created or updated with. A function
 *    on one Stratus cannot run (Java, .NET, Ruby) is stored like any other, and Invoke answers
 *    InvalidRuntimeException for it;
 *  - retired: identifiers AWS blocks for create and update (the "Deprecated runtimes" table).
 */
export const RUNNABLE_RUNTIMES: ReadonlySet<string> = new Set([
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'provided.al2',
  'provided.al2023',
]);

export const ACCEPTED_RUNTIMES: readonly string[] = [
  'nodejs24.x', 'nodejs22.x', 'nodejs20.x', 'nodejs18.x', 'nodejs16.x',
  'python3.14', 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python3.9', 'python3.8',
  'java25', 'java21', 'java17', 'java11', 'java8.al2',
  'dotnet10', 'dotnet8', 'dotnet6',
  'ruby3.4', 'ruby3.3', 'ruby3.2',
  'provided.al2023', 'provided.al2',
];
const accepted = new Set(ACCEPTED_RUNTIMES);

/** Retired runtime → the runtime AWS's message recommends instead ([S]: AWS names one per family). */
const RETIRED: Record<string, string> = {
  nodejs: 'nodejs22.x', 'nodejs4.3': 'nodejs22.x', 'nodejs4.3-edge': 'nodejs22.x', 'nodejs6.10': 'nodejs22.x', 'nodejs8.10': 'nodejs22.x',
  'nodejs10.x': 'nodejs22.x', 'nodejs12.x': 'nodejs22.x', 'nodejs14.x': 'nodejs22.x',
  'python2.7': 'python3.13', 'python3.6': 'python3.13', 'python3.7': 'python3.13',
  'dotnetcore1.0': 'dotnet8', 'dotnetcore2.0': 'dotnet8', 'dotnetcore2.1': 'dotnet8', 'dotnetcore3.1': 'dotnet8',
  'ruby2.5': 'ruby3.3', 'ruby2.7': 'ruby3.3',
  'go1.x': 'provided.al2023', provided: 'provided.al2023', java8: 'java21',
};

/** Every identifier of the model's Runtime enum Stratus knows (accepted and retired): what layer actions' CompatibleRuntime(s) take. */
export const RUNTIME_IDENTIFIERS: readonly string[] = [...ACCEPTED_RUNTIMES, ...Object.keys(RETIRED)];

/**
 * The runtime a create or update may set, or AWS's InvalidParameterValueException: the "no longer
 * supported" text for retired runtimes ([R] wording) and the enum text for anything else ([R]
 * wording: `Value x at 'runtime' failed to satisfy constraint: Member must satisfy enum value set:
 * [...] or be a valid ARN`; a missing runtime renders as `null`).
 */
export function checkRuntime(runtime: string | undefined): string {
  if (runtime !== undefined && accepted.has(runtime)) return runtime;
  if (runtime !== undefined && RETIRED[runtime]) {
    throw lambdaErrors.invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (${RETIRED[runtime]}) while creating or updating functions.`,
    );
  }
  throw lambdaErrors.invalidParameter(
    `Value ${runtime ?? 'null'} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${ACCEPTED_RUNTIMES.join(', ')}] or be a valid ARN`,
  );
}
