export * from './md5.js';
export * from './errors.js';
export * from './queue-attributes.js';
export * from './message-validation.js';
