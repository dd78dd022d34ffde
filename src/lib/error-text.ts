/** Refusals in the page's language: a request's failure, or an HTTP error's body (the sessions page). */
import type { HttpError } from '../shared/protocol';
import { formatSeconds, hasMessage, t } from '../i18n/i18n';
import type { RequestError } from './request';

/**
 * A refusal as a person reads it, in the page's language. A broad refusal
 * (invalid, forbidden, not_found, conflict) says why by its `reason`, worded
 * from the page's table; one without a reason this page knows (an older or
 * newer server) falls back to one message per code with the server's
 * English detail in it.
 */
export function errorText(error: RequestError): string {
  if ('reason' in error && error.reason !== undefined) {
    const key = `refusal.${error.reason}`;
    if (hasMessage(key)) return t(key, error.params);
  }
  switch (error.code) {
    case 'rate_limited':
      return t('error.rate_limited', { seconds: formatSeconds(Math.ceil((error.retryAfterMs ?? 1000) / 1000)) });
    case 'offline':
    case 'no_answer':
    case 'unavailable':
    case 'internal':
    case 'invalid':
    case 'forbidden':
    case 'not_found':
    case 'conflict':
      return t(`error.${error.code}`, { message: error.message });
    // A code this page does not know yet (a newer server): the server's own words.
    default:
      return (error as { message?: string }).message || t('error.internal');
  }
}

/** An HTTP refusal's body in the page's language; a body that is not one (a proxy's page) reads as its status. */
export function httpErrorText(body: unknown, status: number): string {
  const error = (body as Partial<HttpError> | null)?.error;
  if (!error || typeof error.code !== 'string') return `HTTP ${status}`;
  return errorText({ ...error, message: typeof error.message === 'string' ? error.message : `HTTP ${status}` });
}
