/**
 * Every definition AWS ran in the recorded executions (test/conformance/stepfunctions: the
 * templates with the tests' modifications applied) was accepted by AWS's CreateStateMachine, so
 * each must be accepted here too, through the SDK — STANDARD or EXPRESS as recorded, Lambda,
 * SQS and other resources in Task states included — and described back as given.
 */
import { CreateStateMachineCommand, DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { definitionOf, loadCases } from '../states-core/conformance-runner.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let sfn: SFNClient;
before(async () => {
  server = await startTestServer();
  sfn = server.client(SFNClient);
});
after(() => server.stop());

test('every recorded definition creates a state machine and describes back unchanged', async () => {
  const definitions = new Set<string>();
  for (const c of loadCases()) {
    const definition = definitionOf(c);
    if (definition !== null) definitions.add(definition);
  }
  assert.ok(definitions.size > 250, `${definitions.size} definitions`);
  const refused: string[] = [];
  let n = 0;
  for (const definition of definitions) {
    const name = `recorded-${++n}`;
    try {
      const created = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: 'arn:aws:iam::000000000000:role/sfn' }));
      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
      assert.equal(described.definition, definition);
    } catch (error) {
      refused.push(`${(error as Error).name}: ${(error as Error).message.slice(0, 300)}\n  ${definition.slice(0, 300)}`);
    }
  }
  assert.deepEqual(refused, []);
});
