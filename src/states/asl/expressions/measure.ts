/**
 * Micro measurement (not a test): how long one evaluation of a cached JSONata expression and of a
 * compiled payload template takes. Run: `npx tsc -p tsconfig.json && node dist/src/states/asl/expressions/measure.js`.
 */
import jsonata from 'jsonata';
import type { Json } from '../json.js';
import { evaluateJsonataValue } from './jsonata.js';
import { evaluatePayloadTemplate } from './payload-template.js';
import { resolveReference } from './paths.js';

const input: Json = { order: { id: 'o-1', items: [{ sku: 'a', qty: 2, price: 3.5 }, { sku: 'b', qty: 1, price: 10 }], customer: { name: 'María', tier: 'gold' } } };
const context: Json = { Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:sm:e', Input: input, Name: 'e' }, State: { Name: 'S', EnteredTime: '2026-01-01T00:00:00Z' } };
const variables = { threshold: 5 };

async function timeAsync(label: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(2000, n); i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  const us = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${label}: ${us.toFixed(2)} µs`);
}
function timeSync(label: string, n: number, fn: () => unknown): void {
  for (let i = 0; i < Math.min(2000, n); i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const us = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${label}: ${us.toFixed(2)} µs`);
}

const states = { input, context };
const single = '{% $states.input.order.customer.name %}';
const arithmetic = '{% $sum($states.input.order.items.(qty * price)) > $threshold %}';
const output: Json = {
  id: '{% $states.input.order.id %}',
  total: '{% $sum($states.input.order.items.(qty * price)) %}',
  big: arithmetic,
  literal: { kept: [1, 2, 3] },
};
const template: Json = {
  'id.$': '$.order.id',
  'customer.$': '$.order.customer',
  'exec.$': '$$.Execution.Id',
  'limit.$': '$threshold',
  'label.$': "States.Format('{} ({})', $.order.customer.name, $.order.customer.tier)",
  literal: { kept: [1, 2, 3] },
};

const N = 50_000;
await timeAsync('JSONata, cached, one path expression', N, () => evaluateJsonataValue(single, states, variables, 'Output'));
await timeAsync('JSONata, cached, $sum over a mapped path + comparison', N, () => evaluateJsonataValue(arithmetic, states, variables, 'Output'));
await timeAsync('JSONata, cached, Output object with 3 expressions', N, () => evaluateJsonataValue(output, states, variables, 'Output'));
await timeAsync('JSONata, compiled on every call (what the cache avoids)', 5000, () => jsonata(arithmetic.slice(2, -2)).evaluate(undefined, { ...variables, states }));
timeSync('Payload template, 5 .$ keys (paths, $$, variable, States.Format)', N * 4, () => evaluatePayloadTemplate(template, { input, context, variables }, 'Parameters'));
timeSync('Reference path $.order.customer.name', N * 4, () => resolveReference('$.order.customer.name', { input, context, variables }));
