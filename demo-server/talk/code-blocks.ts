/**
 * Code fences for slides: highlighted on the server (so phones download no
 * highlighter), one element per line, and optional step highlights that the
 * deck walks through as fragments.
 *
 * Info string: `ts [1-3|5-9] file=demo-server/realtime/chat.ts#send`, where
 * `[…]` lists the highlight steps and `file=PATH#REGION` replaces the fence's
 * body with the lines between `// #region REGION` and `// #endregion` of that
 * source file, so a code slide cannot drift from the code that runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import hljs from 'highlight.js/lib/common';

export interface CodeFenceInfo {
  language: string;
  steps: string[];
  file?: { path: string; region?: string };
}

export function parseFenceInfo(info: string): CodeFenceInfo {
  const [language = '', ...rest] = info.trim().split(/\s+/);
  const tail = rest.join(' ');
  const steps =
    /\[([^\]]*)\]/
      .exec(tail)?.[1]
      ?.split('|')
      .map((step) => step.trim()) ?? [];
  const fileMatch = /(?:^|\s)file=(\S+)/.exec(tail);
  const result: CodeFenceInfo = { language, steps: steps.filter(Boolean) };
  if (fileMatch) {
    const [filePath = '', region] = fileMatch[1]!.split('#');
    result.file = region ? { path: filePath, region } : { path: filePath };
  }
  return result;
}

/** Lines of a `// #region NAME` … `// #endregion` block, without the markers, dedented. */
export function extractRegion(source: string, region: string, where: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  if (start === -1) throw new Error(`${where}: no "// #region ${region}"`);
  const end = lines.findIndex((line, index) => index > start && line.trim() === '// #endregion');
  if (end === -1) throw new Error(`${where}: "// #region ${region}" has no "// #endregion"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
  return body.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

export function readCodeFile(root: string, file: { path: string; region?: string }): string {
  const resolved = path.resolve(root, file.path);
  if (!resolved.startsWith(path.resolve(root) + path.sep)) throw new Error(`code file ${file.path} is outside the project`);
  const source = fs.readFileSync(resolved, 'utf8');
  return file.region ? extractRegion(source, file.region, file.path) : source.trimEnd();
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Splits highlighter output into lines, closing the spans still open at each
 * line end and reopening them on the next line, so every line is well-formed.
 */
export function splitHighlightedLines(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let current = '';
  for (const token of html.split(/(<span[^>]*>|<\/span>|\n)/)) {
    if (token === '\n') {
      lines.push(current + '</span>'.repeat(open.length));
      current = open.join('');
    } else if (token.startsWith('<span')) {
      open.push(token);
      current += token;
    } else if (token === '</span>') {
      open.pop();
      current += token;
    } else {
      current += token;
    }
  }
  lines.push(current + '</span>'.repeat(open.length));
  return lines;
}

export function renderCodeBlock(code: string, info: CodeFenceInfo): string {
  const language = hljs.getLanguage(info.language) ? info.language : 'plaintext';
  const highlighted = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  const sourceLines = code.split('\n');
  // A line's own indent, so that where a big screen wraps a long line, the rest lines up under it (deck.css).
  const indentOf = (index: number) => /^[ \t]*/.exec(sourceLines[index] ?? '')![0].replace(/\t/g, '  ').length;
  const lines = splitHighlightedLines(highlighted)
    .map((line, index) => `<span class="code-line" data-line="${index + 1}" style="--indent:${indentOf(index)}">${line}</span>`)
    .join('\n');
  const stepsAttribute = info.steps.length ? ` data-steps="${escapeHtml(info.steps.join('|'))}"` : '';
  // The first step shows with the slide; each further step is one fragment.
  const stepFragments = info.steps
    .slice(1)
    .map((_, index) => `<span class="fragment code-step" data-code-step="${index + 1}"></span>`)
    .join('');
  return `<div class="code-block"><pre class="code"${stepsAttribute}><code class="hljs language-${escapeHtml(language)}">${lines}</code></pre>${stepFragments}</div>`;
}
