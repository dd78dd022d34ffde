import type { ErrorCode, WireError } from '../../src/shared/protocol.js';

/** A refusal a handler throws on purpose; the wrapper turns it into an error ack. */
export class WireErrorException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  toWire(): WireError {
    return this.retryAfterMs === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfterMs: this.retryAfterMs };
  }
}
