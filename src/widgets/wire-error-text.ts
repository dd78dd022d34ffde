import type { WireError } from '../shared/protocol';

/** A refusal as a person reads it: a wait for rate limits, the server's message otherwise. */
export function describeWireError(error: WireError): string {
  if (error.code === 'rate_limited') return `Slow down a little: try again in ${Math.ceil((error.retryAfterMs ?? 1000) / 1000)} s.`;
  if (error.code === 'unavailable') return error.message || 'The server could not take that. Try again in a moment.';
  return error.message;
}
