-- Invoiced amounts per contract and fiscal year, for the reports
-- (docs/reports.md, "Speed").
--
-- A report over a year reads ~10^5 invoices at the scale of the bench
-- (10,000 contracts); summing them per contract was most of a cold
-- report's time. report_cfy holds those sums, one row per contract and
-- fiscal year (the calendar year of the billing month), written by the
-- statement that writes the invoices: statement triggers below add what
-- a statement made count and take away what it made stop counting, in
-- one INSERT ... ON CONFLICT per statement, so a month close issuing
-- 10,000 invoices pays one aggregate, not 10,000 upserts. "Counts" is
-- report_ledger()'s rule (0023): issued, accepted, disputed or paid;
-- credit notes count negatively by their own amounts. Reports read it for
-- periods of whole years and the invoices themselves for any other
-- period, so both give the same figures (the reconciliation test compares
-- them on a generated year).
--
-- The triggers are the only writer. An owner who changes invoices with
-- triggers disabled (session_replication_role = replica, or DISABLE
-- TRIGGER) must call report_cfy_rebuild() in the same transaction; the
-- bench generator and the tests that clean up issued invoices do.

CREATE TABLE report_cfy (
	contract_id	bigint NOT NULL,
	fy		integer NOT NULL,
	org_id		bigint NOT NULL,
	vendor_id	bigint NOT NULL,
	supply		bigint NOT NULL,
	vat		bigint NOT NULL,
	total		bigint NOT NULL,
	invoices	bigint NOT NULL,
	credit_notes	bigint NOT NULL,
	PRIMARY KEY (contract_id, fy)
);
CREATE INDEX report_cfy_fy_idx ON report_cfy (fy) INCLUDE (contract_id,
    org_id, vendor_id, supply, vat, total, invoices, credit_notes);

-- The delta of one statement: + rows that count in its NEW TABLE, - rows
-- that counted in its OLD TABLE (the transition tables are named n and o
-- by the three triggers). Contract-years whose delta is zero (an update
-- that changed nothing that counts: acceptance, payment, sealing) are not
-- touched. Rows are locked in key order, so two statements that meet on
-- the same contracts wait for each other instead of deadlocking. A row
-- that no longer counts anything (only after an owner's repair; issued
-- invoices refuse DELETE) is removed, so the table holds only
-- contract-years with invoiced rows, as the invoices would.
CREATE FUNCTION report_cfy_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	src	text;
BEGIN
	src := CASE TG_OP
	    WHEN 'INSERT' THEN 'SELECT 1 AS s, n.* FROM n'
	    WHEN 'DELETE' THEN 'SELECT -1 AS s, o.* FROM o'
	    ELSE 'SELECT 1 AS s, n.* FROM n UNION ALL SELECT -1, o.* FROM o'
	    END;
	EXECUTE 'INSERT INTO report_cfy AS f (contract_id, fy, org_id,'
	    ' vendor_id, supply, vat, total, invoices, credit_notes)'
	    ' SELECT d.contract_id, extract(year FROM d.month)::integer,'
	    ' min(d.org_id), min(d.vendor_id), sum(d.s * d.supply_won),'
	    ' sum(d.s * d.vat_won), sum(d.s * d.total_won),'
	    ' coalesce(sum(d.s) FILTER (WHERE d.kind = ''invoice''), 0),'
	    ' coalesce(sum(d.s) FILTER (WHERE d.kind = ''credit_note''), 0)'
	    ' FROM (' || src || ') d'
	    ' WHERE d.status IN (''issued'', ''accepted'', ''disputed'','
	    ' ''paid'') GROUP BY 1, 2'
	    ' HAVING sum(d.s) FILTER (WHERE d.kind = ''invoice'') <> 0'
	    ' OR sum(d.s) FILTER (WHERE d.kind = ''credit_note'') <> 0'
	    ' OR sum(d.s * d.supply_won) <> 0 OR sum(d.s * d.vat_won) <> 0'
	    ' ORDER BY 1, 2'
	    ' ON CONFLICT (contract_id, fy) DO UPDATE SET'
	    ' supply = f.supply + EXCLUDED.supply,'
	    ' vat = f.vat + EXCLUDED.vat, total = f.total + EXCLUDED.total,'
	    ' invoices = f.invoices + EXCLUDED.invoices,'
	    ' credit_notes = f.credit_notes + EXCLUDED.credit_notes';
	IF TG_OP <> 'INSERT' THEN
		EXECUTE 'DELETE FROM report_cfy WHERE invoices = 0'
		    ' AND credit_notes = 0 AND contract_id IN'
		    ' (SELECT contract_id FROM o)';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER invoices_report_cfy_ins AFTER INSERT ON invoices
	REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION report_cfy_apply();
CREATE TRIGGER invoices_report_cfy_upd AFTER UPDATE ON invoices
	REFERENCING OLD TABLE AS o NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION report_cfy_apply();
CREATE TRIGGER invoices_report_cfy_del AFTER DELETE ON invoices
	REFERENCING OLD TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION report_cfy_apply();

-- The table recomputed from the invoices: after an owner's change with
-- triggers off, and once here for the invoices that exist.
CREATE FUNCTION report_cfy_rebuild() RETURNS bigint
LANGUAGE sql AS $$
	DELETE FROM report_cfy;
	WITH ins AS (INSERT INTO report_cfy (contract_id, fy, org_id,
	    vendor_id, supply, vat, total, invoices, credit_notes)
	    SELECT contract_id, extract(year FROM month)::integer,
	    min(org_id), min(vendor_id), sum(supply_won), sum(vat_won),
	    sum(total_won), count(*) FILTER (WHERE kind = 'invoice'),
	    count(*) FILTER (WHERE kind = 'credit_note') FROM invoices
	    WHERE status IN ('issued', 'accepted', 'disputed', 'paid')
	    GROUP BY 1, 2 RETURNING 1)
	SELECT count(*) FROM ins;
$$;
SELECT report_cfy_rebuild();

-- The catalog per year (GCLOUD_LS in report.c) reads every listing's
-- first version and creation time: both from indexes alone.
CREATE INDEX listing_versions_first_idx ON listing_versions (listing_id,
    created_at);
DROP INDEX listings_report_idx;
CREATE INDEX listings_report_idx ON listings (id)
	INCLUDE (vendor_id, service_type, category_id, status, created_at);

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE, DELETE ON report_cfy TO gureum_app;
	END IF;
END
$$;
