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

export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
}

export function qrTerminal(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'terminal', small: true, errorCorrectionLevel: 'L' });
}
