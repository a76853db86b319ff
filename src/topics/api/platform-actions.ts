import { randomUUID } from 'node:crypto';
import type { SerialByKey } from '../../core/serial-by-key.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import type { Catalogue, PlatformApplication, PlatformEndpoint } from '../engine/catalogue.js';
import { applicationArn, readArn } from '../model/arns.js';
import { snsErrors } from '../model/errors.js';
import { action, page, pageByPosition } from './action.js';

/**
 * Mobile push: platform applications and their endpoints, kept as AWS keeps them (API Reference,
 * CreatePlatformApplication … ListEndpointsByPlatformApplication; the answers recorded in
 * test/conformance/sns/recorded). Stratus talks to no push service: credentials are stored,
 * not checked with the platform, and what would be pushed is never sent.
 */

/** Platforms SNS supports (API Reference, CreatePlatformApplication; "Mobile push notifications"). */
const PLATFORMS = new Set(['ADM', 'APNS', 'APNS_SANDBOX', 'APNS_VOIP', 'APNS_VOIP_SANDBOX', 'MACOS', 'MACOS_SANDBOX', 'BAIDU', 'GCM', 'MPNS', 'WNS']);

/** Attributes an endpoint takes (recorded: any other name is "Invalid attribute name: <name>"). */
const ENDPOINT_ATTRIBUTES = new Set(['CustomUserData', 'Enabled', 'Token']);

/** An application's credentials are never shown back (recorded: GetPlatformApplicationAttributes answers {"Enabled": "true"}). */
const SECRET_APPLICATION_ATTRIBUTES = new Set(['PlatformCredential', 'PlatformPrincipal']);

/** "1 validation error detected: Value null at 'attributes' …" — an Attributes map left out or empty (recorded). */
function attributesRequired(attributes: Record<string, string> | undefined): asserts attributes is Record<string, string> {
  if (attributes === undefined || Object.keys(attributes).length === 0) {
    throw snsErrors.validation("1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null");
  }
}

/** Application names: 1–256 of letters, digits, `_`, `-`, `.` (recorded wordings for each refusal). */
function checkApplicationName(name: string): void {
  if (name === '') throw snsErrors.invalidParameter('Invalid parameter:  Reason: cannot be empty');
  if (name.length > 256) throw snsErrors.invalidReason(name, 'must be at most 256 characters long');
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw snsErrors.invalidReason(name, "must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'");
}

/**
 * Credentials come in pairs where the platform has both parts (recorded for ADM:
 * "PlatformCredential attribute provided without PlatformPrincipal" and the reverse); FCM (GCM)
 * needs only the credential (API Reference, CreatePlatformApplication: "For GCM ... PlatformCredential is API key").
 */
function checkCredentials(platform: string, attributes: Record<string, string>): void {
  const principal = attributes.PlatformPrincipal !== undefined;
  const credential = attributes.PlatformCredential !== undefined;
  if (principal && !credential) throw snsErrors.invalidReason('Attributes', 'PlatformPrincipal attribute provided without PlatformCredential');
  if (platform === 'GCM') {
    if (!credential) throw snsErrors.invalidReason('Attributes', 'PlatformCredential attribute required');
    return;
  }
  if (credential && !principal) throw snsErrors.invalidReason('Attributes', 'PlatformCredential attribute provided without PlatformPrincipal');
}

/** Endpoint attributes: the names allowed, CustomUserData at most 2 KiB of UTF-8, Enabled a boolean (recorded wordings). */
function checkEndpointAttributes(attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!ENDPOINT_ATTRIBUTES.has(name)) throw snsErrors.invalidReason('Attributes', `Invalid attribute name: ${name}`);
    if (name === 'CustomUserData' && Buffer.byteLength(value, 'utf8') > 2048) {
      throw snsErrors.invalidReason('Attributes', 'Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding');
    }
    if (name === 'Enabled' && value !== 'true' && value !== 'false') throw snsErrors.invalidReason('Attributes', 'Invalid value for attribute: Enabled: must be true or false');
  }
}

