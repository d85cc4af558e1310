-- Every signed-in request loads the user's memberships (core/auth.ts, loadActor). The two
-- unique indexes on memberships are partial (organisation or region memberships), so SQLite
-- could use neither for `WHERE user_id = ?` and scanned the table (11,000 rows in the
-- benchmark, 0.3 ms per request).
CREATE INDEX memberships_user ON memberships(user_id);
