-- Applications anonymised by the retention job (or on erasure of a pooled profile): the
-- person's identity, contact, documents and free text are gone; the stage history, scores and
-- decision records stay as anonymous statistics. One row per application, no personal data.
CREATE TABLE retention_anonymisations (
  application_id   INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  reason           TEXT NOT NULL CHECK (reason IN ('process_ended', 'talent_pool_expired')),
  due_at           TEXT NOT NULL,
  anonymised_at    TEXT NOT NULL
);
CREATE INDEX retention_anonymisations_org ON retention_anonymisations(organisation_id);
