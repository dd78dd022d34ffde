/**
 * HTTP requests before any route: a request id for the logs, and the origin
 * check for state-changing methods (cross-site request forgery: a page on
 * another site can make a phone's browser POST here, but the browser says
 * which site it came from in `Origin`).
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { sendError } from './api.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sets `res.locals.requestId` and the `X-Request-Id` header, so an error line and its answer can be matched. */
export function requestIds() {
  return (_request: Request, response: Response, next: NextFunction) => {
    const id = crypto.randomBytes(6).toString('base64url');
    response.locals.requestId = id;
    response.setHeader('X-Request-Id', id);
    next();
  };
}

/**
 * Refuses non-GET/HEAD/OPTIONS requests whose Origin is present and not
 * allowed. No Origin is a non-browser client (curl, a script), which a
 * cross-site page cannot be.
 */
export function sameOriginWrites(allowed: () => ReadonlySet<string>) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(request.method)) return next();
    const origin = request.headers.origin;
    if (origin === undefined || allowed().has(origin)) return next();
    return sendError(response, 403, 'forbidden', 'cross-origin request refused');
  };
}
