/**
 * Mails to candidates: the shipped French templates, the variables they may use, and the
 * rendering into the text and HTML bodies queued in the outbox. A CPTS may keep its own copy
 * of each template (table candidate_mail_templates); the shipped text is the fallback.
 */
import { mailLayout } from '../../core/mailer.js';
import { escapeHtml } from '../../core/html.js';

export const TEMPLATE_KEYS = ['receipt', 'interview', 'rejection', 'rejection_after_interview', 'offer'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** Variables a template may contain, written {name} in the subject and the body. */
export const TEMPLATE_VARIABLES = ['candidat', 'offre', 'cpts', 'contact', 'lien'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

export type MailTemplate = { key: TemplateKey; subject: string; body: string; customised: boolean; updated_at?: string | null };

export const DEFAULT_TEMPLATES: Record<TemplateKey, { subject: string; body: string }> = {
  receipt: {
    subject: 'Votre candidature au poste « {offre} » a bien été reçue',
    body: `Bonjour {candidat},

Nous avons bien reçu votre candidature au poste « {offre} » proposé par la {cpts}, et nous vous en remercions.

Le bureau de la CPTS étudie les candidatures avec l'appui de la chargée ou du chargé de mission régional. Nous reviendrons vers vous dès que possible, que votre candidature soit retenue ou non pour un entretien.

Vous pouvez suivre votre candidature, la retirer ou demander la suppression de vos données à cette adresse :
{lien}

Pour toute question : {contact}.

Bien cordialement,
Le bureau de la {cpts}`,
  },
  interview: {
    subject: 'Invitation à un entretien : {offre}',
    body: `Bonjour {candidat},

Votre candidature au poste « {offre} » a retenu toute l'attention du bureau de la {cpts}, et nous souhaitons vous rencontrer lors d'un entretien.

Nous vous contacterons très prochainement pour convenir d'une date. L'entretien portera sur les missions du poste et sur les compétences et qualités décrites dans l'offre.

Pour toute question : {contact}.

Bien cordialement,
Le bureau de la {cpts}`,
  },
  rejection: {
    subject: 'Votre candidature au poste « {offre} »',
    body: `Bonjour {candidat},

Nous vous remercions de l'intérêt que vous portez à la {cpts} et au poste « {offre} ».

Après examen attentif des candidatures reçues, nous ne sommes pas en mesure de donner une suite favorable à la vôtre pour ce poste.

Conformément à ce que nous vous avons indiqué, vos données seront supprimées à l'issue du recrutement, sauf si vous avez accepté de rejoindre notre vivier de candidatures.

Nous vous souhaitons une bonne continuation.

Bien cordialement,
Le bureau de la {cpts}`,
  },
  rejection_after_interview: {
    subject: 'Suite à votre entretien pour le poste « {offre} »',
    body: `Bonjour {candidat},

Nous vous remercions pour le temps que vous nous avez consacré lors de l'entretien pour le poste « {offre} » au sein de la {cpts}.

Après délibération, le jury a retenu une autre candidature dont le parcours correspond davantage aux besoins actuels de la CPTS. Cette décision ne remet pas en cause la qualité de votre parcours.

Si vous le souhaitez, nous pouvons échanger sur les éléments de cette décision : {contact}.

Bien cordialement,
Le bureau de la {cpts}`,
  },
  offer: {
    subject: 'Proposition pour le poste « {offre} »',
    body: `Bonjour {candidat},

Nous avons le plaisir de vous annoncer que le bureau de la {cpts} souhaite vous proposer le poste « {offre} ».

Nous vous contacterons rapidement pour vous présenter les conditions de la proposition (contrat, temps de travail, rémunération, date de prise de poste) et répondre à vos questions.

Pour toute question : {contact}.

Bien cordialement,
Le bureau de la {cpts}`,
  },
};

/** Sample values for the preview of a template. */
export const SAMPLE_VALUES: TemplateValues = {
  candidat: 'Claire Martin',
  offre: 'Coordinateur ou coordinatrice de CPTS (H/F)',
  cpts: 'CPTS Exemple',
  contact: 'Dr Hélène Moreau, contact@cpts-exemple.fr',
  lien: 'https://coordo.example/candidature/…',
};

/** Names between braces that are not known variables, e.g. {prenom}. */
export function unknownVariables(text: string): string[] {
  const names = [...text.matchAll(/\{([^{}\s]{1,40})\}/g)].map((m) => m[1]);
  return [...new Set(names.filter((n) => !(TEMPLATE_VARIABLES as readonly string[]).includes(n)))];
}

function fill(text: string, values: TemplateValues, encode: (v: string, name: TemplateVariable) => string): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => ((TEMPLATE_VARIABLES as readonly string[]).includes(name) ? encode(values[name as TemplateVariable], name as TemplateVariable) : m));
}

/** Subject, text and HTML of a template with its variables filled in (escaped in HTML). */
export function renderTemplate(template: { subject: string; body: string }, values: TemplateValues, footer: string) {
  const subject = fill(template.subject, values, (v) => v).replace(/[\r\n]+/g, ' ');
  const text = `${fill(template.body, values, (v) => v)}\n\n-- \n${footer}`;
  // Escape the template first (variables contain no HTML-special character), then insert
  // the escaped values; the private link becomes a real link.
  const paragraphs = escapeHtml(template.body.replace(/\r\n/g, '\n'))
    .split(/\n{2,}/)
    .map((para) => {
      const filled = fill(para, values, (v, name) => (name === 'lien' && /^https?:\/\//.test(v) ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v)));
      return `<p style="margin:0 0 12px;line-height:1.5">${filled.replace(/\n/g, '<br>')}</p>`;
    })
    .join('\n');
  return { subject, text, html: mailLayout(subject, paragraphs, escapeHtml(footer)) };
}
