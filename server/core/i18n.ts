import IntlMessageFormat from 'intl-messageformat';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Catalogue = Record<string, string>;
/** A catalogue with exactly the keys of another (the English file typed after the French one). */
export type CatalogueLike<T> = { [K in keyof T]: string };
export type Messages = { fr: Catalogue; en: Catalogue };
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** The BCP 47 tag each locale formats with (plural rules, numbers inside messages). */
const INTL_TAG: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** A message made only of text and `{name}` arguments, as its pieces (an argument as `{ arg }`). */
type Simple = (string | { arg: string })[];

type Compiled = { format: IntlMessageFormat; args: string[]; plain: string | null; simple: Simple | null };

/**
 * Compiles one ICU MessageFormat message: plurals (`{n, plural, one {…} other {…}}`, where
 * French `one` covers 0 and 1) and selects. Tags are not syntax here (`<` is text), and a
 * literal brace is written quoted (`'{{'conditions'}}'`). Throws on a syntax error.
 */
export function compileMessage(message: string, locale: Locale): Compiled {
  const format = new IntlMessageFormat(message, INTL_TAG[locale], undefined, { ignoreTag: true });
  const ast = format.getAst() as readonly AstNode[];
  const args = argumentNames(ast);
  return { format, args, plain: args.length === 0 ? String(format.format()) : null, simple: simplePieces(ast) };
}

/**
 * The pieces of a message without plural, select, number or date elements, or null. Such a
 * message formats as its text with each argument as `String(value)`, which is what
 * IntlMessageFormat does for it (test/core/i18n.test.ts checks every catalogue message), for
 * a fraction of its cost: a regional dashboard formats ~600 messages.
 */
function simplePieces(ast: readonly AstNode[]): Simple | null {
  const pieces: Simple = [];
  for (const node of ast) {
    if (node.type === 0 && typeof node.value === 'string') pieces.push(node.value);
    else if (node.type === 1 && typeof node.value === 'string') pieces.push({ arg: node.value });
    else return null;
  }
  return pieces;
}

/** Formats a compiled message: the simple path when it has one, IntlMessageFormat otherwise. */
export function formatCompiled(c: Compiled, params: Record<string, string | number> | undefined): string {
  if (c.plain !== null) return c.plain;
  if (c.simple) {
    let out = '';
    for (const piece of c.simple) {
      if (typeof piece === 'string') out += piece;
      else out += params && Object.hasOwn(params, piece.arg) ? String(params[piece.arg]) : `{${piece.arg}}`;
    }
    return out;
  }
  const values: Record<string, string | number> = {};
  for (const name of c.args) values[name] = params && Object.hasOwn(params, name) ? params[name] : `{${name}}`;
  return String(c.format.format(values));
}

type AstNode = { type: number; value?: unknown; options?: Record<string, { value: AstNode[] }>; children?: AstNode[] };

/** The names of a message's arguments, nested ones (inside plural and select branches) included, sorted. */
export function argumentNames(ast: readonly unknown[]): string[] {
  const names = new Set<string>();
  const walk = (nodes: readonly AstNode[]) => {
    for (const node of nodes) {
      // Literal (0) and pound (7) carry no name; every other element names its argument.
      if (node.type !== 0 && node.type !== 7 && typeof node.value === 'string') names.add(node.value);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
      if (node.children) walk(node.children);
    }
  };
  walk(ast as AstNode[]);
  return [...names].sort();
}

/** The simple `{name}` filling kept for text that is not a catalogue key (it may be anything). */
function fillPlain(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/**
 * The French-first catalogue, built from each feature's own messages. Each message is compiled
 * once per locale on first use and kept. English falls back to French for a key the English
 * file lacks (test/core/catalogues.test.ts keeps that from happening); an unknown key is
 * returned as is (so plain text passes through). A missing argument stays visible as `{name}`.
 */
export function createI18n(parts: Messages[]) {
  const fr: Catalogue = {};
  const en: Catalogue = {};
  for (const part of parts) {
    Object.assign(fr, part.fr);
    Object.assign(en, part.en);
  }
  const catalogues: Record<Locale, Catalogue> = { fr, en };
  const compiled: Record<Locale, Map<string, Compiled | null>> = { fr: new Map(), en: new Map() };

  function compiledOf(locale: Locale, key: string, template: string): Compiled | null {
    const cache = compiled[locale];
    let c = cache.get(key);
    if (c === undefined) {
      try {
        c = compileMessage(template, locale);
      } catch {
        // A message that does not compile is a catalogue bug (the catalogue test fails on it);
        // the page still shows its text rather than an error.
        c = null;
      }
      cache.set(key, c);
    }
    return c;
  }

  function translator(locale: Locale): Translate {
    return (key, params) => {
      const own = Object.hasOwn(catalogues[locale], key);
      const from: Locale = own ? locale : 'fr';
      if (!own && !Object.hasOwn(fr, key)) return params ? fillPlain(key, params) : key;
      const template = catalogues[from][key];
      const c = compiledOf(from, key, template);
      if (!c) return params ? fillPlain(template, params) : template;
      return formatCompiled(c, params);
    };
  }
  function has(key: string): boolean {
    return Object.hasOwn(fr, key);
  }
  return { translator, has, catalogues };
}
export type I18n = ReturnType<typeof createI18n>;


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

/**
 * Dates without time, by locale and UTC hour ("fr|2026-12-01T10"): formatting in the Paris time
 * zone costs a few microseconds (the pipeline board prints 100 dates a page). Since 1980 the
 * Paris offset is a whole hour and changes on the hour, so the hour of a UTC timestamp fixes
 * its Paris day. Bounded: cleared when full.
 */
const dayMemo = new Map<string, string>();
const DAY_MEMO_LIMIT = 20_000;
const UTC_ISO = /^(19[89]\d|2\d{3})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

export function formatDate(iso: string | null | undefined, locale: Locale, withTime = false): string {
  if (!iso) return '';
  if (!withTime && UTC_ISO.test(iso)) {
    const key = `${locale}|${iso.slice(0, 13)}`;
    let day = dayMemo.get(key);
    if (day === undefined) {
      day = formatDateUncached(`${iso.slice(0, 13)}:00:00.000Z`, locale, false);
      if (dayMemo.size >= DAY_MEMO_LIMIT) dayMemo.clear();
      dayMemo.set(key, day);
    }
    return day;
  }
  return formatDateUncached(iso, locale, withTime);
}

function formatDateUncached(iso: string, locale: Locale, withTime: boolean): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (locale === 'en') return dateFormat('en', withTime).format(d);
  // French writes the first day of a month as an ordinal: « 1er décembre 2026 ».
  let out = '';
  for (const part of dateFormat('fr', withTime).formatToParts(d)) out += part.type === 'day' && part.value === '1' ? '1er' : part.value;
  return out;
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
