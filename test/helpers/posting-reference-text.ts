/** Reading a page or a mail as a person does, and finding a posting's title without its reference (issue 13). */

/** How far after the title its reference may start: room for " (" and nothing else. */
const WINDOW = 4;

/** What a reader reads of a page: text with tags gone (scripts and styles dropped), entities decoded, spaces folded. */
export function readableText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\s\u00a0\u202f]+/g, ' ');
}

/**
 * The occurrences of `title` in `text` not followed within WINDOW characters by "Réf. <one of
 * refs>" (or the English "Ref. …"), each with some context. An occurrence that is the start of
 * one of `longer` (other postings' titles that begin with this one) is theirs to check.
 */
export function unreferenced(text: string, title: string, refs: string[], longer: string[] = []): string[] {
  const out: string[] = [];
  const marks = refs.flatMap((r) => [`Réf. ${r}`, `Ref. ${r}`]);
  for (let at = text.indexOf(title); at !== -1; at = text.indexOf(title, at + title.length)) {
    if (longer.some((l) => text.startsWith(l, at))) continue;
    const after = text.slice(at + title.length, at + title.length + WINDOW + 20);
    const ok = marks.some((m) => {
      const i = after.indexOf(m);
      return i !== -1 && i <= WINDOW && !/\d/.test(after.charAt(i + m.length));
    });
    if (!ok) out.push(`…${text.slice(Math.max(0, at - 40), at + title.length + 40)}…`);
  }
  return out;
}
