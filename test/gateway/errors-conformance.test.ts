/**
 * The `errors/` set recorded against AWS (test/conformance/apigateway/errors/given.json): every
 * case whose call is a REST API control-plane action of this branch's scope is replayed through
 * @aws-sdk/client-api-gateway, after a set-up that builds what the recorded test had built (an API,
 * resources, methods, a deployment and stages …), on a server of its own per store. The error code,
 * HTTP status and message must be AWS's (placeholders the recorder put in, `<name:1>`, match any text;
 * the recorded account 111111111111 reads as ours).
 *
 * Cases of actions other branches own are listed as skipped, naming the owner.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { AwsError } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { pascal, resolve, shortUid, type Vars } from './rest-control-python.js';

interface ErrorCase {
  id: string;
  testNodeId: string;
  recordKey: string;
  call?: string;
  fixture?: string;
  params: Record<string, unknown>;
  error: { Code: string; Message: string };
  httpStatus: number;
}

const cases: ErrorCase[] = JSON.parse(readFileSync(new URL('../../../test/conformance/apigateway/errors/given.json', import.meta.url), 'utf8'));
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

/** Calls of other branches' actions, and of other services. */
const OWNERS: [RegExp, string][] = [
  [/^apigateway\.(create_api_key|update_api_key|get_api_key|delete_api_key|.*usage_plan.*|get_usage)$/, 'gw-usage-auth (API keys, usage plans)'],
  [/^(import_apigw|apigateway\.(put_rest_api|import_rest_api|get_export))$/, 'gw-openapi (ImportRestApi/PutRestApi/GetExport)'],
  [/^apigateway\.test_invoke_method$/, 'gw-rest-data (TestInvokeMethod runs the data plane)'],
  [/^s3\./, 'not API Gateway (S3 is not served)'],
];
const ownerOf = (c: ErrorCase): string | undefined => OWNERS.find(([re]) => re.test(c.call ?? c.fixture ?? ''))?.[1];

let server: TestServer;
let client: apigw.APIGatewayClient;

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
});
after(() => server.stop());

/** Sends `apigateway.<snake_case>` through the SDK command of that name. */
async function call(name: string, params: Record<string, unknown>): Promise<any> {
  const Command = (apigw as unknown as Record<string, new (input: unknown) => unknown>)[`${pascal(name)}Command`];
  assert.ok(Command, `no SDK command for ${name}`);
  return client.send(new Command(params) as never);
}

// ---- set-ups: what each recorded test had built before its failing call -----------------------------

