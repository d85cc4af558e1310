export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Catalogue = Record<string, string>;
/** A catalogue with exactly the keys of another (the English file typed after the French one). */
export type CatalogueLike<T> = { [K in keyof T]: string };
export type Messages = { fr: Catalogue; en: Partial<Catalogue> };
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * The French-first catalogue, built from each feature's own messages. English falls back to
 * French for a missing key; an unknown key is returned as is (so plain text passes through).
 */
export function createI18n(parts: Messages[]) {
  const fr: Catalogue = {};
  const en: Catalogue = {};
  for (const part of parts) {
    Object.assign(fr, part.fr);
    Object.assign(en, part.en);
  }
  const catalogues: Record<Locale, Catalogue> = { fr, en };

  // A template with parameters is split once into text and names (a board of 100 cards
  // translates a few hundred strings per page).
  const compiled = new Map<string, string[]>();
  const partsOf = (template: string): string[] => {
    let parts = compiled.get(template);
    if (!parts) {
      parts = template.split(/\{(\w+)\}/);
      compiled.set(template, parts);
    }
    return parts;
  };

  function translator(locale: Locale): Translate {
    return (key, params) => {
      const known = catalogues[locale][key] ?? fr[key];
      const template = known ?? key;
      if (!params) return template;
      // Text that is not a catalogue key is not kept (it may be anything).
      const parts = known === undefined ? template.split(/\{(\w+)\}/) : partsOf(template);
      if (parts.length === 1) return template;
      let out = parts[0];
      for (let i = 1; i < parts.length; i += 2) {
        const name = parts[i];
        out += (Object.hasOwn(params, name) ? String(params[name]) : `{${name}}`) + parts[i + 1];
      }
      return out;
    };
  }
  function has(key: string): boolean {
    return key in fr;
  }
  return { translator, has, catalogues };
}
export type I18n = ReturnType<typeof createI18n>;

export function pickLocale(acceptLanguage: string | undefined): Locale {
  // French first: English only when the browser prefers it over French.
  if (!acceptLanguage) return 'fr';
  const langs = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  const first = langs.find((l) => l.tag === 'fr' || l.tag === 'en');
  return first?.tag === 'en' ? 'en' : 'fr';
}

// Intl formatters are costly to build (tens of microseconds each) and a page of 500 cards
// formats 500 dates: one instance per locale and style, built on first use.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

function dateFormat(locale: Locale, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
      dateStyle: 'long',
      ...(withTime ? { timeStyle: 'short' } : {}),
      timeZone: 'Europe/Paris',
    });
    dateFormats.set(key, f);
  }
  return f;
}

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in France (YYYY-MM-DD): what deadlines, start and due dates are written in. */
export function parisDay(now = new Date()): string {
  return PARIS_DAY.format(now);
}

export function formatDate(iso: string | null | undefined, locale: Locale, withTime = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return dateFormat(locale === 'en' ? 'en' : 'fr', withTime).format(d);
}

export function formatNumber(n: number, locale: Locale): string {
  const l: Locale = locale === 'en' ? 'en' : 'fr';
  let f = numberFormats.get(l);
  if (!f) {
    f = new Intl.NumberFormat(l === 'fr' ? 'fr-FR' : 'en-GB');
    numberFormats.set(l, f);
  }
  return f.format(n);
}
