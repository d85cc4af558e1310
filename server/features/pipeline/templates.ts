/**
 * Mails to candidates: the shipped templates (French and English: each candidate gets the
 * language they applied in), the variables they may use, and the
 * rendering into the text and HTML bodies queued in the outbox. A CPTS may keep its own copy
 * of each template (table candidate_mail_templates); the shipped text is the fallback.
 */
import { mailLayout } from '../../core/mailer.js';
import { escapeHtml } from '../../core/html.js';
import type { Locale } from '../../core/i18n.js';

export const TEMPLATE_KEYS = ['receipt', 'interview', 'rejection', 'rejection_after_interview', 'offer'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** Variables a template may contain, written {name} in the subject and the body. */
export const TEMPLATE_VARIABLES = ['candidat', 'offre', 'cpts', 'contact', 'lien'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

export type MailTemplate = { key: TemplateKey; subject: string; body: string; customised: boolean; updated_at?: string | null };

/** The shipped French templates, which the template editor starts from. */
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

/**
 * The shipped templates in English, for the candidates who applied in English. A CPTS edits
 * one copy of a template (in French, from DEFAULT_TEMPLATES); that copy is its own words and is
 * sent as written to every candidate: only the shipped text exists in both languages.
 */
export const DEFAULT_TEMPLATES_EN: Record<TemplateKey, { subject: string; body: string }> = {
  receipt: {
    subject: 'We have received your application for “{offre}”',
    body: `Dear {candidat},

Thank you for applying for the position “{offre}” offered by the {cpts}: we have received your application.

The board of the CPTS reviews the applications with the support of the regional officer. We will come back to you as soon as possible, whether or not your application is shortlisted for an interview.

You can follow your application, withdraw it or ask for your data to be deleted at this address:
{lien}

For any question: {contact}.

Kind regards,
The board of the {cpts}`,
  },
  interview: {
    subject: 'Invitation to an interview: {offre}',
    body: `Dear {candidat},

Your application for the position “{offre}” caught the attention of the board of the {cpts}, and we would like to meet you for an interview.

We will contact you very soon to agree on a date. The interview will cover the duties of the position and the skills and qualities described in the job posting.

For any question: {contact}.

Kind regards,
The board of the {cpts}`,
  },
  rejection: {
    subject: 'Your application for “{offre}”',
    body: `Dear {candidat},

Thank you for your interest in the {cpts} and in the position “{offre}”.

After careful consideration of the applications received, we are unable to take yours further for this position.

As we told you, your data will be deleted at the end of the recruitment, unless you agreed to join our talent pool.

We wish you all the best.

Kind regards,
The board of the {cpts}`,
  },
  rejection_after_interview: {
    subject: 'Following your interview for “{offre}”',
    body: `Dear {candidat},

Thank you for the time you gave us during the interview for the position “{offre}” at the {cpts}.

After deliberation, the panel chose another applicant whose background better matches the current needs of the CPTS. This decision does not call into question the quality of your background.

If you wish, we can talk about the reasons for this decision: {contact}.

Kind regards,
The board of the {cpts}`,
  },
  offer: {
    subject: 'Offer for the position “{offre}”',
    body: `Dear {candidat},

We are pleased to tell you that the board of the {cpts} would like to offer you the position “{offre}”.

We will contact you shortly to present the terms of the offer (contract, working time, salary, start date) and to answer your questions.

For any question: {contact}.

Kind regards,
The board of the {cpts}`,
  },
};

/** The shipped template of a key in a language. */
export function shippedTemplate(key: TemplateKey, locale: Locale): { subject: string; body: string } {
  return (locale === 'en' ? DEFAULT_TEMPLATES_EN : DEFAULT_TEMPLATES)[key];
}

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
export function renderTemplate(template: { subject: string; body: string }, values: TemplateValues, footer: string, locale: Locale = 'fr') {
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
  return { subject, text, html: mailLayout(subject, paragraphs, escapeHtml(footer), locale) };
}
