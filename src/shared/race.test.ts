import { describe, expect, it } from 'vitest';
import { enginePacketFrameBytes, formatWireBytes, parseWireBytes, webSocketFrameBytes } from './race';

describe('wire bytes', () => {
  it('sizes WebSocket frames as RFC 6455 lays them out', () => {
    expect(webSocketFrameBytes(0, false)).toBe(2);
    expect(webSocketFrameBytes(125, false)).toBe(127);
    expect(webSocketFrameBytes(126, false)).toBe(130);
    expect(webSocketFrameBytes(65_536, false)).toBe(65_546);
    expect(webSocketFrameBytes(10, true)).toBe(16);
  });

  it('sizes Engine.IO packets: a type digit then the UTF-8 data, or raw binary', () => {
    expect(enginePacketFrameBytes({ type: 'pong' }, true)).toBe(2 + 4 + 1);
    expect(enginePacketFrameBytes({ type: 'message', data: '2["é"]' }, false)).toBe(2 + 1 + 7);
    expect(enginePacketFrameBytes({ type: 'message', data: new Uint8Array(5) }, false)).toBe(2 + 5);
  });

  it('reads back the X-Wire-Bytes header it writes, and nothing else', () => {
    expect(parseWireBytes(formatWireBytes({ request: 512, response: 734 }))).toEqual({ request: 512, response: 734 });
    expect(parseWireBytes(null)).toBeNull();
    expect(parseWireBytes('512')).toBeNull();
  });
});
