import { describe, expect, it } from 'vitest';
import { cspHash, escapeHtml, fill, jsonForScript, renderPage } from '../../src/report/html/template.js';

describe('jsonForScript', () => {
  it('cannot end the script element or the line, and parses back to the same value', () => {
    const value = { name: '</script><script>alert(1)</script>', sep: 'a\u2028b\u2029c', comment: '<!-- x -->', amp: 'a&b' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
});

describe('fill', () => {
  it('treats $ patterns literally and never substitutes inside a substituted value', () => {
    expect(fill('[@@A@@|@@B@@]', { '@@A@@': "$& $' $1 @@B@@", '@@B@@': 'b' })).toBe("[$& $' $1 @@B@@|b]");
  });
});

describe('renderPage', () => {
  it('writes a CSP that forbids the network and allows exactly the inlined scripts', () => {
    const scripts = [{ name: 'one', code: 'window.a = 1;' }, { name: 'two', code: 'window.b = 2;' }];
    const html = renderPage({ title: '<b>t</b>', css: 'body{}', scripts, dataJson: jsonForScript({ x: '</script>' }) });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).toContain(`script-src ${cspHash(scripts[0].code)} ${cspHash(scripts[1].code)}`);
    expect(csp).not.toMatch(/https?:/);
    expect(html).toContain('<title>&lt;b&gt;t&lt;/b&gt;</title>');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script[^>]+src=/);
  });
  it('refuses a script that would end its element early', () => {
    expect(() => renderPage({ title: 't', css: '', scripts: [{ name: 'bad', code: 'x = "</script>"' }], dataJson: '{}' })).toThrow(/bad cannot be inlined/);
  });
});
