import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = ['h2', 'h3', 'h4', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'strong', 'em', 'blockquote', 'code', 'pre', 'a'];

/**
 * Markdown typed by a bureau, as HTML safe to insert in a page: marked, then sanitize-html with
 * an allow-list (no attributes but href on links, and only http, https and mailto). A page
 * title stays the only h1, so headings start at h2.
 */
export function renderMarkdown(md: string): string {
  const rendered = marked.parse(md ?? '', { async: false, gfm: true, breaks: false });
  return sanitizeHtml(rendered, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: { h1: 'h2', h5: 'h4', h6: 'h4' },
  });
}

/** Plain text of some Markdown, for feeds, meta descriptions and mails. */
export function markdownToText(md: string): string {
  return sanitizeHtml(marked.parse(md ?? '', { async: false }), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
