import type { Catalogue } from '../../core/i18n.js';

/** French (the reference locale): texts of the per-criterion rationale and the printable decision record. */
const fr = {
  'rationale.legend': 'Motifs par critère',
  'rationale.lead': 'Pour une proposition ou un recrutement, écrivez un motif pour chaque critère indispensable non atteint, et, si des candidat·es mieux classé·es sont encore en lice, pour au moins un critère. Pour un refus, ces motifs sont facultatifs.',
  'rationale.mustHave': 'Critère indispensable non atteint selon le jury : expliquez pourquoi vous passez outre.',
  'rationale.rank': '{n, plural, one {{n} candidature mieux classée encore en lice} other {{n} candidatures mieux classées encore en lice}} : dites, sur au moins un critère, ce qui justifie ce choix.',
  'rationale.below': 'La candidature la mieux classée obtient un meilleur score sur ce critère.',
  'rationale.optional': 'Facultatif.',
  'rationale.why.must_have': 'critère indispensable non atteint',
  'rationale.why.rank': 'choix d’une candidature moins bien classée',
  'rationale.why.note': 'précision',
  'rationale.reused': 'Motivation reprise de la décision de proposition.',
  'rationale.timing.legend': 'En cas de refus, quand envoyer le courriel ?',
  'rationale.print.link': 'Version imprimable (tout le détail, sans JavaScript)',
  'rationale.print.title': 'Registre des décisions – {posting} (version imprimable)',
  'rationale.print.printedAt': 'Édité le {date}.',
  'rationale.print.back': 'Retour au registre',
  'rationale.print.hint': 'Imprimez cette page avec la commande d’impression du navigateur (Ctrl+P ou ⌘+P) : tout le détail y figure déjà.',
  'evaluation.errors.mustHaveRationale': 'Ce critère indispensable n’est pas atteint selon le jury : écrivez pourquoi vous passez outre.',
  'evaluation.errors.rankRationale': 'Des candidatures mieux classées sont encore en lice : écrivez, sur au moins un critère, ce qui justifie ce choix.',
  'evaluation.errors.criterionTooLong': 'Le motif ne doit pas dépasser 1 000 caractères.',
  'evaluation.errors.offerRationaleIncomplete': 'La justification de la proposition ne couvre plus ce que le classement actuel demande (critère indispensable ou rang) : passez par le formulaire « Décision motivée » ou écrivez ici une nouvelle justification complète.',
} satisfies Catalogue;
export default fr;
