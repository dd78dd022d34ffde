/**
 * Hostile room, part 4: HTTP. Security headers on every page, 4xx answers
 * in JSON without stack traces for bad parameters, no cookies, and the
 * presenter token nowhere a browser or a proxy could see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import { connectClient, startServer, TEST_TOKEN } from '../helpers.js';
import { expectHarmless, expectJsonError, request } from './harness.js';

const PAGES = ['/', '/present', '/present/console'];
const bearer = { Authorization: `Bearer ${TEST_TOKEN}` };

/** [label, path, method, headers, body, status] */
const BAD_REQUESTS: Array<[string, string, string, Record<string, string>, string | undefined, number]> = [
  ['a malformed JSON body on a POST', '/api/talk', 'POST', { 'Content-Type': 'application/json' }, '{"text":', 404],
  ['a session id that is not a number', '/api/presenter/sessions/abc/export.md', 'GET', bearer, undefined, 400],
  ['a negative session id', '/api/presenter/sessions/-1/export.md', 'GET', bearer, undefined, 400],
  ['a fractional session id', '/api/presenter/sessions/1.5/export.md', 'GET', bearer, undefined, 400],
  ['a session id past 2^53', '/api/presenter/sessions/99999999999999999999/export.md', 'GET', bearer, undefined, 400],
  ['an unknown export format', '/api/presenter/sessions/1/export.exe', 'GET', bearer, undefined, 400],
  ['a session that does not exist', '/api/presenter/sessions/987654/export.json', 'GET', bearer, undefined, 404],
  ['broken percent-encoding in a parameter', '/api/presenter/sessions/%E0%A4%A/export.md', 'GET', bearer, undefined, 400],
  ['a presenter route without the token', '/api/presenter/notes', 'GET', {}, undefined, 401],
  ['a Bearer header with two tokens', '/api/presenter/notes', 'GET', { Authorization: `Bearer ${TEST_TOKEN} extra` }, undefined, 401],
  ['a poll without since', '/api/poll', 'GET', {}, undefined, 400],
  ['a poll with a non-numeric since', '/api/poll?since=abc', 'GET', {}, undefined, 400],
  ['a poll with since twice', '/api/poll?since=1&since=2', 'GET', {}, undefined, 400],
  ['a poll with a negative since', '/api/poll?since=-5', 'GET', {}, undefined, 400],
  ['a poll with since as an object', '/api/poll?since[__proto__]=1', 'GET', {}, undefined, 400],
  ['a path that climbs out of the assets', '/assets/../../package.json', 'GET', {}, undefined, 403],
  ['an encoded climb out of the assets', '/assets/..%2f..%2fpackage.json', 'GET', {}, undefined, 403],
  ['an unknown API route', '/api/admin', 'GET', {}, undefined, 404],
];

describe('hostile room: HTTP', () => {
  let server: LiveDeckServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([...PAGES, '/api/talk', '/no-such-page'])('sends the security headers on %s', async (path) => {
    const answer = await request(server, path);
    const csp = answer.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(answer.headers['x-powered-by']).toBeUndefined();
    expect(answer.headers['set-cookie']).toBeUndefined();
  });

  it('sets no cookie on the Socket.IO handshake', async () => {
    const answer = await request(server, '/socket.io/?EIO=4&transport=polling');
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });

  it.each(BAD_REQUESTS)('answers %s with a JSON error and no stack trace', async (_label, path, method, headers, body, status) => {
    await expectHarmless(server, async () => {
      const answer = await request(server, path, { method, headers, body });
      expectJsonError(answer, status);
    });
  });

  it('keeps the presenter token out of every page and every script they load', async () => {
    for (const page of PAGES) {
      const html = (await request(server, page)).body;
      expect(html).not.toContain(TEST_TOKEN);
      const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect((await request(server, script)).body).not.toContain(TEST_TOKEN);
    }
    // The presenter URL carries it in the fragment only, which browsers never send (nor put in a Referer).
    const url = new URL(server.presenterUrl);
    expect(url.pathname + url.search).not.toContain(TEST_TOKEN);
    expect(url.hash).toBe(`#token=${TEST_TOKEN}`);
  });

  it('never echoes a candidate token in a refusal', async () => {
    await expect(connectClient(server.url, { role: 'presenter', token: 'candidate-token-xyz' })).rejects.toSatisfy(
      (error: Error & { data?: unknown }) => !JSON.stringify({ message: error.message, data: error.data }).includes('candidate-token-xyz'),
    );
    const answer = await request(server, '/api/presenter/notes', { headers: { Authorization: 'Bearer candidate-token-xyz' } });
    expect(answer.body).not.toContain('candidate-token-xyz');
  });
});
