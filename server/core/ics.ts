/**
 * What every calendar file the app writes has in common (interview invitations, network
 * events, the members' subscription feed): RFC 5545 content lines folded at 75 octets, and
 * the MIME type that says the text is UTF-8.
 */

export type IcsMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

/** The Content-Type of a calendar file or MIME part, with its charset (and method for mail). */
export function icsContentType(method?: IcsMethod): string {
  return method ? `text/calendar; charset=utf-8; method=${method}` : 'text/calendar; charset=utf-8';
}

/**
 * Folds one unfolded content line: at most 75 octets per physical line (RFC 5545 §3.1), a
 * continuation line starting with one space that counts toward its 75, and never a split
 * inside a UTF-8 sequence (the `ics` package counts characters, so accented text ran over).
 */
function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** Unfolds whatever folding a calendar text has, then folds every line at 75 octets with CRLF. */
export function foldIcs(text: string): string {
  const unfolded = text.replace(/\r?\n[ \t]/g, '');
  return unfolded
    .split(/\r?\n/)
    .map((line) => (line === '' ? line : foldLine(line)))
    .join('\r\n');
}

/** A TEXT value escaped for a content line (backslash, semicolon, comma, newline). */
export function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** A UTC instant as an iCalendar DATE-TIME in UTC: 20261203T133000Z. */
export function icsUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Europe/Paris as a VTIMEZONE (EU rules since 1996), for files written in Paris wall time. */
export const PARIS_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'X-LIC-LOCATION:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];
