/**
 * The addresses phones can open: the configured public URL, else every LAN
 * IPv4 address of this machine (a phone cannot reach "localhost"), else
 * loopback when there is no network at all.
 */
import os from 'node:os';
import QRCode from 'qrcode';

export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info): info is os.NetworkInterfaceInfo => !!info && info.family === 'IPv4' && !info.internal)
    .map((info) => info.address);
}

export function joinUrls(host: string, port: number, publicUrl: string | undefined): string[] {
  if (publicUrl) return [new URL(publicUrl).href];
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const hosts = wildcard ? lanAddresses() : [host];
  const reachable = hosts.length ? hosts : ['localhost'];
  return reachable.map((address) => `http://${address.includes(':') ? `[${address}]` : address}:${port}/`);
}

/** Origins allowed to open sockets: the printed addresses, loopback on our port, and configured extras. */
export function allowedOrigins(urls: string[], port: number, extra: string[]): Set<string> {
  const origins = new Set(extra.map((origin) => origin.replace(/\/$/, '')));
  for (const url of urls) origins.add(new URL(url).origin);
  for (const loopback of ['localhost', '127.0.0.1', '[::1]']) origins.add(`http://${loopback}:${port}`);
  return origins;
}

/** The QR standard asks for a light border of 4 modules on every side; projectors and terminals blur edges, scanners need it. */
export const QR_QUIET_ZONE = 4;

export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: QR_QUIET_ZONE, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
}

const WHITE = 231;
const BLACK = 16;

/**
 * The join QR code for a terminal, two modules per character (▀: its
 * foreground is the upper module, its background the lower one), with
 * explicit colours so it scans on dark and light terminals alike, and the
 * full quiet zone (qrcode's own terminal renderers draw a 1-module border).
 */
export function qrTerminal(url: string): string {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'L' });
  const { size } = modules;
  const dark = (row: number, col: number) => row >= 0 && col >= 0 && row < size && col < size && modules.get(row, col) === 1;
  const lines: string[] = [];
  for (let row = -QR_QUIET_ZONE; row < size + QR_QUIET_ZONE; row += 2) {
    let line = '';
    for (let col = -QR_QUIET_ZONE; col < size + QR_QUIET_ZONE; col++) {
      line += `\x1b[38;5;${dark(row, col) ? BLACK : WHITE};48;5;${dark(row + 1, col) ? BLACK : WHITE}m▀`;
    }
    lines.push(`${line}\x1b[0m`);
  }
  return lines.join('\n');
}
