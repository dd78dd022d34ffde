import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { bundledIcons } from './vite-plugins/bundled-icons.js';
import { inlinePageCss } from './vite-plugins/inline-page-css.js';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Reveal's themes embed their web fonts as base64 (over 400 KB gzipped).
 * Phones on venue Wi-Fi should not pay that: drop the fonts, use the system's.
 */
function revealThemeWithoutWebFonts(): Plugin {
  return {
    name: 'reveal-theme-without-web-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!/reveal\.js[\\/]dist[\\/]theme[\\/].*\.css/.test(id)) return null;
      return code
        .replace(/@font-face\{[^}]*\}/g, '')
        .replace(/"Source Sans Pro",\s*Helvetica,\s*sans-serif/g, 'system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif');
    },
  };
}

// One page per surface (phone, projector, console, sessions); each bundle carries only its own code, so the
// phone never downloads presenter code.
export default defineConfig({
  plugins: [revealThemeWithoutWebFonts(), bundledIcons(), inlinePageCss('index.html')],
  root: path.join(root, 'src'),
  publicDir: path.join(root, 'public'),
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: path.join(root, 'src/index.html'),
        present: path.join(root, 'src/present.html'),
        console: path.join(root, 'src/console.html'),
        sessions: path.join(root, 'src/sessions.html'),
      },
    },
  },
});
