import type { Catalogue } from '../../core/i18n.js';

/** French (the reference locale) */
const fr = {
  'outbox.title': 'Courriels',
  'outbox.intro': 'Tous les courriels écrits par Coordo, du plus récent au plus ancien ({total}).',
  'outbox.noSmtp': 'Aucun serveur SMTP n’est configuré (variable SMTP_URL) : les courriels restent ici, lisibles, et ne partent pas. Transmettez vous-même un lien d’invitation si besoin.',
  'outbox.smtp': 'Les courriels sont envoyés par le serveur SMTP configuré, avec nouvelles tentatives en cas d’échec.',
  'outbox.filter': 'Filtrer par état',
  'outbox.filter.all': 'Tous',
  'outbox.filter.submit': 'Filtrer',
  'outbox.to': 'Destinataire',
  'outbox.subject': 'Objet',
  'outbox.status': 'État',
  'outbox.created': 'Écrit le',
  'outbox.sentAt': 'Envoyé le',
  'outbox.attempts': 'Tentatives',
  'outbox.lastError': 'Dernière erreur',
  'outbox.status.pending': 'En attente',
  'outbox.status.sending': 'En cours d’envoi',
  'outbox.status.sent': 'Envoyé',
  'outbox.status.failed': 'Échec',
  'outbox.text': 'Version texte',
  'outbox.html': 'Version HTML',
  'outbox.htmlFrame': 'Aperçu de la version HTML du courriel',
  'outbox.requeue': 'Renvoyer',
  'outbox.requeued': 'Le courriel a été remis dans la file d’envoi.',
  'outbox.back': 'Tous les courriels',
} satisfies Catalogue;
export default fr;
