import type { CatalogueLike } from '../../core/i18n.js';
import type fr from './privacy-messages.fr.js';

/** English: the same keys and arguments as the French file. */
const en: CatalogueLike<typeof fr> = {
  'notice.intro': 'Coordo is used by CPTS (Communautés Professionnelles Territoriales de Santé) to recruit and welcome their coordinators and case managers. This page says which personal data it processes, why, for how long, and how to use your rights.',
  'notice.candidates': 'If you apply for a job',
  'notice.controller.label': 'Controller:',
  'notice.controller': 'the CPTS that publishes the job offer (its name and contact are on the offer).',
  'notice.purpose.label': 'Purpose:',
  'notice.purpose': 'assessing your application for this post only. We collect only what has a direct and necessary link with the post: identity, contact details, CV and documents you send, your message, and the panel’s job-related assessment (levels, comments, interview notes, reasoned decision).',
  'notice.recipients.label': 'Recipients:',
  'notice.recipients': 'the members of the hiring panel: the CPTS’s board members, the regional project officer who supports the hiring and, where relevant, an outside person invited onto the panel for this posting only. No commercial transfer, no transfer outside the European Union.',
  'notice.regionPool.label': 'Regional pool (optional):',
  'notice.regionPool': 'a separate consent, unticked by default, shares your application with the other CPTS of the region for similar posts once the recruitment is over. The regional officer then sees your identity, your message and the text of your documents (read on upload for the search) and may propose another CPTS’s posting: you get an e-mail naming it, and nothing is passed on without your acceptance; you then choose the documents passed on. You can withdraw this consent at any time from your private link; it lasts as the talent pool does ({pool} months after our last contact).',
  'notice.retention.label': 'Retention:',
  'notice.retention': 'until the end of the hiring process plus {months} months; if you agree to join the CPTS’s talent pool, at most {pool} months after our last contact. After that your data is anonymised: identity, contact details, documents, message, notes and comments are removed; only statistics without identity are kept (stages, levels, decisions).',
  'notice.mails.label': 'E-mails:',
  'notice.mails': 'e-mails to you come from a no-reply address; your answers go to the CPTS’s contact. Their copy is kept with your application and erased with it.',
  'notice.rights.label': 'Your rights:',
  'notice.rights': 'the personal link you receive by e-mail after applying lets you see your application, withdraw it, see and download everything the CPTS keeps about you (a printable summary, the data as JSON and your documents), or erase it all: erasure covers all your applications to this CPTS, e-mails and documents included. You can also write to the CPTS. You may lodge a complaint with the CNIL (cnil.fr).',
  'notice.staff': 'If you have a Coordo account',
  'notice.account': 'Your account: name, e-mail address, language and roles, kept while the account exists. A log of security-relevant actions (logins, invitations, document downloads, exports, erasures) is kept to protect candidates’ data; it holds no identity of erased people.',
  'notice.network': 'Regional network: your name, CPTS and role are visible to the network members of your region; the directory of ARS, CPAM and DAC correspondents (name, role, e-mail, phone) is kept by the regional project officers until they remove the entry; peer pairings and your answers to network meetings are kept while your account exists.',
  'notice.onboarding': 'Onboarding: if you are hired, your onboarding plan (steps, dates, comments, workload review) is visible to you, your CPTS’s board and your peer, and kept while your account exists.',
  'notice.staffMails': 'E-mails sent by Coordo (invitations, resets, notifications) stay readable by the instance administrator for 12 months, then are deleted.',
  'notice.cookies': 'Cookies',
  'notice.cookies.intro': 'Coordo sets only the cookies it needs to work; no tracking, analytics or advertising cookie, no third-party service.',
  'notice.cookies.name': 'Name',
  'notice.cookies.purpose': 'Purpose',
  'notice.cookies.duration': 'Duration',
  'notice.cookies.session': 'Session: keeps you logged in, and protects forms (the application form too) from being sent from another site.',
  'notice.cookies.sessionDuration': '8 hours at most; removed when you log out',
  'notice.cookies.lang': 'The language you chose with the language switch (set only if you use it).',
  'notice.cookies.langDuration': '12 months',
  'notice.hosting': 'Hosting',
  'notice.hosting.body': 'The data is hosted with the application, by the host chosen by the instance’s operator; Coordo uses no sub-processor. E-mail goes through the sending server configured by the operator. Backups follow the retention set by the operator: an erased person leaves the backups when those that held them are deleted.',
};
export default en;
