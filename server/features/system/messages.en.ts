import type { CatalogueLike } from '../../core/i18n.js';
import type fr from './messages.fr.js';

/** English: the same keys and arguments as the French file. */
const en: CatalogueLike<typeof fr> = {
  'landing.title': 'Recruit and welcome your CPTS’s coordination',
  'landing.lead': 'Coordo supports CPTS boards and regional project officers: pre-drafted postings, applications, panels scoring the required qualities, interviews, then an onboarding path tied to the regional network of coordinators.',
  'landing.jobs': 'See job offers',
  'landing.login': 'CPTS area',
  'landing.step1.title': 'Postings ready to adapt',
  'landing.step1.body': 'Job description templates for coordination and case management, written from the missions and qualities required.',
  'landing.step2.title': 'A panel that scores independently',
  'landing.step2.body': 'Each panel member scores the candidates on job-related criteria before seeing the others’ opinion.',
  'landing.step3.title': 'Supported onboarding',
  'landing.step3.body': 'The new coordinator follows a path: the board, ARS and CPAM correspondents, local partners, the regional network and a peer.',
  'privacy.title': 'Personal data',
};
export default en;
