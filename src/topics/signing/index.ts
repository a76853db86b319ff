export { CERTIFICATE_PATH } from './certificate-path.js';
export { certificateFileName, signingKeysOf, signingMigrations, SigningKeys, type SigningKey } from './key-store.js';
export { NotificationSigner } from './signer.js';
export { stringToSign } from './string-to-sign.js';
