import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { QR_QUIET_ZONE, qrSvg, qrTerminal } from './join-urls.js';

const URL = 'http://192.168.1.23:3000/';

/** The terminal QR code back as modules: each ▀ is two, its foreground colour above its background colour. */
function terminalModules(text: string): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of text.split('\n')) {
    const upper: boolean[] = [];
    const lower: boolean[] = [];
    for (const [, fg, bg] of line.matchAll(/\x1b\[38;5;(\d+);48;5;(\d+)m▀/g)) {
      upper.push(fg === '16');
      lower.push(bg === '16');
    }
    rows.push(upper, lower);
  }
  return rows;
}

describe('join QR codes', () => {
  it('draws the SVG with a 4-module quiet zone', async () => {
    const { modules } = QRCode.create(URL, { errorCorrectionLevel: 'M' });
    const svg = await qrSvg(URL);
    const size = modules.size + 2 * QR_QUIET_ZONE;
    expect(QR_QUIET_ZONE).toBe(4);
    expect(svg).toContain(`viewBox="0 0 ${size} ${size}"`);
    // The light background fills the whole square; the first dark module sits 4 in from the corner.
    expect(svg).toContain(`<path fill="#ffffff" d="M0 0h${size}v${size}H0z"/>`);
    expect(svg).toMatch(/<path stroke="#000000" d="M4 4\.5h/);
  });

  it('draws the terminal code module for module, inside a 4-module light border', () => {
    const { modules } = QRCode.create(URL, { errorCorrectionLevel: 'L' });
    const grid = terminalModules(qrTerminal(URL));
    const size = modules.size + 2 * QR_QUIET_ZONE;
    for (let row = 0; row < size; row++) {
      expect(grid[row], `row ${row}`).toHaveLength(size);
      for (let col = 0; col < size; col++) {
        const inCode = row >= QR_QUIET_ZONE && col >= QR_QUIET_ZONE && row < size - QR_QUIET_ZONE && col < size - QR_QUIET_ZONE;
        const expected = inCode && modules.get(row - QR_QUIET_ZONE, col - QR_QUIET_ZONE) === 1;
        expect(grid[row]![col], `module ${row},${col}`).toBe(expected);
      }
    }
  });
});
