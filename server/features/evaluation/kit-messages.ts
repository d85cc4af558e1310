/** The interview kit's compact form (issue 13), merged into the evaluation catalogue. */
export const kitMessages = {
  fr: {
    'evaluation.kit.details': 'Niveaux, questions et commentaire',
    'evaluation.kit.progress': '{n} critère(s) renseigné(s) sur {total}',
    'evaluation.kit.autosaved': 'Brouillon enregistré automatiquement à {time}.',
    'evaluation.kit.autosaveFailed': 'Le brouillon n’a pas pu être enregistré automatiquement : utilisez « Enregistrer le brouillon ».',
  },
  en: {
    'evaluation.kit.details': 'Levels, questions and comment',
    'evaluation.kit.progress': '{n} of {total} criteria filled in',
    'evaluation.kit.autosaved': 'Draft saved automatically at {time}.',
    'evaluation.kit.autosaveFailed': 'The draft could not be saved automatically: use “Save draft”.',
  },
};
