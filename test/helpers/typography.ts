const NB = /[\u00a0\u202f]/;

/**
 * French typography faults of one message: a double punctuation mark (: ; ! ?) used as such
 * (followed by a space, the end, » or a closing parenthesis) without a no-break space before it,
 * guillemets without no-break spaces inside, € or % without one before. Colons of URLs and
 * times (https://, 14:30) and query strings (?a=1) are not followed by a space: they pass.
 */
export function frenchTypographyFaults(text: string): string[] {
  const faults: string[] = [];
  const at = (i: number) => `…${text.slice(Math.max(0, i - 12), i + 3)}…`;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const prev = text[i - 1] ?? '';
    const next = text[i + 1] ?? '';
    if (':;!?'.includes(ch) && (next === '' || /[\s»)]/.test(next)) && !NB.test(prev) && !':;!?'.includes(prev)) {
      faults.push(`no no-break space before “${ch}” in ${at(i)}`);
    }
    if (ch === '«' && !NB.test(next)) faults.push(`no no-break space after « in ${at(i)}`);
    if (ch === '»' && !NB.test(prev)) faults.push(`no no-break space before » in ${at(i)}`);
    if ((ch === '€' || ch === '%') && prev !== '' && prev !== '(' && !NB.test(prev)) faults.push(`no no-break space before ${ch} in ${at(i)}`);
  }
  return faults;
}
