-- Procurement reports and public transparency (docs/reports.md).
--
-- Reports only read: every figure is computed at request time from the
-- invoice ledger (0019) and the catalog and contract tables, so a report
-- can never disagree with the invoices it sums. This migration adds what
-- the reading needs: the one definition of "invoiced" every report and
-- the usage certificate share (report_ledger), the certification scheme a
-- listing is counted under (report_listing_scheme), a per-listing per-day
-- view counter for vendors' statistics, and indexes for the scans.

-- Service-page views, one row per listing and Korea-time day, counted by
-- the service page itself (catalog.c) in the statement that reads the
-- listing. Only the count is kept: nothing about who looked.
CREATE TABLE listing_views (
	listing_id	bigint NOT NULL REFERENCES listings (id),
	day		date NOT NULL,
	views		bigint NOT NULL DEFAULT 1 CHECK (views >= 0),
	PRIMARY KEY (listing_id, day)
);

-- What counts as invoiced (metering-shared.md): invoices issued,
-- accepted, disputed or paid, and credit notes (negative amounts), never
-- drafts. One row per invoice or credit note of a billing month in
-- [p_from, p_to), with the dimensions reports break spend down by. NULL
-- filters match everything. A credit note counts in the month its own
-- row carries. Inlined by the planner (one SELECT, STABLE).
CREATE FUNCTION report_ledger(p_from date, p_to date, p_agency bigint,
    p_vendor bigint, p_type text, p_atype text)
RETURNS TABLE (invoice_id bigint, kind text, month date, contract_id bigint,
    org_id bigint, vendor_id bigint, listing_id bigint, service_type text,
    category_id integer, agency_type text, company_size text,
    supply_won bigint, vat_won bigint, total_won bigint)
LANGUAGE sql STABLE AS $$
	SELECT i.id, i.kind, i.month, i.contract_id, i.org_id, i.vendor_id,
	    c.listing_id, l.service_type, l.category_id, a.agency_type,
	    v.company_size, i.supply_won, i.vat_won, i.total_won
	FROM invoices i
	JOIN contracts c ON c.id = i.contract_id
	JOIN listings l ON l.id = c.listing_id
	JOIN organisations a ON a.id = i.org_id
	JOIN organisations v ON v.id = i.vendor_id
	WHERE i.status IN ('issued', 'accepted', 'disputed', 'paid')
	    AND i.month >= p_from AND i.month < p_to
	    AND (p_agency IS NULL OR i.org_id = p_agency)
	    AND (p_vendor IS NULL OR i.vendor_id = p_vendor)
	    AND (p_type IS NULL OR l.service_type = p_type)
	    AND (p_atype IS NULL OR a.agency_type = p_atype)
$$;

