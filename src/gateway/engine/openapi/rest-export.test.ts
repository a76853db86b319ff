/**
 * GetExport's documents against AWS's (test/conformance/apigateway/recorded,
 * test_apigateway_extended.py::test_export_*): the document AWS exported with its extensions is
 * imported, exported again with and without extensions, and compared with what AWS answered.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { RestApiDocument, RestApiSnapshot } from '../../model/rest-api.js';
import { exportRestApi, type ExportExtension, type ExportType } from './rest-export.js';
import { importRestApi } from './rest-import.js';

interface RecordedCase {
  id: string;
  recorded: Record<string, { body?: Record<string, unknown>; contentType?: string; contentDisposition?: string }>;
  steps: Array<{ call?: string; params?: Record<string, unknown> }>;
}

const recorded = (JSON.parse(readFileSync(new URL('../../../../../test/conformance/apigateway/recorded/given.json', import.meta.url), 'utf8')) as RecordedCase[]).filter((c) =>
  c.id.includes('test_apigateway_extended.py::test_export_'),
);

function emptyApi(): RestApiDocument {
  return {
    api: { id: 'api0000001', name: 'x', rootResourceId: 'root000001', createdDate: 1, apiKeySource: 'HEADER' },
    resources: { root000001: { id: 'root000001', path: '/' } },
    models: {},
    requestValidators: {},
    authorizers: {},
    gatewayResponses: {},
    stages: {},
    documentationParts: {},
    documentationVersions: {},
  };
}

let n = 0;
const newId = () => `id${++n}`;

const snapshotOf = (doc: RestApiDocument): RestApiSnapshot => ({
  api: doc.api,
  resources: doc.resources,
  models: doc.models,
  requestValidators: doc.requestValidators,
  authorizers: doc.authorizers,
  gatewayResponses: doc.gatewayResponses,
});

describe('GetExport documents as AWS writes them', () => {
  test('the recorded export cases are here', () => {
    assert.ok(recorded.length >= 2, `${recorded.length} cases`);
  });

  for (const c of recorded) {
    test(c.id.split('::')[1], () => {
      const exportCall = c.steps.find((s) => s.call === 'apigateway.get_export')!;
      const type = exportCall.params!.exportType as ExportType;
      const stageName = exportCall.params!.stageName as string;
      const withExtensions = c.recorded['get-export-with-extensions'].body!;
      const { document } = importRestApi(emptyApi(), withExtensions, { mode: 'overwrite', basepath: 'ignore', newId });
      // The recorder replaced the API id and region in the host; the exporter is given the same.
      const host = '<api-id:1>.execute-api.<region>.amazonaws.com';
      const exportWith = (extensions: ExportExtension[]) =>
        exportRestApi({ snapshot: snapshotOf(document), stageName, host, deployedAt: 'date', type, extensions: new Set(extensions) });
      assert.deepEqual(exportWith(['apigateway']), withExtensions);
      assert.deepEqual(exportWith([]), c.recorded['get-export'].body);
    });
  }
});
