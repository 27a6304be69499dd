// Markdown to HTML for statements: marked renders it, DOMPurify sanitizes it. The only HTML the
// app ever puts into the page (statement.ts), so this is where an exercise's README is held to
// what Markdown itself produces.
import DOMPurify, { type Config } from 'dompurify';
import { Marked, marked } from 'marked';

/**
 * What marked produces (GFM, raw HTML aside), and nothing else: no style (a README could cover or
 * restyle the room), no script, frame, object, form or control, no SVG or MathML, no event
 * handler, data or id attribute. Task-list checkboxes are inputs: they go too (the text stays).
 * DOMPurify still drops javascript: and other script URLs from href and src.
 */
export const SANITIZE: Config = {
  ALLOWED_TAGS: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'em',
    'strong',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  // class: the language of a code block (class="language-c"); align: table columns; start: a list's first number.
  ALLOWED_ATTR: ['href', 'title', 'src', 'alt', 'class', 'align', 'start'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

export function markdownHtml(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true });
}

export function renderMarkdown(markdown: string): string {
  return DOMPurify.sanitize(markdownHtml(markdown), SANITIZE);
}

/**
 * Chat messages are typed by people in the room, not by the exercise's author: inline formatting,
 * lists, quotes, links and code only. Raw HTML is shown as the text it is (someone writing
 * #include <stdio.h> means those characters), and an image as its alt text, so no message makes
 * the browsers in the room fetch an address of the sender's choosing. DOMPurify still runs after.
 */
export const CHAT_SANITIZE: Config = {
  ...SANITIZE,
  ALLOWED_TAGS: ['p', 'br', 'em', 'strong', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'],
  ALLOWED_ATTR: ['href', 'class', 'start'],
};

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// A line break in a message is a line break on screen, as in every chat.
const chatMarked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ text }) => escapeHtml(text),
  },
});

export function renderChatMarkdown(markdown: string): string {
  return DOMPurify.sanitize(chatMarked.parse(markdown, { async: false }), CHAT_SANITIZE);
}
