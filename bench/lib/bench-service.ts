/**
 * The service the request-overhead benchmark calls: one AWS JSON 1.0 action shaped like SQS's
 * GetQueueUrl (same target prefix, signing name and input constraints), whose handler does no I/O.
 * Whatever the server spends on a call to it is routing, parsing, validation, rendering and HTTP.
 */
import type { ServiceDefinition } from '../../src/protocol/service.js';
import { required, t } from '../../src/protocol/shapes.js';
import type { ServiceModule } from '../../src/server/runtime.js';

export const BENCH_TARGET = 'AmazonSQS.GetQueueUrl';

export const benchService: ServiceDefinition = {
  signingName: 'sqs',
  json: { version: '1.0', targetPrefix: 'AmazonSQS', errorNamespace: 'com.amazonaws.sqs', queryCompatible: true },
  actions: [
    {
      name: 'GetQueueUrl',
      input: t.struct({
        QueueName: required(t.string({ min: 1, max: 80, pattern: '[A-Za-z0-9_-]+(\\.fifo)?' })),
        QueueOwnerAWSAccountId: t.string(),
      }),
      output: t.struct({ QueueUrl: t.string() }),
      handler: (input: { QueueName: string }, ctx) => ({ QueueUrl: `${ctx.endpoint}/${ctx.accountId}/${input.QueueName}` }),
    },
  ],
};

export const benchModule: ServiceModule = { name: 'bench-sqs', create: () => ({ definition: benchService }) };
