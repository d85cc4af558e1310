import type { NextFunction, Request, Response } from 'express';
import type { Translate } from './i18n.js';

/**
 * Error summaries name their field ("Prénom : ce champ est obligatoire.", WCAG 3.3.1).
 *
 * The summary is printed above the form, before the fields and their labels are rendered, and
 * labels come from many places (the field partial, hand-written radio groups, fieldsets). So
 * the summary marks each item with the id of the field it points to, and once the page is
 * rendered the item takes the label the page shows for that id: the `<label for>` text, or the
 * `<legend>` of the fieldset around a radio or checkbox group. One rule for every form, and the
 * summary can never name a field differently from the form itself.
 */

const ITEM = /<a href="#([^"]+)" data-error-item>([\s\S]*?)<\/a>/g;
const TAG = /<(\/?)(fieldset|legend|label)\b([^>]*)>|\sid="([^"]+)"/gi;

type Labels = { byFor: Map<string, string>; legendOf: Map<string, string>; ids: Set<string> };

/** Text of an HTML fragment as read aloud: tags out, the "(obligatoire)" marker out, spaces folded. */
function labelText(fragment: string): string {
  return fragment
    .replace(/<span class="req">[\s\S]*?<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The labels of a rendered page: `<label for>` texts, the legend around each id, every id. */
export function pageLabels(html: string): Labels {
  const byFor = new Map<string, string>();
  const legendOf = new Map<string, string>();
  const ids = new Set<string>();
  // Open fieldsets, innermost last; each remembers its legend and the ids met inside it.
  const fieldsets: { legend?: string; members: string[] }[] = [];
  let legendStart = -1;
  let labelStart = -1;
  let labelFor: string | undefined;
  for (const m of html.matchAll(TAG)) {
    const [whole, closing, tagName, attrs, id] = m;
    const at = m.index;
    if (id !== undefined) {
      ids.add(id);
      fieldsets.at(-1)?.members.push(id);
      continue;
    }
    const tag = tagName!.toLowerCase();
    const ownId = closing ? undefined : /\sid="([^"]+)"/.exec(attrs ?? '')?.[1];
    if (ownId) ids.add(ownId);
    if (tag === 'fieldset') {
      if (!closing) fieldsets.push({ members: ownId ? [ownId] : [] });
      else {
        const done = fieldsets.pop();
        if (done?.legend) for (const member of done.members) if (!legendOf.has(member)) legendOf.set(member, done.legend);
        // An id inside a nested fieldset is inside the outer one too (its own legend wins).
        if (done) fieldsets.at(-1)?.members.push(...done.members);
      }
    } else if (tag === 'legend') {
      if (!closing) legendStart = at + whole.length;
      else if (legendStart >= 0) {
        const current = fieldsets.at(-1);
        if (current && current.legend === undefined) current.legend = labelText(html.slice(legendStart, at));
        legendStart = -1;
      }
    } else if (!closing) {
      labelFor = /\sfor="([^"]+)"/.exec(attrs ?? '')?.[1];
      labelStart = at + whole.length;
    } else if (labelFor && labelStart >= 0) {
      if (!byFor.has(labelFor)) byFor.set(labelFor, labelText(html.slice(labelStart, at)));
      labelFor = undefined;
      labelStart = -1;
    }
  }
  return { byFor, legendOf, ids };
}

/** "Ce champ est obligatoire." -> "ce champ est obligatoire." after the label; acronyms ("CV", "ARS") keep their capitals. */
function continuing(message: string): string {
  return /^\p{Lu}\p{Ll}/u.test(message) ? message[0]!.toLocaleLowerCase('fr') + message.slice(1) : message;
}

/**
 * The page with each summary item naming its field. Radio and checkbox groups are named by
 * their legend (the label of the first option names the option, not the question).
 */
export function nameSummaryFields(html: string, t: Translate): string {
  if (!html.includes('data-error-item')) return html;
  const labels = pageLabels(html);
  const inputs = [...html.matchAll(/<input\b[^>]*>/g)].map(([tag]) => ({ id: /\sid="([^"]+)"/.exec(tag)?.[1], name: /\sname="([^"]+)"/.exec(tag)?.[1], type: /\stype="([^"]+)"/.exec(tag)?.[1] }));
  // A radio group, or several checkboxes of one name, is one question: its legend names it.
  const groupInput = (id: string) => {
    const input = inputs.find((i) => i.id === id);
    if (!input) return false;
    return input.type === 'radio' || (input.type === 'checkbox' && inputs.filter((i) => i.name === input.name).length > 1);
  };
  return html.replace(ITEM, (whole, id: string, message: string) => {
    const legend = labels.legendOf.get(id);
    const label = (legend && groupInput(id) ? legend : undefined) ?? labels.byFor.get(id) ?? legend;
    // Left as it was (still marked) when the page has no such field: the test over every form finds it.
    if (!labels.ids.has(id) || !label) return whole;
    return `<a href="#${id}">${t('form.errorItem', { label, message: continuing(message.trim()) })}</a>`;
  });
}

/**
 * Wraps `res.render` so that a page rendered with field errors gets its summary named. Pages
 * without errors are rendered as before (no second look at their HTML).
 */
export function errorSummaryLabels(_req: Request, res: Response, next: NextFunction): void {
  type Done = (err: Error | null, html: string) => void;
  const render = res.render.bind(res) as (view: string, options?: object, callback?: Done) => void;
  res.render = ((view: string, options?: object, callback?: Done) => {
    if (typeof options === 'function') return render(view, {}, options as Done);
    const errors = (options as { errors?: object } | undefined)?.errors ?? (res.locals.errors as object | undefined);
    if (callback || !errors || !Object.keys(errors).length) return render(view, options, callback);
    render(view, options, (err, html) => {
      if (err) return res.req.next!(err);
      res.send(nameSummaryFields(html, res.locals.t as Translate));
    });
  }) as Response['render'];
  next();
}
