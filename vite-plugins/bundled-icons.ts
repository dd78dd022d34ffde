/**
 * `import url from 'icon:thumbs-up'`: the URL of one icon of Microsoft's Fluent Emoji (flat, MIT
 * licence), read from the @iconify-json package at build time and served by livedeck as its own
 * hashed SVG file, so that no page depends on an emoji font or a CDN and the icons cost no
 * JavaScript.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const PREFIX = 'icon:';
const RESOLVED = '\0icon:';

interface IconSet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string; width?: number; height?: number }>;
  aliases?: Record<string, { parent: string }>;
}

export function bundledIcons(): Plugin {
  let set: IconSet | undefined;
  let serving = false;
  const iconSet = (): IconSet => {
    const file = createRequire(import.meta.url).resolve('@iconify-json/fluent-emoji-flat/icons.json');
    return (set ??= JSON.parse(fs.readFileSync(file, 'utf8')) as IconSet);
  };
  return {
    name: 'livedeck-bundled-icons',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    resolveId: (id) => (id.startsWith(PREFIX) ? RESOLVED + id.slice(PREFIX.length) : null),
    load(id) {
      if (!id.startsWith(RESOLVED)) return null;
      const icons = iconSet();
      const name = id.slice(RESOLVED.length);
      const icon = icons.icons[name] ?? icons.icons[icons.aliases?.[name]?.parent ?? ''];
      if (!icon) this.error(`no icon "${name}" in Fluent Emoji Flat`);
      const width = icon.width ?? icons.width ?? 32;
      const height = icon.height ?? icons.height ?? 32;
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}">` +
        `<!-- Fluent Emoji, © Microsoft Corporation, MIT licence -->${icon.body}</svg>`;
      // The dev server has no output folder: the icon travels inline.
      if (serving) return `export default ${JSON.stringify(`data:image/svg+xml,${encodeURIComponent(svg)}`)};`;
      const reference = this.emitFile({ type: 'asset', name: `${name}.svg`, source: svg });
      return `export default import.meta.ROLLUP_FILE_URL_${reference};`;
    },
  };
}
