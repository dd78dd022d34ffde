import { REFUSALS, type ErrorCode, type RefusalParams, type RefusalReason, type WireError } from '../../src/shared/protocol.js';

/** A refusal a handler throws on purpose; the wrapper turns it into an error ack. */
export class WireErrorException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    readonly reason?: RefusalReason,
    readonly params?: RefusalParams,
  ) {
    super(message);
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.retryAfterMs !== undefined) wire.retryAfterMs = this.retryAfterMs;
    if (this.reason !== undefined) wire.reason = this.reason;
    if (this.params !== undefined) wire.params = this.params;
    return wire;
  }
}

/** A broad refusal with its reason: the code comes from the reason, the English message is the detail. */
export function wireRefusal(reason: RefusalReason, message: string, params?: RefusalParams): WireError {
  return params ? { code: REFUSALS[reason], message, reason, params } : { code: REFUSALS[reason], message, reason };
}

/** The same refusal, to throw from a handler. */
export function refusalError(reason: RefusalReason, message: string, params?: RefusalParams): WireErrorException {
  return new WireErrorException(REFUSALS[reason], message, undefined, reason, params);
}
