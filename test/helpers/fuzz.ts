import fc from 'fast-check';

/** Hostile inputs for form fields: unicode, control characters, huge strings, payloads, wrong types. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  '../../../../etc/passwd',
  '\u0000\u0001\u0002',
  '\u202e\u200b\ufeff',
  '𝕮𝖔𝖔𝖗𝖉𝖔 🏥 — ça marche',
  '=HYPERLINK("http://evil.example")',
  '{{constructor.constructor("x")()}}',
  '<%= process.exit() %>',
  'a'.repeat(10_000),
  '-1',
  '1e309',
  'NaN',
];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.integer().map(String),
  // Repeated fields arrive as arrays; nested ones as objects (qs parser).
  fc.array(fc.constantFrom(...HOSTILE_STRINGS.slice(0, 6)), { minLength: 2, maxLength: 3 }),
  fc.dictionary(fc.constantFrom('a', 'b', '__proto__'), fc.constantFrom('x', '<b>')),
);

/** A form body with each field hostile, missing or well-formed at random. */
export function hostileForm(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([name, good]) => [name, fc.option(fc.oneof(good, hostileValue), { nil: undefined })] as const);
  return fc.record(Object.fromEntries(entries)).map((rec) => Object.fromEntries(Object.entries(rec).filter(([, v]) => v !== undefined)));
}

/** True when a raw HTML payload from the input appears unescaped in the page. */
export function hasUnescapedPayload(html: string): boolean {
  return html.includes('<script>alert(1)</script>') || html.includes('<img src=x onerror=alert(1)>');
}
