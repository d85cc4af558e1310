import type { Catalogue } from '../../core/i18n.js';

/** French (the reference locale): texts of the applications waiting for a reply (dashboard, digest, setting). */
const fr = {
  'waiting.title': 'Candidatures sans réponse depuis plus de {n} jours',
  'waiting.definition': 'Chaque candidat·e reçoit une réponse. Une candidature est sans réponse tant qu’elle est à l’étape « Nouvelle candidature » et que la CPTS ne lui a envoyé aucun courriel en dehors de l’accusé de réception (un courriel annulé ou retenu jusqu’au recrutement ne compte pas).',
  'waiting.setting': 'Changer le délai',
  'waiting.none': 'Aucune candidature n’attend de réponse au-delà du délai.',
  'waiting.count': '{n, plural, one {{n} candidature attend une réponse.} other {{n} candidatures attendent une réponse.}}',
  'waiting.caption': 'Candidatures sans réponse, les plus anciennes d’abord',
  'waiting.col.days': 'Jours d’attente',
  'waiting.form.title': 'Délai de réponse aux candidat·es',
  'waiting.form.label': 'Nombre de jours sans réponse avant qu’une candidature soit signalée',
  'waiting.form.hint': 'De 1 à 90 jours (15 par défaut). Les candidatures qui attendent plus longtemps figurent sur le tableau de bord du bureau et dans le récapitulatif quotidien.',
  'waiting.form.saved': 'Délai de réponse enregistré.',
  'waiting.errors.days': 'Indiquez un nombre de jours entre 1 et 90.',
} satisfies Catalogue;
export default fr;
