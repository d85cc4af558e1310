/** "CPTS Sud-Loire Vignoble" -> "cpts-sud-loire-vignoble": readable, ASCII, stable. */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return slug || 'element';
}

/** The first of slug, slug-2, slug-3 ... that `taken` says is free. */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
  let candidate = base;
  for (let n = 2; taken(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}
