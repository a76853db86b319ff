/** Moved to src/core/sigv4 (pure SigV4 checking, shared with API Gateway's AWS_IAM methods); kept so imports from here still work. */
export * from '../core/sigv4/node-sha256.js';
