/**
 * The path the signing certificate is served at: `/SimpleNotificationService-<32 hex>.pem`, the
 * form of AWS's SigningCertURLs (key-store.ts, certificateFileName). On its own so the server's
 * router matches it without loading the signing code.
 */
export const CERTIFICATE_PATH = /^\/(SimpleNotificationService-[0-9a-f]{32}\.pem)$/;
