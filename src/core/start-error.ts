/**
 * A reason Stratus cannot start that its message tells whole (a port in use, a data directory
 * another server holds): `stratus start` prints it as one line, without a stack.
 */
export class StartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartError';
  }
}
