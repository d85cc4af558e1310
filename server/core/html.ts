/** Escaping for the few places that build HTML outside EJS (mail bodies). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template that escapes every interpolated value unless wrapped in `raw()`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0];
  values.forEach((v, i) => {
    out += (v instanceof RawHtml ? v.value : escapeHtml(v)) + strings[i + 1];
  });
  return out;
}

export class RawHtml {
  constructor(public readonly value: string) {}
}
export const raw = (value: string) => new RawHtml(value);
