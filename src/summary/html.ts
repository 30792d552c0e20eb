// The report page's HTML: escaping, and one self-contained page shell (inline CSS, no script, and a
// Content-Security-Policy that lets the page load nothing but its own data: URIs).

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML content and in a quoted attribute. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * The CSP of every report page: nothing is fetched (no script, font, frame or connection), and
 * images only from data: URIs. A notebook's HTML output can therefore never make the page call
 * out, whatever it holds; links to the run's files still open on a click.
 */
export const REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const DROPPED_ELEMENTS = /<script\b[\s\S]*?<\/script\s*>|<\/?(script|iframe|frame|frameset|object|embed|link|meta|base)\b[^>]*>/gi;
/** `on…=` handler attributes, after whitespace or a slash (both separate attributes in HTML). */
const HANDLER = /[\s/]+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
/** A URL attribute whose value is a `javascript:` URL, quoted or not. */
const SCRIPT_URL = /\s(href|src|action|formaction|xlink:href)\s*=\s*("\s*javascript:[^"]*"|'\s*javascript:[^']*'|javascript:[^\s>]*)/gi;

/**
 * An HTML output of a notebook, for embedding: scripts, frames, objects and event handlers are
 * removed (the CSP would refuse them anyway, with a console error each). Removal repeats until
 * nothing changes, so that pieces left around a removed tag cannot form a new one; handlers and
 * script URLs are looked for inside tags only, so text that reads `onset = …` is kept.
 */
export function embeddableHtml(html: string): string {
  let out = html;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(DROPPED_ELEMENTS, '');
  }
  return out.replace(/<[a-z][^>]*>/gi, (tag) => tag.replace(HANDLER, '').replace(SCRIPT_URL, ''));
}

const CSS = `
:root { --ok: #2e7d32; --bad: #c62828; --warn: #ef6c00; --skip: #757575; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
header h1 { margin: 0 0 4px; font-size: 20px; }
main { padding: 8px 24px 48px; max-width: 1400px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 420px; white-space: pre-wrap; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.s-succeeded { background: var(--ok); } .s-failed, .s-upstream_failed { background: var(--bad); }
.s-cancelled { background: var(--warn); } .s-skipped, .s-pending, .s-queued { background: var(--skip); }
.s-running, .s-retrying { background: #0969da; }
.muted { color: var(--muted); }
.banner { border: 1px solid var(--warn); background: #fff8f0; padding: 8px 12px; margin: 12px 0; border-radius: 6px; }
.graphic { overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
.graphic svg { max-width: 100%; height: auto; }
details.node { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 4px 12px; }
details.node > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow: auto; }
figure img { max-width: 100%; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 6px; }
nav a { margin-right: 12px; }
.cols { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.cols h3 { margin-top: 0; }
`;

/** A whole page: title, header HTML and body HTML, with the CSP and the CSS inline. */
export function page(title: string, header: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="flow">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>${header}</header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A status as a coloured badge. */
export function badge(status: string): string {
  return `<span class="status s-${esc(status)}">${esc(status.replace(/_/g, ' '))}</span>`;
}

/** A two-column table of label → HTML value; rows with an undefined value are left out. */
export function facts(rows: [string, string | undefined][]): string {
  const body = rows
    .filter((r): r is [string, string] => r[1] !== undefined)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`)
    .join('');
  return `<table class="facts">${body}</table>`;
}
