// The statement's sanitizer in Chromium (DOMPurify needs a real DOM): an exercise README keeps
// what Markdown produces and loses everything else (styles, scripts, frames, forms, handlers).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SANITIZE, markdownHtml } from '../../client/src/room/markdown.ts';
import { CHROMIUM, CHROMIUM_ARGS, SKIP_BROWSER_TESTS } from './harness.ts';

const PURIFY = createRequire(import.meta.url).resolve('dompurify/dist/purify.min.js');

let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (SKIP_BROWSER_TESTS) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: PURIFY });
});
afterAll(async () => {
  await browser?.close();
});

/** The statement's HTML as the room renders it: marked here, DOMPurify (the same config) in the page. */
async function render(markdown: string): Promise<string> {
  const html = markdownHtml(markdown);
  return page.evaluate(([h, config]) => (window as unknown as { DOMPurify: { sanitize(h: string, c: unknown): string } }).DOMPurify.sanitize(h, config), [html, SANITIZE] as const);
}

describe.skipIf(SKIP_BROWSER_TESTS)('statement sanitizer', () => {
  it('keeps what Markdown produces', async () => {
    const html = await render(
      [
        '# Title',
        '',
        'Some *em*, **strong**, ~~gone~~, `code` and a [link](https://example.com "tip") and ![alt](pic.png).',
        '',
        '> quoted',
        '',
        '3. three',
        '4. four',
        '',
        '- item',
        '',
        '| left | right |',
        '| :--- | ----: |',
        '| a | b |',
        '',
        '```c',
        'int main(void) { return 0; }',
        '```',
        '',
        '---',
      ].join('\n'),
    );
    for (const piece of [
      '<h1>Title</h1>',
      '<em>em</em>',
      '<strong>strong</strong>',
      '<del>gone</del>',
      '<code>code</code>',
      '<a href="https://example.com" title="tip">link</a>',
      '<img src="pic.png" alt="alt">',
      '<blockquote>',
      '<ol start="3">',
      '<li>item</li>',
      '<th align="right">right</th>',
      '<td align="left">a</td>',
      '<pre><code class="language-c">',
      '<hr>',
    ]) {
      expect(html).toContain(piece);
    }
  });

  it('drops styles, scripts, frames, forms, event handlers and script URLs', async () => {
    const html = await render(
      [
        'Hello <style>body { display: none }</style> world',
        '',
        '<script>alert(1)</script>',
        '<iframe src="https://example.com"></iframe>',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<form action="https://example.com/steal"><input name="password"><button>Go</button><textarea></textarea><select><option>a</option></select></form>',
        '<img src="x.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<p style="position: fixed; inset: 0">cover</p>',
        '<svg><style>*{}</style><circle onload="alert(1)"></circle></svg>',
        '<math><mi>x</mi></math>',
        '<link rel="stylesheet" href="evil.css"><meta http-equiv="refresh" content="0;url=https://example.com">',
        '<div data-x="1" class="overlay" id="app">div</div>',
        '',
        '- [x] task',
      ].join('\n'),
    );
    for (const bad of [
      '<style',
      'display: none',
      '<script',
      'alert',
      '<iframe',
      '<object',
      '<embed',
      '<form',
      '<input',
      '<button',
      '<textarea',
      '<select',
      'onerror',
      'onload',
      'javascript:',
      'style=',
      '<svg',
      '<math',
      '<link',
      '<meta',
      '<div',
      'data-x',
      'id="app"',
    ]) {
      expect(html, bad).not.toContain(bad);
    }
    expect(html).toContain('Hello');
    expect(html).toContain('world');
    expect(html).toContain('<img src="x.png">');
    expect(html).toContain('cover');
  });
});
