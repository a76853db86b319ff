import { member, required, t, type StructureShape } from '../../protocol/shapes.js';
import { LAYER_NAME_PATTERN, LAYER_VERSION_ARN_PATTERN } from '../model/layers.js';
import { ALIAS_MATCH_PATTERN, ALIAS_PATTERN, FUNCTION_NAME_PATTERN, NAMESPACED_FUNCTION_NAME_PATTERN, QUALIFIER_PATTERN, VERSION_PATTERN } from '../model/names.js';
import { RUNTIME_IDENTIFIERS } from '../model/runtimes.js';

/**
 * Input shapes of the Lambda actions with their REST bindings and the constraints of AWS's model
 * (lambda 2015-03-31: lengths, patterns, enums, ranges), so malformed input gets AWS's
 * "N validation errors detected" ValidationException before a handler runs. Members Stratus does
 * not act on (VpcConfig, FileSystemConfigs, ImageConfig, SnapStart, CodeSigningConfigArn …) are
 * left out: the JSON decoder ignores them, as a service that does not use them would.
 * Outputs are written as the handlers return them (wire JSON), except Invoke's, whose members
 * travel in the status line and headers.
 */
const uri = (shape: Parameters<typeof required>[0]) => required(shape, { location: 'uri' });
const query = (shape: Parameters<typeof member>[0], wireName?: string) => member(shape, { location: 'querystring', wireName });

