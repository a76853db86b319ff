import { parseJsonObject } from '../../core/json-object.js';
import type { SerialByKey } from '../../core/serial-by-key.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import type { Catalogue } from '../engine/catalogue.js';
import { snsErrors } from '../model/errors.js';
import { addPermission, removePermission } from '../model/topic-policy.js';
import { topicFor } from './access.js';
import { action, SNS_ACTIONS } from './action.js';

/** AddPermission and RemovePermission edit the topic's Policy; data protection policies are stored as given. */
export function permissionActions(runtime: Runtime, catalogue: Catalogue, serial: SerialByKey): ActionDefinition[] {
  return [
    action('AddPermission', (input: { TopicArn: string; Label: string; AWSAccountId: string[]; ActionName: string[] }, ctx) => {
      topicFor(runtime, catalogue, ctx, input.TopicArn);
      return serial.run(input.TopicArn, async () => {
        const topic = topicFor(runtime, catalogue, ctx, input.TopicArn);
        const policy = addPermission(topic.attributes.Policy, topic, input.Label, input.AWSAccountId, input.ActionName, SNS_ACTIONS);
        await catalogue.setTopicAttributes(topic, { ...topic.attributes, Policy: policy });
        return {};
      });
    }),

    action('RemovePermission', (input: { TopicArn: string; Label: string }, ctx) => {
      topicFor(runtime, catalogue, ctx, input.TopicArn);
      return serial.run(input.TopicArn, async () => {
        const topic = topicFor(runtime, catalogue, ctx, input.TopicArn);
        const policy = removePermission(topic.attributes.Policy, topic, input.Label);
        await catalogue.setTopicAttributes(topic, { ...topic.attributes, Policy: policy });
        return {};
      });
    }),

    action('PutDataProtectionPolicy', (input: { ResourceArn: string; DataProtectionPolicy: string }, ctx) => {
      topicFor(runtime, catalogue, ctx, input.ResourceArn, 'ResourceArn');
      // A policy document is a JSON object (Developer Guide, "Data protection policies"); Stratus stores it and enforces nothing.
      if (!parseJsonObject(input.DataProtectionPolicy)) throw snsErrors.invalidReason('DataProtectionPolicy', 'failed to parse JSON.');
      return serial.run(input.ResourceArn, async () => {
        const topic = topicFor(runtime, catalogue, ctx, input.ResourceArn, 'ResourceArn');
        await catalogue.setDataProtectionPolicy(topic, input.DataProtectionPolicy);
        return {};
      });
    }),

    action('GetDataProtectionPolicy', (input: { ResourceArn: string }, ctx) => {
      const topic = topicFor(runtime, catalogue, ctx, input.ResourceArn, 'ResourceArn');
      return { DataProtectionPolicy: topic.dataProtectionPolicy ?? '' };
    }),
  ];
}
