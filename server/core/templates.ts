/**
 * Views are compiled without EJS's `with (locals) { … }`, which makes V8 look every name of a
 * template up through a dynamic scope (no optimisation of the template's code). Instead each
 * template starts by declaring, as plain variables read from its data, every name its code
 * uses that is not JavaScript's own (a keyword, a global such as Math or JSON) or EJS's
 * (include, locals): `<% var rows = locals.rows, t = locals.t, …; { %>…<% } %>`. The block keeps
 * the template's own top-level declarations (`<% const x = … %>`) apart from those variables.
 * A name that is not in the data reads as undefined, as `typeof x !== 'undefined'` expects.
 * Taking too many names (a word of a string, an object key) costs an undefined variable;
 * missing one would be a ReferenceError, so every identifier of the code that does not follow
 * a dot is taken. test/core/templates.test.ts renders every view both ways.
 */

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof ' +
    'new null return super switch this throw true try typeof var void while with yield let static of async await undefined NaN Infinity ' +
    'arguments eval get set'
  ).split(' '),
);
/** The compiled function's own parameters and helpers (ejs.js). */
const EJS_NAMES = new Set(['locals', 'escapeFn', 'include', 'rethrow', '__output', '__append', '__line', '__lines', '__filename', '__locals']);

const TAG = /<%(?!%)([_=#-]?)([\s\S]*?)[-_]?%>/g;
const IDENTIFIER = /(?<![.\w$])[A-Za-z_$][\w$]*/g;

/** The names a template's code reads from its data. */
export function templateNames(text: string): string[] {
  const names = new Set<string>();
  for (const [, kind, code] of text.matchAll(TAG)) {
    if (kind === '#') continue;
    // A spread (`...rows`) reads a name; a single dot reads a property.
    for (const [name] of code!.replaceAll('...', ' ').matchAll(IDENTIFIER)) {
      if (!RESERVED.has(name) && !EJS_NAMES.has(name) && !(name in globalThis)) names.add(name);
    }
  }
  return [...names].sort();
}

/** The template's text with its data's names declared first (see above). */
export function declareLocals(text: string): string {
  const names = templateNames(text);
  if (!names.length) return text;
  return `<% var ${names.map((n) => `${n} = locals.${n}`).join(', ')}; { %>${text}<% } %>`;
}