/** FunctionName of most actions (model `FunctionName`, max 140). */
export const functionName = () => t.string({ min: 1, max: 140, pattern: FUNCTION_NAME_PATTERN });
/** NamespacedFunctionName (GetFunction, GetFunctionConfiguration, GetPolicy, ListVersionsByFunction, Invoke: max 170, dots allowed). */
export const namespacedFunctionName = () => t.string({ min: 1, max: 170, pattern: NAMESPACED_FUNCTION_NAME_PATTERN });
const qualifier = () => t.string({ min: 1, max: 128, pattern: QUALIFIER_PATTERN });
const marker = () => t.string();
const maxItems = () => t.integer({ min: 1, max: 10000 });
const description = () => t.string({ min: 0, max: 256 });
const roleArn = () => t.string({ pattern: 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+' });
const handler = () => t.string({ max: 128, pattern: '[^\\s]+' });
const runtime = () => t.string();
const timeout = () => t.integer({ min: 1, max: 900 });
const memorySize = () => t.integer({ min: 128, max: 10240 });
const environment = () =>
  t.struct({ Variables: t.map(t.string({ pattern: '[a-zA-Z]([a-zA-Z0-9_])+' }), t.string()) });
const tracing = () => t.struct({ Mode: t.string({ enum: ['Active', 'PassThrough'] }) });
const layers = () =>
  t.list(
    t.string({
      min: 1,
      max: 140,
      pattern: '(arn:[a-zA-Z0-9-]+:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)',
    }),
  );
const architectures = () => t.list(t.string({ enum: ['x86_64', 'arm64'] }), { min: 1, max: 1 });
const ephemeralStorage = () => t.struct({ Size: required(t.integer({ min: 512, max: 10240 })) });
const deadLetterConfig = () => t.struct({ TargetArn: t.string() });
const kmsKeyArn = () => t.string({ pattern: '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()' });
const loggingConfig = () =>
  t.struct({
    LogFormat: t.string({ enum: ['JSON', 'Text'] }),
    ApplicationLogLevel: t.string({ enum: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] }),
    SystemLogLevel: t.string({ enum: ['DEBUG', 'INFO', 'WARN'] }),
    LogGroup: t.string({ min: 1, max: 512, pattern: '[\\.\\-_/#A-Za-z0-9]+' }),
  });
const tags = () => t.map(t.string({ min: 1, max: 128 }), t.string({ max: 256 }));
const revisionId = () => t.string();
// Not ending in a dot.
const s3Bucket = () => t.string({ min: 3, max: 63, pattern: '[0-9A-Za-z\\.\\-_]*(?<!\\.)', matchPattern: '([0-9A-Za-z\\.\\-_]*[0-9A-Za-z\\-_])?' });
const s3Key = () => t.string({ min: 1, max: 1024 });
const aliasName = () => t.string({ min: 1, max: 128, pattern: ALIAS_PATTERN, matchPattern: ALIAS_MATCH_PATTERN });
const versionName = () => t.string({ min: 1, max: 1024, pattern: VERSION_PATTERN });
const routingConfig = () => t.struct({ AdditionalVersionWeights: t.map(t.string({ min: 1, max: 1024, pattern: '[0-9]+' }), t.double({ min: 0, max: 1 })) });
const destinationArn = () => t.string({ min: 0, max: 350, pattern: '^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)' });
const destinationConfig = () => t.struct({ OnSuccess: t.struct({ Destination: destinationArn() }), OnFailure: t.struct({ Destination: destinationArn() }) });
const eventSourceArn = () => t.string({ pattern: 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)' });
const filterCriteria = () => t.struct({ Filters: t.list(t.struct({ Pattern: t.string({ min: 0, max: 4096 }) })) });
const functionResponseTypes = () => t.list(t.string({ enum: ['ReportBatchItemFailures'] }), { min: 0, max: 1 });
const scalingConfig = () => t.struct({ MaximumConcurrency: t.integer({ min: 2, max: 1000 }) });

const layerName = () => t.string({ min: 1, max: 140, pattern: LAYER_NAME_PATTERN });
const layerVersionNumber = () => uri(t.long());
const layerRuntime = () => t.string({ enum: [...RUNTIME_IDENTIFIERS] });
const layerArchitecture = () => t.string({ enum: ['x86_64', 'arm64'] });

const configurationMembers = {
  Role: roleArn(),
  Handler: handler(),
  Description: description(),
  Timeout: timeout(),
  MemorySize: memorySize(),
  Environment: environment(),
  Runtime: runtime(),
  DeadLetterConfig: deadLetterConfig(),
  KMSKeyArn: kmsKeyArn(),
  TracingConfig: tracing(),
  Layers: layers(),
  EphemeralStorage: ephemeralStorage(),
  LoggingConfig: loggingConfig(),
};

export const shapes: Record<string, StructureShape> = {
  CreateFunction: t.struct({
    FunctionName: required(functionName()),
    ...configurationMembers,
    Role: required(roleArn()),
    Code: required(
      t.struct({ ZipFile: t.blob(), S3Bucket: s3Bucket(), S3Key: s3Key(), S3ObjectVersion: t.string({ min: 1, max: 1024 }), ImageUri: t.string() }),
    ),
    Publish: t.boolean(),
    PackageType: t.string({ enum: ['Zip', 'Image'] }),
    Tags: tags(),
    Architectures: architectures(),
  }),
  GetFunction: t.struct({ FunctionName: uri(namespacedFunctionName()), Qualifier: query(qualifier()) }),
  GetFunctionConfiguration: t.struct({ FunctionName: uri(namespacedFunctionName()), Qualifier: query(qualifier()) }),
  UpdateFunctionCode: t.struct({
    FunctionName: uri(functionName()),
    ZipFile: t.blob(),
    S3Bucket: s3Bucket(),
    S3Key: s3Key(),
    S3ObjectVersion: t.string({ min: 1, max: 1024 }),
    ImageUri: t.string(),
    Publish: t.boolean(),
    DryRun: t.boolean(),
    RevisionId: revisionId(),
    Architectures: architectures(),
  }),
  UpdateFunctionConfiguration: t.struct({ FunctionName: uri(functionName()), ...configurationMembers, RevisionId: revisionId() }),
  DeleteFunction: t.struct({ FunctionName: uri(functionName()), Qualifier: query(qualifier()) }),
  ListFunctions: t.struct({
    MasterRegion: query(t.string({ pattern: 'ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}' })),
    FunctionVersion: query(t.string({ enum: ['ALL'] })),
    Marker: query(marker()),
    MaxItems: query(maxItems()),
  }),
  PublishVersion: t.struct({ FunctionName: uri(functionName()), CodeSha256: t.string(), Description: description(), RevisionId: revisionId() }),
  ListVersionsByFunction: t.struct({ FunctionName: uri(namespacedFunctionName()), Marker: query(marker()), MaxItems: query(maxItems()) }),
  CreateAlias: t.struct({
    FunctionName: uri(functionName()),
    Name: required(aliasName()),
    FunctionVersion: required(versionName()),
    Description: description(),
    RoutingConfig: routingConfig(),
  }),
  GetAlias: t.struct({ FunctionName: uri(functionName()), Name: uri(aliasName()) }),
  UpdateAlias: t.struct({
    FunctionName: uri(functionName()),
    Name: uri(aliasName()),
    FunctionVersion: versionName(),
    Description: description(),
    RoutingConfig: routingConfig(),
    RevisionId: revisionId(),
  }),
  DeleteAlias: t.struct({ FunctionName: uri(functionName()), Name: uri(aliasName()) }),
  ListAliases: t.struct({
    FunctionName: uri(functionName()),
    FunctionVersion: query(versionName()),
    Marker: query(marker()),
    MaxItems: query(maxItems()),
  }),
  PutFunctionConcurrency: t.struct({ FunctionName: uri(functionName()), ReservedConcurrentExecutions: required(t.integer({ min: 0 })) }),
  GetFunctionConcurrency: t.struct({ FunctionName: uri(functionName()) }),
  DeleteFunctionConcurrency: t.struct({ FunctionName: uri(functionName()) }),
  AddPermission: t.struct({
    FunctionName: uri(functionName()),
    StatementId: required(t.string({ min: 1, max: 100, pattern: '([a-zA-Z0-9-_]+)' })),
    Action: required(t.string({ pattern: '(lambda:[*]|lambda:[a-zA-Z]+|[*])' })),
    Principal: required(t.string({ pattern: '[^\\s]+' })),
    SourceArn: t.string({ pattern: 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)' }),
    SourceAccount: t.string({ max: 12, pattern: '\\d{12}' }),
    EventSourceToken: t.string({ min: 0, max: 256, pattern: '[a-zA-Z0-9._\\-]+' }),
    Qualifier: query(qualifier()),
    RevisionId: revisionId(),
    PrincipalOrgID: t.string({ min: 12, max: 34, pattern: '^o-[a-z0-9]{10,32}$' }),
    FunctionUrlAuthType: t.string({ enum: ['NONE', 'AWS_IAM'] }),
  }),
  RemovePermission: t.struct({
    FunctionName: uri(functionName()),
    StatementId: uri(t.string({ min: 1, max: 100, pattern: '([a-zA-Z0-9-_.]+)' })),
    Qualifier: query(qualifier()),
    RevisionId: query(revisionId()),
  }),
  GetPolicy: t.struct({ FunctionName: uri(namespacedFunctionName()), Qualifier: query(qualifier()) }),
  PutFunctionEventInvokeConfig: t.struct({
    FunctionName: uri(functionName()),
    Qualifier: query(qualifier()),
    MaximumRetryAttempts: t.integer({ min: 0, max: 2 }),
    MaximumEventAgeInSeconds: t.integer({ min: 60, max: 21600 }),
    DestinationConfig: destinationConfig(),
  }),
  UpdateFunctionEventInvokeConfig: t.struct({
    FunctionName: uri(functionName()),
    Qualifier: query(qualifier()),
    MaximumRetryAttempts: t.integer({ min: 0, max: 2 }),
    MaximumEventAgeInSeconds: t.integer({ min: 60, max: 21600 }),
    DestinationConfig: destinationConfig(),
  }),
  GetFunctionEventInvokeConfig: t.struct({ FunctionName: uri(functionName()), Qualifier: query(qualifier()) }),
  DeleteFunctionEventInvokeConfig: t.struct({ FunctionName: uri(functionName()), Qualifier: query(qualifier()) }),
  ListFunctionEventInvokeConfigs: t.struct({ FunctionName: uri(functionName()), Marker: query(marker()), MaxItems: query(t.integer({ min: 1, max: 50 })) }),
  CreateEventSourceMapping: t.struct({
    EventSourceArn: eventSourceArn(),
    FunctionName: required(functionName()),
    Enabled: t.boolean(),
    BatchSize: t.integer({ min: 1, max: 10000 }),
    MaximumBatchingWindowInSeconds: t.integer({ min: 0, max: 300 }),
    FilterCriteria: filterCriteria(),
    FunctionResponseTypes: functionResponseTypes(),
    ScalingConfig: scalingConfig(),
    StartingPosition: t.string({ enum: ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] }),
    Tags: tags(),
  }),
  UpdateEventSourceMapping: t.struct({
    UUID: uri(t.string()),
    FunctionName: functionName(),
    Enabled: t.boolean(),
    BatchSize: t.integer({ min: 1, max: 10000 }),
    MaximumBatchingWindowInSeconds: t.integer({ min: 0, max: 300 }),
    FilterCriteria: filterCriteria(),
    FunctionResponseTypes: functionResponseTypes(),
    ScalingConfig: scalingConfig(),
  }),
  GetEventSourceMapping: t.struct({ UUID: uri(t.string()) }),
  DeleteEventSourceMapping: t.struct({ UUID: uri(t.string()) }),
  ListEventSourceMappings: t.struct({
    EventSourceArn: query(eventSourceArn()),
    FunctionName: query(functionName()),
    Marker: query(marker()),
    MaxItems: query(maxItems()),
  }),
  TagResource: t.struct({ Resource: uri(t.string({ min: 1, max: 256 })), Tags: required(tags()) }),
  UntagResource: t.struct({ Resource: uri(t.string({ min: 1, max: 256 })), TagKeys: required(t.list(t.string({ min: 1, max: 128 })), { location: 'querystring', wireName: 'tagKeys' }) }),
  ListTags: t.struct({ Resource: uri(t.string({ min: 1, max: 256 })) }),
  GetAccountSettings: t.struct({}),
  // Layers (API Reference: PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn, ListLayers,
  // ListLayerVersions, DeleteLayerVersion, Add/RemoveLayerVersionPermission, GetLayerVersionPolicy).
  PublishLayerVersion: t.struct({
    LayerName: uri(layerName()),
    Description: description(),
    Content: required(t.struct({ S3Bucket: s3Bucket(), S3Key: s3Key(), S3ObjectVersion: t.string({ min: 1, max: 1024 }), ZipFile: t.blob() })),
    CompatibleRuntimes: t.list(layerRuntime(), { min: 0, max: 15 }),
    LicenseInfo: t.string({ max: 512 }),
    CompatibleArchitectures: t.list(layerArchitecture(), { min: 0, max: 2 }),
  }),
  GetLayerVersion: t.struct({ LayerName: uri(layerName()), VersionNumber: layerVersionNumber() }),
  GetLayerVersionByArn: t.struct({ Arn: required(t.string({ min: 1, max: 140, pattern: LAYER_VERSION_ARN_PATTERN }), { location: 'querystring', wireName: 'Arn' }) }),
  ListLayers: t.struct({
    CompatibleRuntime: query(layerRuntime()),
    Marker: query(marker()),
    MaxItems: query(t.integer({ min: 1, max: 50 })),
    CompatibleArchitecture: query(layerArchitecture()),
  }),
  ListLayerVersions: t.struct({
    LayerName: uri(layerName()),
    CompatibleRuntime: query(layerRuntime()),
    Marker: query(marker()),
    MaxItems: query(t.integer({ min: 1, max: 50 })),
    CompatibleArchitecture: query(layerArchitecture()),
  }),
  DeleteLayerVersion: t.struct({ LayerName: uri(layerName()), VersionNumber: layerVersionNumber() }),
  AddLayerVersionPermission: t.struct({
    LayerName: uri(layerName()),
    VersionNumber: layerVersionNumber(),
    StatementId: required(t.string({ min: 1, max: 100, pattern: '([a-zA-Z0-9-_]+)' })),
    Action: required(t.string({ max: 22, pattern: 'lambda:GetLayerVersion' })),
    Principal: required(t.string({ pattern: '\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root' })),
    OrganizationId: t.string({ max: 34, pattern: 'o-[a-z0-9]{10,32}' }),
    RevisionId: query(revisionId()),
  }),
  RemoveLayerVersionPermission: t.struct({
    LayerName: uri(layerName()),
    VersionNumber: layerVersionNumber(),
    StatementId: uri(t.string({ min: 1, max: 100, pattern: '([a-zA-Z0-9-_]+)' })),
    RevisionId: query(revisionId()),
  }),
  GetLayerVersionPolicy: t.struct({ LayerName: uri(layerName()), VersionNumber: layerVersionNumber() }),
  Invoke: t.struct({
    FunctionName: uri(namespacedFunctionName()),
    InvocationType: member(t.string({ enum: ['Event', 'RequestResponse', 'DryRun'] }), { location: 'header', wireName: 'X-Amz-Invocation-Type' }),
    LogType: member(t.string({ enum: ['None', 'Tail'] }), { location: 'header', wireName: 'X-Amz-Log-Type' }),
    ClientContext: member(t.string(), { location: 'header', wireName: 'X-Amz-Client-Context' }),
    Payload: member(t.blob(), { location: 'payload' }),
    Qualifier: query(qualifier()),
  }),
};

export const invokeOutput = t.struct({
  StatusCode: member(t.integer(), { location: 'statusCode' }),
  FunctionError: member(t.string(), { location: 'header', wireName: 'X-Amz-Function-Error' }),
  LogResult: member(t.string(), { location: 'header', wireName: 'X-Amz-Log-Result' }),
  ExecutedVersion: member(t.string(), { location: 'header', wireName: 'X-Amz-Executed-Version' }),
  Payload: member(t.blob(), { location: 'payload' }),
});

/** Status only (DeleteFunction answers 204 and no body). */
export const statusOnly = t.struct({ StatusCode: member(t.integer(), { location: 'statusCode' }) });
