/**
 * What a phone downloads to join: the audience page and the scripts and
 * styles it references, fetched as a phone would (Accept-Encoding: gzip, br)
 * and counted as they come off the wire, plus what the same bytes weigh
 * gzipped, plus the deck data (/api/talk) that the page fetches next.
 */
import http from 'node:http';
import zlib from 'node:zlib';

export interface Download {
  path: string;
  /** Bytes on the wire, as served. */
  served: number;
  encoding: string;
  /** Uncompressed size. */
  raw: number;
  /** gzip -6 of the uncompressed bytes: what it would weigh compressed. */
  gzip: number;
}

export interface FirstLoad {
  files: Download[];
  servedTotal: number;
  rawTotal: number;
  gzipTotal: number;
  /** /api/talk: the deck's HTML as JSON, loaded after the page. */
  deckData: Download;
}

function get(url: string): Promise<{ body: Buffer; encoding: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if ((response.statusCode ?? 500) >= 400) return reject(new Error(`${url}: HTTP ${response.statusCode}`));
          resolve({ body: Buffer.concat(chunks), encoding: String(response.headers['content-encoding'] ?? 'identity') });
        });
      })
      .on('error', reject);
  });
}

function decode(body: Buffer, encoding: string): Buffer {
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'deflate') return zlib.inflateSync(body);
  return body;
}

export async function download(base: string, path: string): Promise<Download & { text: string }> {
  const { body, encoding } = await get(new URL(path, base).href);
  const raw = decode(body, encoding);
  return { path, served: body.length, encoding, raw: raw.length, gzip: zlib.gzipSync(raw).length, text: raw.toString('utf8') };
}

const withoutText = ({ text: _text, ...file }: Download & { text: string }): Download => file;

export async function measureFirstLoad(base: string): Promise<FirstLoad> {
  const page = await download(base, '/');
  const references = [
    ...page.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g),
    ...page.text.matchAll(/<link[^>]*\srel="(?:stylesheet|modulepreload)"[^>]*\shref="([^"]+)"/g),
  ].map((match) => match[1]!);
  const files = [page, ...(await Promise.all(references.map((path) => download(base, path))))].map(withoutText);
  const sum = (key: 'served' | 'raw' | 'gzip') => files.reduce((total, file) => total + file[key], 0);
  return {
    files,
    servedTotal: sum('served'),
    rawTotal: sum('raw'),
    gzipTotal: sum('gzip'),
    deckData: withoutText(await download(base, '/api/talk')),
  };
}
