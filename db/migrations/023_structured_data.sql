-- What search engines and job aggregators read about a posting's place and employer
-- (schema.org JobPosting): the CPTS's seat address, website and logo, and a posting's own
-- street address and postal code (its `location` stays the town). Blank means "not given".
ALTER TABLE organisations ADD COLUMN street_address TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN website_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';
ALTER TABLE postings ADD COLUMN street_address TEXT NOT NULL DEFAULT '';
ALTER TABLE postings ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';

-- Instance facts written once and never changed afterwards, such as the authority of the
-- Atom feed's tag: URIs (RFC 4151), so entry ids stay the same when BASE_URL changes.
CREATE TABLE instance_facts (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
