/**
 * The AWS CLI (botocore) as the tests run it: a second, independent client of the same wire
 * formats, against a Stratus started in the test process. Account 123456789012, region
 * eu-west-1, one attempt, no pager, in a HOME of its own so that no user config leaks in.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
export const awsCliInstalled = probe.status === 0;
/** What `aws --version` names itself, e.g. `aws-cli/1.45.11`. */
export const awsCliVersion = awsCliInstalled ? `${probe.stdout || probe.stderr}`.trim().split(' ')[0] : '';
/** `aws logs tail` and other v2-only commands need it. */
export const awsCliV2 = awsCliVersion.startsWith('aws-cli/2.');

const run = promisify(execFile);

export interface AwsCli {
  /** The CLI's HOME, a folder of its own (a test may write files there). */
  readonly home: string;
  /** The environment the CLI runs with (for commands a test spawns itself). */
  readonly env: NodeJS.ProcessEnv;
  /** Runs `aws --output json --endpoint-url <endpoint> …args`; a failing command resolves with its exit code. */
  run(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  /** Removes the CLI's HOME. */
  cleanup(): void;
}

export function awsCli(endpoint: string): AwsCli {
  const home = mkdtempSync(join(tmpdir(), 'stratus-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: '123456789012',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  };
  return {
    home,
    env,
    // Never execFileSync: the server runs in this process and must keep answering.
    async run(...args) {
      try {
        const { stdout, stderr } = await run('aws', ['--output', 'json', '--endpoint-url', endpoint, ...args], { env });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const e = error as { stdout: string; stderr: string; code: number };
        return { stdout: e.stdout, stderr: e.stderr, code: e.code };
      }
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
