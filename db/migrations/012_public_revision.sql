-- One counter for everything the public pages (job board, posting pages, careers pages) show:
-- postings, their CPTS and regions. The in-process page cache (server/core/page-cache.ts)
-- serves a stored page only while this counter is unchanged, so a posting edited, published or
-- closed by any process (web, scheduler, CLI job) is never served stale.
CREATE TABLE public_revision (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  revision  INTEGER NOT NULL
);
INSERT INTO public_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER public_revision_postings_ins AFTER INSERT ON postings BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_postings_upd AFTER UPDATE ON postings BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_postings_del AFTER DELETE ON postings BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_organisations_ins AFTER INSERT ON organisations BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_organisations_upd AFTER UPDATE ON organisations BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_organisations_del AFTER DELETE ON organisations BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_regions_ins AFTER INSERT ON regions BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_regions_upd AFTER UPDATE ON regions BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER public_revision_regions_del AFTER DELETE ON regions BEGIN UPDATE public_revision SET revision = revision + 1 WHERE id = 1; END;
