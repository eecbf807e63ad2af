-- Search filters and facets: what the indexer (app/ctl_index.c) stores in
-- each search document for the facet sidebar, the "most contracted"
-- order, and the outbox triggers that keep those fresh. docs/search.md
-- gives the semantics; tests/integration/search_facets.test.mjs checks the
-- index's counts against SQL written from the base tables.
--
-- One function computes a listing's facet values so that the full rebuild
-- and the indexer's incremental step index the same thing.

-- The facet values of a published listing, as jsonb:
--   category	[{code, name_ko, name_en}] of its category and every
--		ancestor (a parent selection matches its children); []
--		without a category
--   cert	schemes of certificates it holds (its own and its vendor's
--		company-wide ones) that were granted and not revoked:
--		in force, expired or suspended
--   cert_valid	schemes of those in force today (Korea time)
--   csap	CSAP grades satisfied by a granted CSAP certificate: a
--		grade satisfies itself and every lower one (상 ⊇ 중 ⊇ 하)
--   csap_valid	the same over CSAP certificates in force today
--   valid	whether any certificate is in force today
--   domestic	data centre in Korea; trial	a free-trial link exists
--   size	the vendor's company size (sme, midsize, large) or null
--   deploy	deployment model or null
--   availability	SLA availability target (percent, text) or null
--   runs_on	[{id, name_ko, name_en}] of the listings it runs on
--   contracts	contracts made on Gureum (active, suspended or ended), as
--		the service page counts them (app/catalog.c)
CREATE FUNCTION search_listing_facets(p_listing bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	WITH RECURSIVE l AS (
		SELECT l.*, v.company_size FROM listings l
		JOIN organisations v ON v.id = l.vendor_id
		WHERE l.id = p_listing
	), cat AS (
		SELECT c.id, c.parent_id, c.code, c.name_ko, c.name_en
		FROM categories c JOIN l ON c.id = l.category_id
		UNION
		SELECT p.id, p.parent_id, p.code, p.name_ko, p.name_en
		FROM categories p JOIN cat ON p.id = cat.parent_id
	), cert AS (
		SELECT c.scheme, c.grade, certificate_effective(c) AS eff
		FROM certificates c JOIN l ON c.vendor_id = l.vendor_id
		    AND (c.listing_id = l.id OR c.listing_id IS NULL)
		WHERE c.status IN ('valid', 'expired', 'suspended')
	), grades (g, rank) AS (
		VALUES ('high', 3), ('medium', 2), ('low', 1)
	)
	SELECT jsonb_build_object(
	    'category', coalesce((SELECT jsonb_agg(jsonb_build_object('code',
		code, 'name_ko', name_ko, 'name_en', name_en) ORDER BY code)
		FROM cat), '[]'),
	    'cert', coalesce((SELECT jsonb_agg(DISTINCT scheme) FROM cert),
		'[]'),
	    'cert_valid', coalesce((SELECT jsonb_agg(DISTINCT scheme)
		FROM cert WHERE eff = 'valid'), '[]'),
	    'csap', coalesce((SELECT jsonb_agg(DISTINCT s.g) FROM cert
		JOIN grades h ON h.g = cert.grade
		JOIN grades s ON s.rank <= h.rank
		WHERE cert.scheme = 'csap'), '[]'),
	    'csap_valid', coalesce((SELECT jsonb_agg(DISTINCT s.g) FROM cert
		JOIN grades h ON h.g = cert.grade
		JOIN grades s ON s.rank <= h.rank
		WHERE cert.scheme = 'csap' AND cert.eff = 'valid'), '[]'),
	    'valid', EXISTS (SELECT 1 FROM cert WHERE eff = 'valid'),
	    'domestic', coalesce(l.dc_location = 'domestic', false),
	    'trial', l.free_trial_url <> '',
	    'size', l.company_size,
	    'deploy', l.deployment_model,
	    'availability', l.availability_target::text,
	    'runs_on', coalesce((SELECT jsonb_agg(jsonb_build_object('id',
		h.id, 'name_ko', h.name_ko, 'name_en', h.name_en)
		ORDER BY h.id) FROM listing_runs_on r
		JOIN listings h ON h.id = r.runs_on_id
		WHERE r.listing_id = l.id), '[]'),
	    'contracts', (SELECT count(*) FROM contracts k
		WHERE k.listing_id = l.id
		AND k.status IN ('active', 'suspended', 'ended')))
	FROM l
$$;

-- "Most contracted": a contract entering or leaving the counted states
-- (active, suspended, ended) re-indexes its listing in the same
-- transaction.
CREATE FUNCTION search_outbox_contract() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_outbox (listing_id) VALUES (CASE TG_OP
	    WHEN 'DELETE' THEN OLD.listing_id ELSE NEW.listing_id END);
	PERFORM pg_notify('search', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER contracts_search_outbox_ins
	AFTER INSERT ON contracts FOR EACH ROW
	WHEN (NEW.status IN ('active', 'suspended', 'ended'))
	EXECUTE FUNCTION search_outbox_contract();
CREATE TRIGGER contracts_search_outbox_upd
	AFTER UPDATE OF status, listing_id ON contracts FOR EACH ROW
	WHEN ((NEW.status IN ('active', 'suspended', 'ended'))
	    IS DISTINCT FROM (OLD.status IN ('active', 'suspended', 'ended'))
	    OR NEW.listing_id IS DISTINCT FROM OLD.listing_id)
	EXECUTE FUNCTION search_outbox_contract();
CREATE TRIGGER contracts_search_outbox_del
	AFTER DELETE ON contracts FOR EACH ROW
	WHEN (OLD.status IN ('active', 'suspended', 'ended'))
	EXECUTE FUNCTION search_outbox_contract();

-- "Runs on": a link added or removed re-indexes the listing; a host
-- renamed re-indexes the listings that show its name in their facet.
CREATE FUNCTION search_outbox_runs_on() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO search_outbox (listing_id) VALUES (OLD.listing_id);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO search_outbox (listing_id) VALUES (NEW.listing_id);
	END IF;
	PERFORM pg_notify('search', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER listing_runs_on_search_outbox
	AFTER INSERT OR UPDATE OR DELETE ON listing_runs_on
	FOR EACH ROW EXECUTE FUNCTION search_outbox_runs_on();

CREATE FUNCTION search_outbox_host() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_outbox (listing_id)
	    SELECT r.listing_id FROM listing_runs_on r
	    WHERE r.runs_on_id = NEW.id;
	PERFORM pg_notify('search', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER listings_search_outbox_host
	AFTER UPDATE OF name_ko, name_en ON listings FOR EACH ROW
	WHEN (NEW.name_ko IS DISTINCT FROM OLD.name_ko
	    OR NEW.name_en IS DISTINCT FROM OLD.name_en)
	EXECUTE FUNCTION search_outbox_host();

-- A certificate whose expiry date has passed is no longer in force from
-- the next day in Korea, before the expiry job marks it: the indexer calls
-- this when the Korean date changes, so filters and badges follow at
-- midnight. Enqueues the listings showing a certificate still marked valid
-- that expired on or after p_since; returns how many rows it queued.
CREATE FUNCTION search_outbox_lapsed(p_since date) RETURNS integer
LANGUAGE sql AS $$
	WITH q AS (INSERT INTO search_outbox (listing_id)
		SELECT DISTINCT l.id FROM certificates c
		JOIN listings l ON l.vendor_id = c.vendor_id
		    AND (c.listing_id IS NULL OR c.listing_id = l.id)
		WHERE c.status = 'valid' AND c.expiry_date >= p_since
		AND c.expiry_date < kst_today() AND l.status = 'published'
		RETURNING 1)
	SELECT count(*)::integer FROM q
$$;
