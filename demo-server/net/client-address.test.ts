import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.js';

const request = (peer: string, forwarded?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('uses the TCP peer unless a proxy is trusted', () => {
    expect(clientAddress(request('10.0.0.9', '1.2.3.4'), false)).toBe('10.0.0.9');
  });

  it('takes the entry the trusted proxy appended, not one a client forged', () => {
    expect(clientAddress(request('127.0.0.1', '6.6.6.6, 192.168.1.20'), true)).toBe('192.168.1.20');
    expect(clientAddress(request('127.0.0.1', ['6.6.6.6', '192.168.1.21']), true)).toBe('192.168.1.21');
  });

  it('falls back to the peer when the header is missing', () => {
    expect(clientAddress(request('127.0.0.1'), true)).toBe('127.0.0.1');
  });
});
