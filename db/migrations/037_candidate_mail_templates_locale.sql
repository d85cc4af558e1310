-- A CPTS's own copy of a candidate mail template, per language: each candidate gets their mails
-- in the language they applied in (migration 032), and a CPTS's French copy used to be sent as
-- written to English-speaking candidates too. The copies kept so far were written in the French
-- editor: they become the French copies. A language the CPTS has not written falls back to the
-- shipped text of that language. Rebuilt to move the uniqueness to (CPTS, template, language).
CREATE TABLE candidate_mail_templates_new (
  id               INTEGER PRIMARY KEY,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  template_key     TEXT NOT NULL CHECK (template_key IN ('receipt', 'interview', 'rejection', 'rejection_after_interview', 'offer')),
  locale           TEXT NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
  subject          TEXT NOT NULL,
  body             TEXT NOT NULL,
  updated_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (organisation_id, template_key, locale)
);
INSERT INTO candidate_mail_templates_new (id, organisation_id, template_key, locale, subject, body, updated_by, updated_at)
  SELECT id, organisation_id, template_key, 'fr', subject, body, updated_by, updated_at FROM candidate_mail_templates;
DROP TABLE candidate_mail_templates;
ALTER TABLE candidate_mail_templates_new RENAME TO candidate_mail_templates;
