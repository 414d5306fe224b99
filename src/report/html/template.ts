import { createHash } from 'node:crypto';

/** Escape text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * JSON that is safe inside a <script> element: `<`, `>`, `&` and U+2028/U+2029 become \u escapes,
 * so neither `</script>` nor `<!--` nor a line separator can end or confuse the element.
 * JSON.parse gives back exactly the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Inline script text must not contain `</script` (any case); vendor code is checked, not trusted. */
export function assertInlineSafe(name: string, code: string): void {
  if (/<\/script/i.test(code) || /<!--/.test(code)) throw new Error(`${name} cannot be inlined: it contains </script or <!--`);
}

export function cspHash(code: string): string {
  return `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;
}

export interface PageParts {
  title: string;
  css: string;
  /** Executed scripts, in order (each gets a CSP hash). */
  scripts: { name: string; code: string }[];
  /** Already made safe with jsonForScript. */
  dataJson: string;
}

/**
 * The page skeleton. Placeholders are filled with split/join, never String.replace, so `$&` and
 * friends in the data mean nothing. Everything from the outside world is either escaped here or
 * lives in the JSON block and is put into the DOM by the client with textContent.
 */
const SKELETON = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>@@TITLE@@</title>
<style>@@CSS@@</style>
</head>
<body>
<noscript><p class="noscript">This report draws its content with JavaScript. Enable scripts for this file, or read the results JSON embedded at the end of the page source.</p></noscript>
<div id="app" aria-live="polite"><p class="loading">Loading report…</p></div>
<script type="application/json" id="report-data">@@DATA@@</script>
@@SCRIPTS@@
</body>
</html>
`;

export function renderPage(parts: PageParts): string {
  for (const s of parts.scripts) assertInlineSafe(s.name, s.code);
  if (/<\/style/i.test(parts.css)) throw new Error('CSS cannot be inlined: it contains </style');
  const csp = [
    "default-src 'none'",
    'img-src data:',
    "style-src 'unsafe-inline'",
    `script-src ${parts.scripts.map((s) => cspHash(s.code)).join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  // Our own constants and base64 hashes: nothing here needs escaping inside a double-quoted attribute.
  if (/["<>&]/.test(csp)) throw new Error('unexpected character in the Content-Security-Policy');
  const scripts = parts.scripts.map((s) => `<script>${s.code}</script>`).join('\n');
  return fill(SKELETON, {
    '@@CSP@@': csp,
    '@@TITLE@@': escapeHtml(parts.title),
    '@@CSS@@': parts.css,
    '@@DATA@@': parts.dataJson,
    '@@SCRIPTS@@': scripts,
  });
}

/** Replace each placeholder once, by split/join (placeholders are filled in one pass, left to right). */
export function fill(template: string, values: Record<string, string>): string {
  // Split on every placeholder first, so a value that happens to contain another placeholder's
  // name is never substituted again.
  let parts: (string | { key: string })[] = [template];
  for (const key of Object.keys(values)) {
    parts = parts.flatMap((p) => {
      if (typeof p !== 'string') return [p];
      const pieces = p.split(key);
      return pieces.flatMap((piece, i) => (i === 0 ? [piece] : [{ key }, piece]));
    });
  }
  return parts.map((p) => (typeof p === 'string' ? p : values[p.key])).join('');
}
