/** The forms of a rendered page (POST ones and GET filters), as a browser would submit them, for property tests over every form. */
export type FormField = { name: string; value: string; type: string };
export type HarvestedForm = { method: 'get' | 'post'; action: string; multipart: boolean; fields: FormField[] };

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m ? decode(m[1]!) : undefined;
};

export function formsIn(html: string): HarvestedForm[] {
  const out: HarvestedForm[] = [];
  for (const [, open, body] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const method = (attr(open!, 'method') ?? 'get').toLowerCase() === 'post' ? 'post' : 'get';
    const fields: FormField[] = [];
    const radios = new Set<string>();
    for (const [tag] of body!.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(tag, 'name');
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      if (!name || ['submit', 'button', 'reset', 'image'].includes(type)) continue;
      if (type === 'radio') {
        if (radios.has(name)) continue;
        radios.add(name);
      }
      fields.push({ name, type, value: attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '') });
    }
    for (const [, open2, text] of body!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attr(open2!, 'name');
      if (name) fields.push({ name, type: 'textarea', value: decode(text!) });
    }
    for (const [, open2, options] of body!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attr(open2!, 'name');
      if (!name) continue;
      const all = [...options!.matchAll(/<option\b([^>]*)>/gi)].map(([, o]) => ({ value: attr(`<x ${o}>`, 'value') ?? '', selected: /\sselected\b/.test(o!) }));
      const chosen = all.find((o) => o.selected) ?? all.find((o) => o.value !== '') ?? all[0];
      fields.push({ name, type: 'select', value: chosen?.value ?? '' });
    }
    out.push({ method, action: (attr(open!, 'action') ?? '').split('?')[0]!, multipart: /multipart\/form-data/i.test(attr(open!, 'enctype') ?? ''), fields });
  }
  return out;
}

/** Whether a concrete path is an instance of an Express route pattern (`:param` segments). */
export function matchesPattern(path: string, pattern: string): boolean {
  const source = pattern
    .split(/(:[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(path);
}
