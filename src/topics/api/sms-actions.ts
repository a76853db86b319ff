import { randomInt } from 'node:crypto';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import type { Catalogue } from '../engine/catalogue.js';
import { isE164 } from '../model/endpoints.js';
import { snsErrors } from '../model/errors.js';
import { action, PAGE_SIZE, pageByPosition } from './action.js';

/**
 * The SMS actions, answered as AWS answers an account that has set nothing up: the account is in
 * the SMS sandbox (GetSMSSandboxAccountStatus), its monthly spend limit is the default US$1
 * (recorded: GetSMSAttributes of an unmodified Region answers only MonthlySpendLimit "1"), no
 * number has opted out (Stratus sends no text message, so none can reply STOP), and it owns no
 * origination numbers. Sandbox destination numbers are kept: CreateSMSSandboxPhoneNumber stores
 * one as Pending with a one-time password (written to the log, as no text message goes out) that
 * VerifySMSSandboxPhoneNumber checks.
 */

/** SetSMSAttributes' names (API Reference, SetSMSAttributes). */
const SMS_ATTRIBUTES = new Set([
  'MonthlySpendLimit',
  'DeliveryStatusIAMRole',
  'DeliveryStatusSuccessSamplingRate',
  'DefaultSenderID',
  'DefaultSMSType',
  'UsageReportS3Bucket',
]);

/** An account's default monthly SMS spend limit, in US dollars (recorded: "MonthlySpendLimit": "1"). */
const DEFAULT_SMS_ATTRIBUTES = { MonthlySpendLimit: '1' };

/** "Invalid parameter: PhoneNumber Reason: input incorrectly formatted" (recorded: OptInPhoneNumber "invalid"). */
function checkPhoneNumber(phoneNumber: string): void {
  if (!isE164(phoneNumber)) throw snsErrors.invalidReason('PhoneNumber', 'input incorrectly formatted');
}

export function smsActions(runtime: Runtime, catalogue: Catalogue): ActionDefinition[] {
  return [
    action('CheckIfPhoneNumberIsOptedOut', (input: { phoneNumber: string }) => {
      checkPhoneNumber(input.phoneNumber);
      return { isOptedOut: false };
    }),

    action('ListPhoneNumbersOptedOut', () => ({ phoneNumbers: [] })),

    action('OptInPhoneNumber', (input: { phoneNumber: string }) => {
      // Opting in a number that never opted out succeeds (recorded: test_opt_in_non_existing_phone_number).
      checkPhoneNumber(input.phoneNumber);
      return {};
    }),

    action('GetSMSAttributes', (input: { attributes?: string[] }, ctx) => {
      const all: Record<string, string> = { ...DEFAULT_SMS_ATTRIBUTES, ...catalogue.smsAttributesOf(ctx.accountId, ctx.region) };
      if (input.attributes === undefined || input.attributes.length === 0) return { attributes: all };
      return { attributes: Object.fromEntries(input.attributes.filter((name) => all[name] !== undefined).map((name) => [name, all[name]])) };
    }),

    action('SetSMSAttributes', async (input: { attributes: Record<string, string> }, ctx) => {
      for (const [name, value] of Object.entries(input.attributes)) {
        // Recorded: "InvalidAttribute is not a valid attribute", "DefaultSMSType is invalid" (no "Invalid parameter:" prefix).
        if (!SMS_ATTRIBUTES.has(name)) throw snsErrors.invalidParameter(`${name} is not a valid attribute`);
        if (name === 'DefaultSMSType' && value !== 'Promotional' && value !== 'Transactional') throw snsErrors.invalidParameter('DefaultSMSType is invalid');
        // DefaultSenderID: up to 11 letters and digits, at least one letter (API Reference, SetSMSAttributes).
        if (name === 'DefaultSenderID' && !/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(value)) throw snsErrors.invalidParameter('DefaultSenderID is invalid');
        if ((name === 'MonthlySpendLimit' || name === 'DeliveryStatusSuccessSamplingRate') && !/^\d+$/.test(value)) throw snsErrors.invalidParameter(`${name} is invalid`);
      }
      await catalogue.setSmsAttributes(ctx.accountId, ctx.region, { ...catalogue.smsAttributesOf(ctx.accountId, ctx.region), ...input.attributes });
      return {};
    }),

    action('GetSMSSandboxAccountStatus', () => ({ IsInSandbox: true })),

    action('ListOriginationNumbers', () => ({ PhoneNumbers: [] })),

    action('CreateSMSSandboxPhoneNumber', async (input: { PhoneNumber: string; LanguageCode?: string }, ctx) => {
      const oneTimePassword = String(randomInt(100_000, 1_000_000));
      const existing = catalogue.sandboxNumber(ctx.accountId, ctx.region, input.PhoneNumber);
      await catalogue.putSandboxNumber({
        accountId: ctx.accountId,
        region: ctx.region,
        phoneNumber: input.PhoneNumber,
        status: existing?.status ?? 'Pending',
        oneTimePassword,
        createdAt: existing?.createdAt ?? runtime.clock.now(),
      });
      runtime.log.info('sns: SMS sandbox one-time password (no text message is sent)', { phoneNumber: input.PhoneNumber, oneTimePassword });
      return {};
    }),

    action('VerifySMSSandboxPhoneNumber', async (input: { PhoneNumber: string; OneTimePassword: string }, ctx) => {
      const number = catalogue.sandboxNumber(ctx.accountId, ctx.region, input.PhoneNumber);
      if (!number) throw snsErrors.resourceNotFound();
      if (number.status !== 'Verified') {
        if (number.oneTimePassword !== input.OneTimePassword) throw snsErrors.verification('Invalid one-time password.');
        await catalogue.putSandboxNumber({ ...number, status: 'Verified' });
      }
      return {};
    }),

    action('DeleteSMSSandboxPhoneNumber', async (input: { PhoneNumber: string }, ctx) => {
      const number = catalogue.sandboxNumber(ctx.accountId, ctx.region, input.PhoneNumber);
      if (!number) throw snsErrors.resourceNotFound();
      await catalogue.deleteSandboxNumber(number);
      return {};
    }),

    action('ListSMSSandboxPhoneNumbers', (input: { NextToken?: string; MaxResults?: number }, ctx) => {
      const numbers = catalogue.sandboxNumbersOf(ctx.accountId, ctx.region).map((n, i) => ({ ...n, position: i }));
      const listed = pageByPosition(numbers, input.NextToken, input.MaxResults ?? PAGE_SIZE);
      return { PhoneNumbers: listed.items.map((n) => ({ PhoneNumber: n.phoneNumber, Status: n.status })), NextToken: listed.nextToken };
    }),
  ];
}
