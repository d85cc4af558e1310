-- Rate-limit counters shared by every worker process (express-rate-limit store,
-- server/core/rate-limit-store.ts): one fixed window per limiter and client key.
CREATE TABLE rate_limits (
  key       TEXT PRIMARY KEY,   -- '<limiter name>:<client key>'
  hits      INTEGER NOT NULL,
  reset_at  INTEGER NOT NULL    -- end of the window, ms since the epoch
) WITHOUT ROWID;
CREATE INDEX rate_limits_reset ON rate_limits(reset_at);
