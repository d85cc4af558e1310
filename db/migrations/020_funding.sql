-- Funding check (ACI). Money in integer euros; rates and working time in whole per cent.

-- Operating amounts of the ACI (part "fonctionnement") per size class and calendar year, with
-- their source (arrêté, avenant) and its date. region_id NULL: the reference shipped with
-- Coordo; a region's own row for the same size and year takes precedence (the chargée de
-- mission corrects or confirms the amounts). A year without a row has no amount: nothing is
-- carried over from another year.
CREATE TABLE funding_envelopes (
  id           INTEGER PRIMARY KEY,
  region_id    INTEGER REFERENCES regions(id) ON DELETE CASCADE,
  size_class   INTEGER NOT NULL CHECK (size_class BETWEEN 1 AND 4),
  year         INTEGER NOT NULL CHECK (year BETWEEN 2019 AND 2100),
  amount       INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 10000000),
  source       TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
  source_date  TEXT NOT NULL,
  updated_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX funding_envelopes_region_unique ON funding_envelopes(region_id, size_class, year) WHERE region_id IS NOT NULL;
CREATE UNIQUE INDEX funding_envelopes_reference_unique ON funding_envelopes(size_class, year) WHERE region_id IS NULL;

-- What a CPTS records for the check: its ACI size, the year its contract started, and the
-- employer contribution rate it applies to a new post.
CREATE TABLE funding_profiles (
  organisation_id        INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  aci_size               INTEGER NOT NULL CHECK (aci_size BETWEEN 1 AND 4),
  aci_start_year         INTEGER NOT NULL CHECK (aci_start_year BETWEEN 2019 AND 2100),
  new_post_rate_percent  INTEGER NOT NULL CHECK (new_post_rate_percent BETWEEN 0 AND 100),
  updated_by             INTEGER REFERENCES users(id) ON DELETE SET NULL,
  updated_at             TEXT NOT NULL
);

-- Costs already committed each year: posts (gross yearly salary at full time, working time,
-- employer contribution rate) and other fixed costs (a yearly amount).
CREATE TABLE funding_commitments (
  id                     INTEGER PRIMARY KEY,
  organisation_id        INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind                   TEXT NOT NULL CHECK (kind IN ('post', 'other')),
  label                  TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  gross_salary           INTEGER CHECK (gross_salary IS NULL OR gross_salary BETWEEN 1 AND 1000000),
  fte_percent            INTEGER CHECK (fte_percent IS NULL OR fte_percent BETWEEN 1 AND 100),
  employer_rate_percent  INTEGER CHECK (employer_rate_percent IS NULL OR employer_rate_percent BETWEEN 0 AND 100),
  amount                 INTEGER CHECK (amount IS NULL OR amount BETWEEN 1 AND 10000000),
  created_by             INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  CHECK ((kind = 'post' AND gross_salary IS NOT NULL AND fte_percent IS NOT NULL AND employer_rate_percent IS NOT NULL AND amount IS NULL)
      OR (kind = 'other' AND amount IS NOT NULL AND gross_salary IS NULL AND fte_percent IS NULL AND employer_rate_percent IS NULL))
);
CREATE INDEX funding_commitments_organisation ON funding_commitments(organisation_id);

-- Reference amounts: the operating funding after avenant 2 to the ACI CPTS (signed on
-- 20 December 2021), as the project's domain notes give them (rounded figures). Shipped as
-- approximate and to be checked: the region confirms or corrects them, and adds later years.
WITH sizes(size_class, amount) AS (VALUES (1, 87500), (2, 105000), (3, 131250), (4, 157500)),
     years(year) AS (VALUES (2022), (2023), (2024), (2025), (2026))
INSERT INTO funding_envelopes (region_id, size_class, year, amount, source, source_date, updated_by, updated_at)
SELECT NULL, s.size_class, y.year, s.amount,
       'Avenant 2 à l’ACI CPTS, signé le 20 décembre 2021 : financement du fonctionnement (montants arrondis, à vérifier par la région)',
       '2021-12-20', NULL, '2026-12-01T00:00:00.000Z'
FROM sizes s CROSS JOIN years y;
