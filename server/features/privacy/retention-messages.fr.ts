import type { Catalogue } from '../../core/i18n.js';

/** French (the reference locale): retention preview and the bureau's GDPR actions (merged into the privacy catalogue). */
const fr = {
  'retention.title': 'Anonymisations à venir — {name}',
  'retention.link': 'Anonymisations à venir',
  'retention.intro':
    'Les candidatures non retenues sont anonymisées {retention} mois après la fin du processus (refus, désistement, offre pourvue ou close), ou {pool} mois après le dernier contact pour les personnes qui ont accepté de rejoindre le vivier. Identité, coordonnées, documents et textes libres sont supprimés ; l’historique des étapes, les notes d’évaluation et les décisions sont conservés sans identité. Voici les candidatures concernées dans les 30 prochains jours.',
  'retention.caption': 'Candidatures anonymisées dans les 30 prochains jours ({n})',
  'retention.none': 'Aucune candidature ne sera anonymisée dans les 30 prochains jours.',
  'retention.col.candidate': 'Candidature',
  'retention.col.org': 'CPTS',
  'retention.col.posting': 'Offre',
  'retention.col.stage': 'Étape',
  'retention.col.reason': 'Motif',
  'retention.col.due': 'Anonymisation le',
  'retention.candidate': 'Candidat·e n°{n}',
  'retention.reason.process_ended': 'Fin du processus le {date}',
  'retention.reason.talent_pool_expired': 'Vivier : dernier contact le {date}',
  'gdpr.title': 'Droits de la personne (RGPD)',
  'gdpr.intro': 'À la demande de la personne : lui remettre une copie de ses données (archive ZIP avec ses documents), ou effacer sa candidature. Ces actions sont enregistrées dans le journal d’audit.',
  'gdpr.export': 'Exporter ses données (ZIP)',
  'gdpr.back': 'Retour à la candidature',
  'gdpr.erase.link': 'Effacer à sa demande',
  'gdpr.erase.title': 'Effacer une candidature à la demande de la personne',
  'gdpr.erase.body':
    'La candidature de {name} à l’offre « {posting} » sera définitivement supprimée : identité, coordonnées, message, documents (fichiers compris), notes et historique. Le journal d’audit gardera seulement qu’un effacement a eu lieu. Cette action est irréversible.',
  'gdpr.erase.confirm': 'Je confirme que la personne a demandé l’effacement de ses données.',
  'gdpr.erase.submit': 'Effacer définitivement',
  'gdpr.errors.confirm': 'Cochez la case pour confirmer la demande d’effacement.',
  'gdpr.erased': 'La candidature a été effacée.',
} satisfies Catalogue;
export default fr;
