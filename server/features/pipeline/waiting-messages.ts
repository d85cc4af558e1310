import type { Messages } from '../../core/i18n.js';

/** Texts of the applications waiting for a reply (dashboard, digest, setting). */
export const waitingMessages: Messages = {
  fr: {
    'waiting.title': 'Candidatures sans réponse depuis plus de {n} jours',
    'waiting.definition': 'Chaque candidat·e reçoit une réponse. Une candidature est sans réponse tant qu’elle est à l’étape « Nouvelle candidature » et que la CPTS ne lui a envoyé aucun courriel en dehors de l’accusé de réception (un courriel annulé ou retenu jusqu’au recrutement ne compte pas).',
    'waiting.setting': 'Changer le délai',
    'waiting.none': 'Aucune candidature n’attend de réponse au-delà du délai.',
    'waiting.count': '{n} candidature(s) attendent une réponse.',
    'waiting.caption': 'Candidatures sans réponse, les plus anciennes d’abord',
    'waiting.col.days': 'Jours d’attente',
    'waiting.form.title': 'Délai de réponse aux candidat·es',
    'waiting.form.label': 'Nombre de jours sans réponse avant qu’une candidature soit signalée',
    'waiting.form.hint': 'De 1 à 90 jours (15 par défaut). Les candidatures qui attendent plus longtemps figurent sur le tableau de bord du bureau et dans le récapitulatif quotidien.',
    'waiting.form.saved': 'Délai de réponse enregistré.',
    'waiting.errors.days': 'Indiquez un nombre de jours entre 1 et 90.',
  },
  en: {
    'waiting.title': 'Applications without a reply for more than {n} days',
    'waiting.definition': 'Every candidate gets an answer. An application is without a reply while it is at the “New application” stage and the CPTS has sent the candidate no e-mail other than the acknowledgement (a cancelled e-mail, or one held until the hire, does not count).',
    'waiting.setting': 'Change the delay',
    'waiting.none': 'No application is waiting for a reply beyond the delay.',
    'waiting.count': '{n} application(s) waiting for a reply.',
    'waiting.caption': 'Applications without a reply, oldest first',
    'waiting.col.days': 'Days waiting',
    'waiting.form.title': 'Reply delay for candidates',
    'waiting.form.label': 'Days without a reply before an application is flagged',
    'waiting.form.hint': 'From 1 to 90 days (15 by default). Applications waiting longer appear on the bureau’s dashboard and in the daily digest.',
    'waiting.form.saved': 'Reply delay saved.',
    'waiting.errors.days': 'Give a number of days between 1 and 90.',
  },
};