/** Endpoint ARNs are `endpoint/PLATFORM/APP/ID` (recorded: "Wrong number of slashes in relative portion of the ARN."). */
function readEndpointArn(arn: string): void {
  const parsed = readArn('EndpointArn', arn);
  if ((parsed.resource.match(/\//g) ?? []).length !== 3) throw snsErrors.invalidReason('EndpointArn', 'Wrong number of slashes in relative portion of the ARN.');
}

function visibleApplicationAttributes(app: PlatformApplication): Record<string, string> {
  return Object.fromEntries(Object.entries(app.attributes).filter(([name]) => !SECRET_APPLICATION_ATTRIBUTES.has(name)));
}

export function platformActions(runtime: Runtime, catalogue: Catalogue, serial: SerialByKey): ActionDefinition[] {
  const applicationFor = (arn: string): PlatformApplication => {
    readArn('PlatformApplicationArn', arn);
    const app = catalogue.application(arn);
    if (!app) throw snsErrors.notFound('PlatformApplication does not exist');
    return app;
  };
  const endpointFor = (arn: string): PlatformEndpoint => {
    readEndpointArn(arn);
    const endpoint = catalogue.endpoint(arn);
    if (!endpoint) throw snsErrors.notFound('Endpoint does not exist');
    return endpoint;
  };

  return [
    action('CreatePlatformApplication', (input: { Name: string; Platform: string; Attributes?: Record<string, string> }, ctx) => {
      checkApplicationName(input.Name);
      if (!PLATFORMS.has(input.Platform)) throw snsErrors.invalidReason('Platform', `${input.Platform} is not supported`);
      attributesRequired(input.Attributes);
      const given = input.Attributes;
      checkCredentials(input.Platform, given);
      const arn = applicationArn(ctx.region, ctx.accountId, input.Platform, input.Name);
      return serial.run(arn, async () => {
        const existing = catalogue.application(arn);
        await catalogue.putApplication({
          arn,
          accountId: ctx.accountId,
          region: ctx.region,
          name: input.Name,
          platform: input.Platform,
          attributes: { Enabled: 'true', ...existing?.attributes, ...given },
          createdAt: existing?.createdAt ?? runtime.clock.now(),
        });
        return { PlatformApplicationArn: arn };
      });
    }),

    action('GetPlatformApplicationAttributes', (input: { PlatformApplicationArn: string }) => ({
      Attributes: visibleApplicationAttributes(applicationFor(input.PlatformApplicationArn)),
    })),

    action('SetPlatformApplicationAttributes', (input: { PlatformApplicationArn: string; Attributes?: Record<string, string> }) => {
      readArn('PlatformApplicationArn', input.PlatformApplicationArn);
      attributesRequired(input.Attributes);
      const given = input.Attributes;
      const app = applicationFor(input.PlatformApplicationArn);
      return serial.run(app.arn, async () => {
        const attributes = { ...app.attributes, ...given };
        checkCredentials(app.platform, attributes);
        await catalogue.putApplication({ ...app, attributes });
        return {};
      });
    }),

    action('DeletePlatformApplication', (input: { PlatformApplicationArn: string }) => {
      readArn('PlatformApplicationArn', input.PlatformApplicationArn);
      const app = catalogue.application(input.PlatformApplicationArn);
      if (!app) return {};
      return serial.run(app.arn, async () => {
        if (catalogue.application(app.arn) === app) await catalogue.deleteApplication(app);
        return {};
      });
    }),

    action('ListPlatformApplications', (input: { NextToken?: string }, ctx) => {
      const listed = page(catalogue.applicationsOf(ctx.accountId, ctx.region).sort((a, b) => (a.arn < b.arn ? -1 : 1)), (a) => a.arn, input.NextToken);
      return {
        PlatformApplications: listed.items.map((app) => ({ PlatformApplicationArn: app.arn, Attributes: visibleApplicationAttributes(app) })),
        NextToken: listed.nextToken,
      };
    }),

    action('CreatePlatformEndpoint', (input: { PlatformApplicationArn: string; Token: string; CustomUserData?: string; Attributes?: Record<string, string> }) => {
      const app = applicationFor(input.PlatformApplicationArn);
      const given = input.Attributes ?? {};
      checkEndpointAttributes(given);
      // CustomUserData in Attributes wins over the parameter (recorded: test_create_platform_endpoint_double_custom_data).
      const attributes: Record<string, string> = { Enabled: 'true', Token: input.Token, ...given };
      if (input.CustomUserData !== undefined && given.CustomUserData === undefined) attributes.CustomUserData = input.CustomUserData;
      if (Buffer.byteLength(attributes.CustomUserData ?? '', 'utf8') > 2048) checkEndpointAttributes({ CustomUserData: attributes.CustomUserData });
      return serial.run(app.arn, async () => {
        // The same token again answers the same endpoint, unless its attributes differ (recorded: test_create_platform_endpoint_idempotency).
        const existing = [...app.endpoints.values()].find((e) => e.token === input.Token);
        if (existing) {
          if (!sameEntries(existing.attributes, attributes)) {
            throw snsErrors.invalidReason('Token', `Endpoint ${existing.arn} already exists with the same Token, but different attributes.`);
          }
          return { EndpointArn: existing.arn };
        }
        const arn = `arn:aws:sns:${app.region}:${app.accountId}:endpoint/${app.platform}/${app.name}/${randomUUID()}`;
        await catalogue.putEndpoint(app, arn, input.Token, attributes);
        return { EndpointArn: arn };
      });
    }),

    action('GetEndpointAttributes', (input: { EndpointArn: string }) => ({ Attributes: endpointFor(input.EndpointArn).attributes })),

    action('SetEndpointAttributes', (input: { EndpointArn: string; Attributes?: Record<string, string> }) => {
      readEndpointArn(input.EndpointArn);
      attributesRequired(input.Attributes);
      const given = input.Attributes;
      checkEndpointAttributes(given);
      const endpoint = endpointFor(input.EndpointArn);
      return serial.run(endpoint.application.arn, async () => {
        const attributes = { ...endpoint.attributes, ...given };
        await catalogue.putEndpoint(endpoint.application, endpoint.arn, attributes.Token ?? endpoint.token, attributes);
        return {};
      });
    }),

    action('DeleteEndpoint', (input: { EndpointArn: string }) => {
      readEndpointArn(input.EndpointArn);
      const endpoint = catalogue.endpoint(input.EndpointArn);
      // Deleting an endpoint that is gone succeeds (API Reference, DeleteEndpoint: "idempotent").
      if (!endpoint) return {};
      return serial.run(endpoint.application.arn, async () => {
        if (catalogue.endpoint(endpoint.arn) === endpoint) await catalogue.deleteEndpoint(endpoint);
        return {};
      });
    }),

    action('ListEndpointsByPlatformApplication', (input: { PlatformApplicationArn: string; NextToken?: string }) => {
      const app = applicationFor(input.PlatformApplicationArn);
      const listed = pageByPosition([...app.endpoints.values()].sort((a, b) => a.position - b.position), input.NextToken);
      return { Endpoints: listed.items.map((e) => ({ EndpointArn: e.arn, Attributes: e.attributes })), NextToken: listed.nextToken };
    }),
  ];
}

function sameEntries(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
