/**
 * The REST API control plane through the AWS CLI (botocore: a second, independent client of the
 * REST-JSON protocol): create-rest-api with tags, get-resources with embedded methods,
 * update-stage with patch operations in the CLI's shorthand, get-tags by a stage's ARN, and an
 * error as the CLI prints it. The API between them is built with the SDK: each CLI start costs
 * seconds here. Skipped, saying so, where no `aws` executable is installed.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { awsCli, awsCliInstalled, type AwsCli } from '../support/aws-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('aws apigateway', { skip: awsCliInstalled ? false : 'the aws executable is not installed' }, () => {
  let server: TestServer;
  let cli: AwsCli;
  let sdk: apigw.APIGatewayClient;
  before(async () => {
    server = await startTestServer();
    cli = awsCli(server.url);
    // The CLI acts as account 123456789012 in eu-west-1: the SDK client does too.
    sdk = server.client(apigw.APIGatewayClient, { region: 'eu-west-1', credentials: { accessKeyId: '123456789012', secretAccessKey: 'x' } });
  });
  after(async () => {
    await server.stop();
    cli.cleanup();
  });

  const aws = async (...args: string[]): Promise<any> => {
    const out = await cli.run('apigateway', ...args);
    assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}`);
    return out.stdout.trim() === '' ? {} : JSON.parse(out.stdout);
  };

  test('create-rest-api, get-resources --embed, update-stage, get-tags; an error as printed', async () => {
    const [api, missing] = await Promise.all([
      aws('create-rest-api', '--name', 'cli-api', '--tags', 'team=web'),
      cli.run('apigateway', 'get-rest-api', '--rest-api-id', 'nope123456'),
    ]);
    assert.equal(api.apiKeySource, 'HEADER');
    assert.deepEqual(api.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
    assert.deepEqual(api.tags, { team: 'web' });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFoundException/);
    assert.match(missing.stderr, /Invalid API identifier specified 123456789012:nope123456/);

    const pets = await sdk.send(new apigw.CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
    await sdk.send(new apigw.PutMethodCommand({ restApiId: api.id, resourceId: pets.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await sdk.send(
      new apigw.PutIntegrationCommand({ restApiId: api.id, resourceId: pets.id, httpMethod: 'GET', type: 'HTTP', integrationHttpMethod: 'GET', uri: 'http://example.com/pets' }),
    );
    await sdk.send(new apigw.CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables: { color: 'blue' } }));

    const stageArn = `arn:aws:apigateway:eu-west-1::/restapis/${api.id}/stages/dev`;
    const [resources, updated] = await Promise.all([
      aws('get-resources', '--rest-api-id', api.id, '--embed', 'methods'),
      aws('update-stage', '--rest-api-id', api.id, '--stage-name', 'dev', '--patch-operations', 'op=replace,path=/variables/color,value=red', 'op=replace,path=/*/*/throttling/burstLimit,value=20'),
    ]);
    const listed = resources.items.find((r: { id: string }) => r.id === pets.id);
    assert.equal(listed.resourceMethods.GET.methodIntegration.uri, 'http://example.com/pets');
    assert.equal(listed.resourceMethods.GET.methodIntegration.connectionType, 'INTERNET');
    assert.deepEqual(updated.variables, { color: 'red' });
    assert.equal(updated.methodSettings['*/*'].throttlingBurstLimit, 20);

    await sdk.send(new apigw.TagResourceCommand({ resourceArn: stageArn, tags: { env: 'dev' } }));
    assert.deepEqual((await aws('get-tags', '--resource-arn', stageArn)).tags, { env: 'dev' });
  });
});
