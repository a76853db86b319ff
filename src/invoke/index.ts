export { parseArn, formatArn, type ParsedArn } from './arn.js';
export { InvokerRegistry, InvokeError, type Invoker, type InvokeRequest, type InvokeResult, type InvokeErrorCode } from './registry.js';
export { SourceRegistry, type MessageSource, type ReceiveOptions, type SourceMessage, type SourceMessageAttribute } from './sources.js';
