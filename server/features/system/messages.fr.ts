import type { Catalogue } from '../../core/i18n.js';

/** French (the reference locale): the public landing page. */
const fr = {
  'landing.title': 'Recruter et accueillir la coordination de votre CPTS',
  'landing.lead': 'Coordo accompagne les bureaux de CPTS et les chargé·es de mission régionaux : offres pré-rédigées, candidatures, jurys notés sur les qualités attendues, entretiens, puis parcours d’intégration relié au réseau régional des coordinateurs.',
  'landing.jobs': 'Voir les offres d’emploi',
  'landing.login': 'Espace des CPTS',
  'landing.step1.title': 'Des offres prêtes à adapter',
  'landing.step1.body': 'Modèles de fiche de poste pour la coordination et la gestion de cas, rédigés à partir des missions et qualités attendues.',
  'landing.step2.title': 'Un jury qui note de façon indépendante',
  'landing.step2.body': 'Chaque membre du jury évalue les candidatures sur des critères liés au poste, avant de voir l’avis des autres.',
  'landing.step3.title': 'Une intégration accompagnée',
  'landing.step3.body': 'Le nouveau coordinateur suit un parcours : bureau, correspondants ARS et CPAM, partenaires du territoire, réseau régional et pair.',
  'privacy.title': 'Données personnelles',
} satisfies Catalogue;
export default fr;
