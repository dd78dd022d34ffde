/**
 * The pages (phone, projector, console, sessions) and their assets: from the Vite build in dist/ (start), or
 * through Vite's dev middleware with hot reload (dev).
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { PROJECT_ROOT } from '../options.js';

export const PAGES: Record<string, string> = {
  '/': 'index.html',
  '/present': 'present.html',
  '/present/console': 'console.html',
  '/present/sessions': 'sessions.html',
};

export const DIST_DIR = path.join(PROJECT_ROOT, 'dist');

export interface PagesHandle {
  router: express.Router;
  close: () => Promise<void>;
}

export function distPages(): PagesHandle {
  const router = express.Router();
  for (const [route, file] of Object.entries(PAGES)) {
    const html = fs.readFileSync(path.join(DIST_DIR, file), 'utf8');
    router.get(route, (_request, response) => {
      response.setHeader('Cache-Control', 'no-cache');
      response.type('html').send(html);
    });
  }
  // Hashed assets never change; everything else is revalidated.
  router.use('/assets', express.static(path.join(DIST_DIR, 'assets'), { index: false, immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(DIST_DIR, { index: false, extensions: [] }));
  return { router, close: async () => undefined };
}

export async function vitePages(httpServer: import('node:http').Server): Promise<PagesHandle> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: path.join(PROJECT_ROOT, 'vite.config.ts'),
    server: { middlewareMode: true, hmr: { server: httpServer } },
    appType: 'custom',
  });
  const router = express.Router();
  for (const [route, file] of Object.entries(PAGES)) {
    router.get(route, async (request, response, next) => {
      try {
        const source = fs.readFileSync(path.join(PROJECT_ROOT, 'src', file), 'utf8');
        response.type('html').send(await vite.transformIndexHtml(request.originalUrl, source));
      } catch (error) {
        next(error);
      }
    });
  }
  router.use(vite.middlewares);
  return { router, close: () => vite.close() };
}
