/**
 * Puts a page's own stylesheet into its HTML as a `<style>`: the page paints its first frame
 * from the HTML alone, with no stylesheet blocking it on a slow network. For small sheets only
 * (the phone's is a few KB gzipped); styles loaded later (code, widgets) stay separate files.
 */
import type { Plugin } from 'vite';

export function inlinePageCss(page: string): Plugin {
  return {
    name: 'livedeck-inline-page-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (!context.filename.endsWith(page) || !context.bundle) return html;
        return html.replace(/<link rel="stylesheet"[^>]*href="\/(assets\/[^"]+\.css)"[^>]*>/g, (link, file: string) => {
          const asset = context.bundle![file];
          if (asset?.type !== 'asset') return link;
          return `<style>${String(asset.source).replace(/<\/style/gi, '<\\/style')}</style>`;
        });
      },
    },
  };
}
