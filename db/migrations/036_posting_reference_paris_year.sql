-- A posting's reference gives the year of its creation as people in France count it: a posting
-- created on 1 January at 00:30 in Paris (31 December, 23:30 UTC) is of the new year. At the turn
-- of the year Paris is on winter time, UTC+1 with no exception, so the Paris year is the UTC year
-- of created_at plus one hour. References already given stay as they are (they are permanent).
DROP TRIGGER posting_reference_assign;
CREATE TRIGGER posting_reference_assign AFTER INSERT ON postings WHEN NEW.reference IS NULL
BEGIN
  INSERT INTO posting_reference_counters (organisation_id, year, last_number)
    VALUES (NEW.organisation_id, CAST(strftime('%Y', NEW.created_at, '+1 hour') AS INTEGER), 1)
    ON CONFLICT (organisation_id, year) DO UPDATE SET last_number = last_number + 1;
  UPDATE postings SET reference = (
    SELECT printf('%d-%02d', c.year, c.last_number) FROM posting_reference_counters c
    WHERE c.organisation_id = NEW.organisation_id AND c.year = CAST(strftime('%Y', NEW.created_at, '+1 hour') AS INTEGER)
  ) WHERE id = NEW.id;
END;
