import type { Catalogue } from '../../core/i18n.js';

/** French (the reference locale): the interview kit's compact form (issue 13), merged into the evaluation catalogue. */
const fr = {
  'evaluation.kit.details': 'Niveaux, questions et commentaire',
  'evaluation.kit.progress': 'Critères renseignés : {n} sur {total}',
  'evaluation.kit.autosaved': 'Brouillon enregistré automatiquement à {time}.',
  'evaluation.kit.autosaveFailed': 'Le brouillon n’a pas pu être enregistré automatiquement : utilisez « Enregistrer le brouillon ».',
} satisfies Catalogue;
export default fr;