-- The one scheme a listing's spend is counted under, so that spend by
-- scheme sums to the total: the highest-ranked scheme of which it ever
-- held a verified certificate (its own, or its vendor's company-wide
-- one), whatever that certificate's state today; 'none' otherwise.
-- Ranking: CSAP, FedRAMP, ISO/IEC 27001, quality check, GS, CC. The three
-- small functions are the rule; report.c applies it to many listings at
-- once with them, report_listing_scheme() to one.
CREATE FUNCTION report_scheme_rank(p_scheme text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
	SELECT array_position(ARRAY['csap', 'fedramp', 'iso27001', 'quality',
	    'gs', 'cc'], p_scheme)
$$;
CREATE FUNCTION report_scheme_of_rank(p_rank integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce((ARRAY['csap', 'fedramp', 'iso27001', 'quality', 'gs',
	    'cc'])[p_rank], 'none')
$$;
CREATE FUNCTION report_scheme_counts(p_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT p_status IN ('valid', 'expired', 'suspended', 'revoked')
$$;
CREATE FUNCTION report_listing_scheme(p_listing bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT report_scheme_of_rank((SELECT min(report_scheme_rank(c.scheme))
	    FROM certificates c JOIN listings l ON l.id = p_listing
	    WHERE (c.listing_id = l.id OR (c.listing_id IS NULL
	        AND c.vendor_id = l.vendor_id))
	        AND report_scheme_counts(c.status)))
$$;

-- An organisation's, listing's or category's name in the reader's
-- language: English when asked for and there is one, else Korean.
CREATE FUNCTION report_name(p_ko text, p_en text, p_lang text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_lang = 'en' AND coalesce(p_en, '') <> '' THEN p_en
	    ELSE p_ko END
$$;

-- Month scans of the ledger (the reports' default period is a year).
CREATE INDEX invoices_report_idx ON invoices (month)
	INCLUDE (contract_id, org_id, vendor_id, kind, supply_won, vat_won,
	    total_won)
	WHERE status IN ('issued', 'accepted', 'disputed', 'paid');
CREATE INDEX contracts_activated_idx ON contracts (activated_at)
	WHERE activated_at IS NOT NULL;
CREATE INDEX quote_requests_listing_idx ON quote_requests (listing_id);
CREATE INDEX shortlist_items_listing_idx ON shortlist_items (listing_id);
CREATE INDEX certificates_status_idx ON certificates (status, expiry_date);
CREATE INDEX transition_cases_status_idx ON transition_cases (status)
	WHERE status = 'open';

CREATE INDEX listings_report_idx ON listings (id)
	INCLUDE (vendor_id, service_type, category_id, status);

-- Report results, kept until the data they read changes. report_version
-- counts changes to every table a report reads (statement triggers below;
-- not listing_views, whose report is never cached). A cached body is used
-- only under the version it was stored with; report_cached() reads the
-- version before it computes, so a body is never older than its version
-- (a commit in between only makes it newer, and the next version misses).
-- The version is a row, not a sequence: a writer's bump is seen only when
-- it commits, together with its data.
CREATE TABLE report_version (
	id		integer PRIMARY KEY CHECK (id = 1),
	n		bigint NOT NULL
);
INSERT INTO report_version VALUES (1, 1);

CREATE TABLE report_cache (
	key		text PRIMARY KEY CHECK (length(key) <= 300),
	version		bigint NOT NULL,
	body		jsonb NOT NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_cache_version_idx ON report_cache (version);

-- Bumped once per writing transaction, at its commit (a deferred
-- constraint trigger, the last thing the transaction does), so the lock
-- on the version row is only ever held by a transaction that is
-- committing and waits for nothing else: it cannot take part in a
-- deadlock cycle with the statements of other transactions.
CREATE FUNCTION report_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('gureum.report_bumped', true) = 'y' THEN
		RETURN NULL;
	END IF;
	PERFORM set_config('gureum.report_bumped', 'y', true);
	UPDATE report_version SET n = n + 1 WHERE id = 1;
	RETURN NULL;
END
$$;
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['invoices', 'contracts', 'certificates',
	    'certificate_events', 'listings', 'listing_versions',
	    'organisations', 'listing_reviews', 'transition_cases',
	    'quote_requests', 'shortlist_items', 'categories'] LOOP
		EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR '
		    'UPDATE OR DELETE ON %I DEFERRABLE INITIALLY DEFERRED '
		    'FOR EACH ROW EXECUTE FUNCTION report_version_bump()',
		    t || '_report_version', t);
	END LOOP;
END
$$;

-- A report's body for its HTML page: each array named in p_keys longer
-- than p_n + 1 rows keeps its first p_n rows and one more row summing
-- every number of the rest, so the page (top rows and "others") still
-- adds up to its total while reading a fraction of the rows; an array
-- named "-name" (a list, not a breakdown) keeps its first p_n rows.
CREATE FUNCTION report_trim(p_body jsonb, p_n integer, p_keys text[])
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(jsonb_object_agg(b.k, CASE WHEN '-' || b.k = ANY
	    (p_keys) AND jsonb_typeof(b.v) = 'array'
	    AND jsonb_array_length(b.v) > p_n THEN
	    (SELECT jsonb_agg(t.e ORDER BY t.i) FROM jsonb_array_elements(b.v)
	    WITH ORDINALITY t (e, i) WHERE t.i <= p_n)
	    WHEN b.k = ANY (p_keys)
	    AND jsonb_typeof(b.v) = 'array'
	    AND jsonb_array_length(b.v) > p_n + 1 THEN
	    (SELECT jsonb_agg(t.e ORDER BY t.i) FROM jsonb_array_elements(b.v)
	    WITH ORDINALITY t (e, i) WHERE t.i <= p_n) || jsonb_build_array(
	    coalesce((SELECT jsonb_object_agg(x.f, x.s) FROM (SELECT f.f,
	    sum((t.e ->> f.f)::numeric)::bigint AS s
	    FROM jsonb_array_elements(b.v) WITH ORDINALITY t (e, i)
	    CROSS JOIN LATERAL jsonb_object_keys(t.e) f (f)
	    WHERE t.i > p_n AND jsonb_typeof(t.e -> f.f) = 'number'
	    GROUP BY f.f) x), '{}') || '{"key": "others", "label": null}')
	    ELSE b.v END), '{}') FROM jsonb_each(p_body) b (k, v)
$$;

-- Runs one report statement (a constant of report.c with the parameters
-- $1..$7 of every report) or answers its cached result: one jsonb object
-- of the statement's single row. The key names the report, its resolved
-- filters, the language and the day; p_top (the HTML page) asks for the
-- body trimmed by report_trim() to 25 rows, cached beside the full one.
-- Stale entries go on every miss and the table keeps at most 500, so
-- varied filters cannot fill it.
CREATE FUNCTION report_cached(p_key text, p_sql text, p1 date, p2 date,
    p3 bigint, p4 bigint, p5 text, p6 text, p7 text, p_top text[])
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v	bigint;
	r	jsonb;
	k	text := p_key || CASE WHEN p_top IS NULL THEN '' ELSE '|top' END;
BEGIN
	SELECT n INTO v FROM report_version WHERE id = 1;
	SELECT body INTO r FROM report_cache WHERE key = k AND version = v;
	IF FOUND THEN
		RETURN r;
	END IF;
	IF p_top IS NOT NULL THEN
		r := report_trim(report_cached(p_key, p_sql, p1, p2, p3, p4,
		    p5, p6, p7, NULL), 25, p_top);
	ELSE
		EXECUTE 'SELECT to_jsonb(q) FROM (' || p_sql || ') q' INTO r
		    USING p1, p2, p3, p4, p5, p6, p7;
	END IF;
	DELETE FROM report_cache WHERE version < v;
	DELETE FROM report_cache WHERE key IN (SELECT key FROM report_cache
	    ORDER BY at DESC OFFSET 499);
	INSERT INTO report_cache (key, version, body) VALUES (k, v, r)
	    ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version,
	    body = EXCLUDED.body, at = now()
	    WHERE report_cache.version <= EXCLUDED.version;
	RETURN r;
END
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE ON listing_views TO gureum_app;
		GRANT SELECT, UPDATE ON report_version TO gureum_app;
		GRANT SELECT, INSERT, UPDATE, DELETE ON report_cache TO gureum_app;
	END IF;
END
$$;
