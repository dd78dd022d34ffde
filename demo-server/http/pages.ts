/**
 * The pages (phone, projector, console, sessions) and their assets: from the Vite build in dist/ (start), or
 * through Vite's dev middleware with hot reload (dev).
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { PROJECT_ROOT } from '../options.js';
import { SessionIdParamSchema } from '../../src/shared/protocol.js';
import { checkPhoneTemplate, renderHandoutPage, renderPhonePage, type PhonePageSource } from './phone-page.js';

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

/** The phone's page carries the live slide's title: rendered for each request. */
const PHONE_PAGE = 'index.html';

/** The handout of a past session (linked from /series): the phone's page showing it, public like the phone's. */
const HANDOUT_ROUTE = '/handout/:id';

function sendHandoutPage(request: express.Request, response: express.Response, html: string): void {
  const id = SessionIdParamSchema.safeParse(request.params.id);
  if (!id.success) {
    response.status(404).type('text').send('No such handout.');
    return;
  }
  response.setHeader('Cache-Control', 'no-cache');
  response.type('html').send(renderHandoutPage(html, id.data));
}

export function distPages(phone: PhonePageSource): PagesHandle {
  const router = express.Router();
  for (const [route, file] of Object.entries(PAGES)) {
    const html = fs.readFileSync(path.join(DIST_DIR, file), 'utf8');
    if (file === PHONE_PAGE) checkPhoneTemplate(html);
    router.get(route, (_request, response) => {
      response.setHeader('Cache-Control', 'no-cache');
      response.type('html').send(file === PHONE_PAGE ? renderPhonePage(html, phone) : html);
    });
  }
  const phoneHtml = fs.readFileSync(path.join(DIST_DIR, PHONE_PAGE), 'utf8');
  router.get(HANDOUT_ROUTE, (request, response) => sendHandoutPage(request, response, phoneHtml));
  // Hashed assets never change; everything else is revalidated.
  router.use('/assets', express.static(path.join(DIST_DIR, 'assets'), { index: false, immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(DIST_DIR, { index: false, extensions: [] }));
  return { router, close: async () => undefined };
}

export async function vitePages(httpServer: import('node:http').Server, phone: PhonePageSource): Promise<PagesHandle> {
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
        const html = await vite.transformIndexHtml(request.originalUrl, source);
        response.type('html').send(file === PHONE_PAGE ? renderPhonePage(html, phone) : html);
      } catch (error) {
        next(error);
      }
    });
  }
  router.get(HANDOUT_ROUTE, async (request, response, next) => {
    try {
      const source = fs.readFileSync(path.join(PROJECT_ROOT, 'src', PHONE_PAGE), 'utf8');
      sendHandoutPage(request, response, await vite.transformIndexHtml(request.originalUrl, source));
    } catch (error) {
      next(error);
    }
  });
  router.use(vite.middlewares);
  return { router, close: () => vite.close() };
}
