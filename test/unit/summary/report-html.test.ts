// The report page's HTML helpers: escaping, a notebook's HTML output cleaned for embedding, and the page shell with its CSP.
import { describe, expect, it } from 'vitest';
import { badge, embeddableHtml, esc, facts, page, REPORT_CSP } from '../../../src/summary/html.js';

describe('esc', () => {
  it('escapes the five characters that matter in HTML text and quoted attributes', () => {
    expect(esc(`a & b < c > d "e" 'f'`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;');
    expect(esc('&amp;')).toBe('&amp;amp;');
    expect(esc('plain text é')).toBe('plain text é');
  });

  it('takes any value', () => {
    expect(esc(42)).toBe('42');
    expect(esc(undefined)).toBe('undefined');
    expect(esc(null)).toBe('null');
  });
});

describe('embeddableHtml', () => {
  it('removes scripts with their content, whatever their case or attributes, and an unclosed one', () => {
    const out = embeddableHtml('<p>a</p><script>alert(1)</script><b>b</b><SCRIPT type="module">\nx()\n</SCRIPT ><script src="x.js">');
    expect(out).toBe('<p>a</p><b>b</b>');
  });

  it('removes frames, objects, embeds, links, metas and bases', () => {
    const out = embeddableHtml(
      '<iframe src="https://example.org"></iframe><object data="x.swf"></object><embed src="y"><link rel="stylesheet" href="s.css"><meta http-equiv="refresh" content="0"><base href="/"><i>kept</i>',
    );
    expect(out).not.toMatch(/<(iframe|object|embed|link|meta|base)\b/i);
    expect(out).toContain('<i>kept</i>');
  });

  it('removes event handler attributes, quoted or not, and keeps the element', () => {
    const out = embeddableHtml(`<div onclick="steal()" class="x">a</div><img src="data:," onerror='boom()'><b ONMOUSEOVER=go()>c</b>`);
    expect(out).toBe('<div class="x">a</div><img src="data:,"><b>c</b>');
  });

  it('removes javascript: hrefs and srcs', () => {
    const out = embeddableHtml(`<a href="javascript:void(0)">x</a><a href=' JavaScript:go()'>y</a><img src="javascript:z">`);
    expect(out).not.toMatch(/javascript:/i);
    expect(out).toContain('>x</a>');
  });

  it('keeps ordinary HTML untouched: a pandas table, links, styles', () => {
    const html =
      '<table class="dataframe" border="1"><thead><tr style="text-align: right;"><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table><a href="#x">x</a>';
    expect(embeddableHtml(html)).toBe(html);
  });

  // Bugs (see the report): each keeps what the function's contract says it removes.
  it('removes a javascript: href whose code holds the other quote', () => {
    expect(embeddableHtml(`<a href="javascript:alert('hi')">x</a>`)).not.toMatch(/javascript:/i);
  });

  it('removes an event handler after a slash, which HTML parses as an attribute separator', () => {
    expect(embeddableHtml('<img/onerror=alert(1) src=x>')).not.toMatch(/onerror/i);
  });

  it('does not build a script tag out of the pieces left around a removed tag', () => {
    expect(embeddableHtml('<scr<iframe>ipt>alert(1)</script>')).not.toMatch(/<script/i);
  });

  it('keeps text that only reads like a handler', () => {
    expect(embeddableHtml('<p>Someone onset = "x" said</p>')).toBe('<p>Someone onset = "x" said</p>');
    expect(embeddableHtml('<a href=javascript:alert(1)>x</a>')).toBe('<a>x</a>');
  });
});

describe('page', () => {
  const html = page('Run <1> & "two"', '<h1>H</h1>', '<p id="body">B</p>');

  it('is a whole HTML5 document with the CSP as a meta tag, the title escaped, header and body as given', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html).toContain('<title>Run &lt;1&gt; &amp; &quot;two&quot;</title>');
    expect(html).toContain('<header><h1>H</h1></header>');
    expect(html).toContain('<main>\n<p id="body">B</p>\n</main>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('holds no script and loads nothing: CSS inline, no external URL', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toMatch(/<style>[\s\S]+<\/style>/);
  });
});

describe('REPORT_CSP', () => {
  it('fetches nothing: no script source, images only from data: URIs', () => {
    const directives = Object.fromEntries(
      REPORT_CSP.split(';')
        .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['img-src']).toEqual(['data:']);
    expect(directives['script-src']).toBeUndefined();
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
  });
});

describe('badge and facts', () => {
  it('shows a status as a badge of class s-<status>, underscores as spaces', () => {
    expect(badge('upstream_failed')).toBe('<span class="status s-upstream_failed">upstream failed</span>');
  });

  it('makes a two-column table, leaving out rows without a value and escaping the label only', () => {
    expect(
      facts([
        ['a<b', '<code>x</code>'],
        ['gone', undefined],
      ]),
    ).toBe('<table class="facts"><tr><th>a&lt;b</th><td><code>x</code></td></tr></table>');
  });
});
