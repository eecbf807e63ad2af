-- The search outbox: every change to a listing (or to what its search
-- document shows, such as its vendor's name) leaves a row here in the same
-- transaction, and a NOTIFY wakes the indexer (`gureumctl indexer`), which
-- applies the rows to the live index and deletes them. PostgreSQL stays the
-- truth; the outbox only says which documents to rebuild from it.

CREATE TABLE search_outbox (
	id		bigserial PRIMARY KEY,
	listing_id	bigint NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION search_outbox_listing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_outbox (listing_id)
	    VALUES (CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END);
	PERFORM pg_notify('search', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER listings_search_outbox
	AFTER INSERT OR UPDATE OR DELETE ON listings
	FOR EACH ROW EXECUTE FUNCTION search_outbox_listing();

-- A vendor's name or status shows on (or hides) all its listings.
CREATE FUNCTION search_outbox_vendor() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_outbox (listing_id)
	    SELECT id FROM listings WHERE vendor_id = NEW.id;
	PERFORM pg_notify('search', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER organisations_search_outbox
	AFTER UPDATE OF name_ko, name_en, status ON organisations
	FOR EACH ROW WHEN (NEW.kind = 'vendor')
	EXECUTE FUNCTION search_outbox_vendor();

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT ON search_outbox TO gureum_app;
		GRANT USAGE ON SEQUENCE search_outbox_id_seq TO gureum_app;
	END IF;
END
$$;