async function newApi(vars: Vars): Promise<void> {
  const api = await call('create_rest_api', { name: `errors-${shortUid()}` });
  Object.assign(vars, { api_id: api.id, rest_api_id: api.id, root_id: api.rootResourceId, root_resource_id: api.rootResourceId, fake_id: 'fake-api-id' });
  vars.partition = 'aws';
  vars.region_name = REGION;
  vars.lambda_arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:errors-fn`;
}

const method = (vars: Vars, httpMethod: string, resourceId = vars.root_id, extra: Record<string, unknown> = {}) =>
  call('put_method', { restApiId: vars.api_id, resourceId, httpMethod, authorizationType: 'NONE', ...extra });
const mockIntegration = (vars: Vars, httpMethod: string, resourceId = vars.root_id) =>
  call('put_integration', { restApiId: vars.api_id, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } });

async function deployable(vars: Vars): Promise<void> {
  await method(vars, 'GET');
  await mockIntegration(vars, 'GET');
}

type SetUp = (vars: Vars, c: ErrorCase) => Promise<void>;

const setUps: Record<string, SetUp> = {
  'TestApiGatewayApiResource::test_update_resource_behaviour': async (vars, c) => {
    const pets = await call('create_resource', { restApiId: vars.api_id, parentId: vars.root_id, pathPart: 'pets' });
    const sub = await call('create_resource', { restApiId: vars.api_id, parentId: pets.id, pathPart: 'subpets' });
    Object.assign(vars, { resource_id: pets.id, subresource_id: sub.id });
    if (c.recordKey === 'existing-future-sibling-path') {
      const child = await call('create_resource', { restApiId: vars.api_id, parentId: sub.id, pathPart: 'pets' });
      Object.assign(vars, { subresource_child_id: child.id, patch_operations: [{ op: 'replace', path: '/parentId', value: vars.root_id }] });
    }
    if (c.recordKey === 'update-parent-id-to-subresource-id') vars.patch_operations = [{ op: 'replace', path: '/parentId', value: sub.id }];
    if (c.recordKey === 'update-path-already-exists')
      await call('update_resource', { restApiId: vars.api_id, resourceId: sub.id, patchOperations: [{ op: 'replace', path: '/parentId', value: vars.root_id }] });
  },
  'TestApiGatewayApiResource::test_update_resource_on_root': async (vars) => {
    const other = await call('create_resource', { restApiId: vars.api_id, parentId: vars.root_id, pathPart: 'other' });
    vars.patch_operations = [{ op: 'replace', path: '/parentId', value: other.id }];
  },
  'TestApiGatewayApiResource::test_delete_resource': async (vars) => {
    const parent = await call('create_resource', { restApiId: vars.api_id, parentId: vars.root_id, pathPart: 'parent' });
    const sub = await call('create_resource', { restApiId: vars.api_id, parentId: parent.id, pathPart: 'sub' });
    await call('delete_resource', { restApiId: vars.api_id, resourceId: parent.id });
    vars.subresource_id = sub.id;
  },
  'TestApiGatewayApiResource::test_create_proxy_resource_validation': async (vars) => {
    vars.base_proxy_id = (await call('create_resource', { restApiId: vars.api_id, parentId: vars.root_id, pathPart: '{proxy+}' })).id;
  },
  'TestApiGatewayApiMethod::test_method_lifecycle': async (vars) => {
    await method(vars, 'ANY');
    await call('delete_method', { restApiId: vars.api_id, resourceId: vars.root_id, httpMethod: 'ANY' });
  },
  'TestApiGatewayApiMethod::test_put_method_model': async (vars, c) => {
    for (const name of ['MySchema', 'MySchemaTwo'])
      await call('create_model', { restApiId: vars.api_id, name, contentType: 'application/json', schema: JSON.stringify({ title: name, type: 'object' }) });
    await method(vars, 'ANY', vars.root_id, { requestModels: { 'application/json': c.recordKey === 'delete-model-used' ? 'MySchema' : 'MySchemaTwo' } });
  },
  'TestApiGatewayApiMethod::test_update_method_validation': async (vars) => void (await method(vars, 'ANY')),
  'TestApiGatewayApiModels::test_model_validation': async (vars) => {
    await call('create_model', { restApiId: vars.api_id, name: 'MySchema', contentType: 'application/json', schema: '{"title": "MySchema", "type": "object"}' });
  },
  'TestApiGatewayApiModels::test_update_model': async (vars) => {
    await call('create_model', { restApiId: vars.api_id, name: 'MySchema', contentType: 'application/json', schema: '{"title": "MySchema", "type": "object"}' });
  },
  'TestApiGatewayApiRequestValidator::test_request_validator_lifecycle': async (vars) => {
    vars.validator_id = (await call('create_request_validator', { restApiId: vars.api_id, name: 'v' })).id;
    await call('delete_request_validator', { restApiId: vars.api_id, requestValidatorId: vars.validator_id });
  },
  'TestApiGatewayApiDocumentationPart::test_invalid_update_documentation_part': async (vars) => {
    vars.documentation_part_id = (await call('create_documentation_part', { restApiId: vars.api_id, location: { type: 'API' }, properties: '{"description": "x"}' })).id;
  },
  'TestApiGatewayApiDocumentationPart::test_invalid_delete_documentation_part': async (vars, c) => {
    vars.documentation_part_id = (await call('create_documentation_part', { restApiId: vars.api_id, location: { type: 'API' }, properties: '{"description": "x"}' })).id;
    if (c.recordKey === 'delete_already_deleted_documentation_part')
      await call('delete_documentation_part', { restApiId: vars.api_id, documentationPartId: vars.documentation_part_id });
  },
  'TestApigatewayIntegration::test_put_integration_request_parameter_bool_type': async (vars) => void (await method(vars, 'GET')),
  'TestApigatewayIntegrationResponse::test_integration_response_wrong_method': async (vars) => deployable(vars),
  'TestApigatewayIntegrationResponse::test_integration_response_invalid_statuscode': async (vars) => deployable(vars),
  'TestApigatewayIntegrationResponse::test_integration_response_invalid_responsetemplates': async (vars) => deployable(vars),
  'TestApigatewayIntegrationResponse::test_integration_response_invalid_integration': async (vars) => void (await method(vars, 'GET')),
  'TestApigatewayIntegrationResponse::test_delete_integration_response_errors': async (vars) => {
    await deployable(vars);
    await call('put_integration_response', { restApiId: vars.api_id, resourceId: vars.root_id, httpMethod: 'GET', statusCode: '200' });
  },
  'TestApigatewayIntegration::test_get_integration_non_existent': async (vars, c) => {
    if (c.recordKey === 'get-integration-no-integration') await method(vars, 'GET');
  },
  'TestApiGatewayStage::test_stage_access_log_settings_validation': async (vars) => {
    await deployable(vars);
    const d = await call('create_deployment', { restApiId: vars.api_id });
    await call('create_stage', { restApiId: vars.api_id, stageName: 'dev', deploymentId: d.id, description: 'dev stage' });
  },
  'TestStageCrudCanary::test_create_canary_deployment': async (vars) => {
    await deployable(vars);
    vars.deployment_id = (await call('create_deployment', { restApiId: vars.api_id })).id;
  },
  'TestStageCrudCanary::test_create_canary_deployment_validation': async (vars) => deployable(vars),
  'TestStageCrudCanary::test_update_stage_canary_deployment_validation': async (vars) => {
    await deployable(vars);
    await call('create_deployment', { restApiId: vars.api_id, stageName: 'dev' });
    await call('create_deployment', { restApiId: vars.api_id, stageName: 'dev', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } } });
    const d2 = await call('create_deployment', { restApiId: vars.api_id, stageName: 'dev2' });
    vars["[{'op': 'add', 'path': '/canarySettings/deploymentId', 'value': deployment_2_id}]"] = [{ op: 'add', path: '/canarySettings/deploymentId', value: d2.id }];
  },
  'TestStageCrudCanary::test_update_stage_with_copy_ops': async (vars) => {
    await deployable(vars);
    await call('create_deployment', { restApiId: vars.api_id, stageName: 'dev', variables: { testVar: 'test' } });
    await call('create_deployment', { restApiId: vars.api_id, stageName: 'dev', canarySettings: { stageVariableOverrides: { testVar2: 'test2' } } });
  },
  'TestStages::test_create_update_stages': async (vars) => {
    await deployable(vars);
    const d = await call('create_deployment', { restApiId: vars.api_id });
    await call('create_stage', { restApiId: vars.api_id, stageName: 's1', deploymentId: d.id });
  },
  'TestDeployments::test_create_delete_deployments[True]': async (vars) => {
    await deployable(vars);
    vars.deployment_id = (await call('create_deployment', { restApiId: vars.api_id })).id;
    await call('create_stage', { restApiId: vars.api_id, stageName: 's1', deploymentId: vars.deployment_id });
  },
  'TestDeployments::test_create_delete_deployments[False]': async (vars) => {
    await deployable(vars);
    vars.deployment_id = (await call('create_deployment', { restApiId: vars.api_id, stageName: 's1' })).id;
  },
  'TestDeployments::test_create_update_deployments': async (vars) => {
    await deployable(vars);
    const d1 = await call('create_deployment', { restApiId: vars.api_id });
    await call('create_stage', { restApiId: vars.api_id, stageName: 's1', deploymentId: d1.id });
    vars.deployment_id_2 = (await call('create_deployment', { restApiId: vars.api_id })).id;
    await call('update_stage', { restApiId: vars.api_id, stageName: 's1', patchOperations: [{ op: 'replace', path: '/deploymentId', value: vars.deployment_id_2 }] });
  },
  test_error_aws_proxy_not_supported: async (vars) => {
    const child = await call('create_resource', { restApiId: vars.api_id, parentId: vars.root_id, pathPart: 'test' });
    vars.child_resource = child;
    await method(vars, 'POST', child.id);
  },
  test_put_integration_validation: async (vars) => void (await method(vars, 'GET')),
  test_put_integration_aws_proxy_uri: async (vars) => {
    await method(vars, 'POST');
    vars.default_params = { restApiId: vars.api_id, resourceId: vars.root_id, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST' };
  },
};
// Tests whose set-up is a request validator that exists.
for (const name of ['test_invalid_get_request_validator', 'test_invalid_delete_request_validator', 'test_invalid_update_request_validator_operations'])
  setUps[`TestApiGatewayApiRequestValidator::${name}`] = async (vars) => {
    vars.validator_id = (await call('create_request_validator', { restApiId: vars.api_id, name: 'v' })).id;
  };
// Tests whose set-up is GET on the root with a 200 method response.
for (const name of ['test_update_method_response_wrong_operations', 'test_update_method_response_negative_tests', 'test_update_method_lack_response_parameters_and_models', 'test_update_method_wrong_param_names'])
  setUps[`TestApigatewayMethodResponse::${name}`] = async (vars) => {
    await method(vars, 'GET');
    await call('put_method_response', { restApiId: vars.api_id, resourceId: vars.root_id, httpMethod: 'GET', statusCode: '200' });
  };

/** The recorded message as a pattern: placeholders match any text, the recorded account is ours. */
function messagePattern(message: string): RegExp {
  const parts = message.replace(/111111111111/g, ACCOUNT).split(/<[^>]+>/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+?')}$`, 's');
}

describe('errors recorded against AWS (test/conformance/apigateway/errors)', () => {
  for (const c of cases) {
    const owner = ownerOf(c);
    const title = `${c.testNodeId.split('::').slice(1).join('::')} #${c.recordKey}`;
    if (owner) {
      test(title, { skip: `outside this branch: ${owner}` }, () => undefined);
      continue;
    }
    test(title, async () => {
      const vars: Vars = {};
      await newApi(vars);
      const testName = c.testNodeId.split('::').slice(1).join('::');
      await setUps[testName]?.(vars, c);
      const params = resolve(c.params, vars) as Record<string, unknown>;
      const name = c.call ? c.call.replace(/^apigateway\./, '') : c.fixture === 'apigw_create_rest_api' ? 'create_rest_api' : c.fixture === 'create_rest_api_integration' ? 'put_integration' : c.fixture!;
      const error = (await call(name, params).then(
        (out) => assert.fail(`expected ${c.error.Code}, got ${JSON.stringify(out)}`),
        (e: unknown) => e,
      )) as AwsError;
      assert.equal(error.name, c.error.Code, error.message);
      assert.match(error.message, messagePattern(c.error.Message));
      assert.equal(error.$metadata.httpStatusCode, c.httpStatus);
    });
  }
});
