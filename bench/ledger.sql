-- bench/ledger.sql: a deterministic invoice ledger for the reports'
-- reconciliation test and benchmark (docs/reports.md).
--
--   psql -X -v ON_ERROR_STOP=1 -d "$GUREUM_DATABASE" \
--       -v contracts=10000 -v year=2025 -v seed=1 -f bench/ledger.sql
--   psql ... -v drop=1 -f bench/ledger.sql     (remove it again)
--
-- Run as the database owner. Makes agencies (gen:ledger:agency:N, all four
-- agency types, each with one invited buyer who cannot sign in), then
-- :contracts contracts on the synthetic catalog of `gureumctl generate`
-- (published listings gen:listing:*); without one it makes its own small
-- catalog (vendors gen:ledger:vendor:N, listings gen:ledger:listing:N,
-- withdrawn so that search and the catalog pages do not show them). The
-- contracts start in the first half of :year and run 12 to 24 months;
-- half come from an accepted quote request. Every closed month (before
-- the current Korea-time month) of :year inside a contract's period gets
-- one invoice with two usage lines that sum to its supply amount, VAT by
-- docs/billing.md §8, statuses issued/accepted/disputed/paid and about 2%
-- drafts (which reports must not count), plus credit notes for about 3%
-- (negative, numbered in the same gapless per-vendor sequence). Service
-- page views are spread over the year. Everything comes from hashes of
-- (seed, row number): the same variables give the same rows.
--
-- A rerun first removes what an earlier run made (contracts are found by
-- client_token 'gen-ledger-…'), in one transaction.

\set ON_ERROR_STOP 1
\if :{?contracts}
\else
\set contracts 10000
\endif
\if :{?year}
\else
\set year 2025
\endif
\if :{?seed}
\else
\set seed 1
\endif
\if :{?drop}
\else
\set drop 0
\endif

BEGIN;
SELECT rolsuper AS is_super FROM pg_roles WHERE rolname = current_user \gset
\if :is_super
-- Later migrations may guard issued invoices against deletion; the owner
-- removing its own synthetic rows is the one exception, as for listings.
SET LOCAL session_replication_role = replica;
\endif

-- r(n, k): a reproducible number in [0, 2^31) per row n and purpose k.
CREATE FUNCTION pg_temp.r(n bigint, k integer, s integer) RETURNS bigint
LANGUAGE sql IMMUTABLE AS
$$ SELECT abs(hashint8(n * 7919 + k * 104729 + s * 15485863)::bigint) $$;

-- Remove an earlier run.
CREATE TEMP TABLE old_c AS
	SELECT id FROM contracts WHERE client_token LIKE 'gen-ledger-%';
CREATE TEMP TABLE old_i AS
	SELECT id FROM invoices WHERE contract_id IN (SELECT id FROM old_c);
DELETE FROM invoice_lines WHERE invoice_id IN (SELECT id FROM old_i);
DELETE FROM payments WHERE invoice_id IN (SELECT id FROM old_i);
DELETE FROM invoices WHERE id IN (SELECT id FROM old_i) AND kind = 'credit_note';
DELETE FROM invoices WHERE id IN (SELECT id FROM old_i);
DELETE FROM ceiling_alerts WHERE contract_id IN (SELECT id FROM old_c);
DELETE FROM transition_cases WHERE contract_id IN (SELECT id FROM old_c);
DELETE FROM contracts WHERE id IN (SELECT id FROM old_c);
CREATE TEMP TABLE old_a AS
	SELECT id FROM organisations WHERE external_ref LIKE 'gen:ledger:agency:%';
DELETE FROM quote_requests WHERE org_id IN (SELECT id FROM old_a);
DELETE FROM eligibility_decisions WHERE org_id IN (SELECT id FROM old_a);
DELETE FROM agency_systems WHERE org_id IN (SELECT id FROM old_a);
DELETE FROM notifications WHERE user_id IN
	(SELECT id FROM users WHERE org_id IN (SELECT id FROM old_a));
DELETE FROM users WHERE org_id IN (SELECT id FROM old_a);
DELETE FROM organisations WHERE id IN (SELECT id FROM old_a);
CREATE TEMP TABLE old_l AS
	SELECT id FROM listings WHERE external_ref LIKE 'gen:ledger:listing:%';
DELETE FROM listing_views WHERE listing_id IN (SELECT id FROM old_l)
	OR day BETWEEN make_date(:year, 1, 1) AND make_date(:year, 12, 31)
	AND listing_id IN (SELECT id FROM listings WHERE external_ref LIKE 'gen:%');
DELETE FROM certificate_events WHERE certificate_id IN (SELECT id FROM
	certificates WHERE external_ref LIKE 'gen:ledger:cert:%');
DELETE FROM certificates WHERE external_ref LIKE 'gen:ledger:cert:%';
UPDATE listings SET current_version = NULL WHERE id IN (SELECT id FROM old_l);
DELETE FROM listing_versions WHERE listing_id IN (SELECT id FROM old_l);
DELETE FROM search_outbox WHERE listing_id IN (SELECT id FROM old_l);
DELETE FROM listings WHERE id IN (SELECT id FROM old_l);
DELETE FROM invoice_sequences WHERE vendor_id IN
	(SELECT id FROM organisations WHERE external_ref LIKE 'gen:ledger:vendor:%');
DELETE FROM organisations WHERE external_ref LIKE 'gen:ledger:vendor:%';
-- Sequences of the generated catalog's vendors go back to what remains.
UPDATE invoice_sequences s SET last_seq = coalesce((SELECT max(seq)
	FROM invoices i WHERE i.vendor_id = s.vendor_id), 0)
	WHERE vendor_id IN (SELECT id FROM organisations
	WHERE external_ref LIKE 'gen:vendor:%');

-- From here on, triggers and foreign keys apply again.
\if :is_super
SET LOCAL session_replication_role = origin;
\endif
-- Reports cache what they computed (0023) and read per-contract sums
-- kept by invoice triggers (0025): the clean-up ran without triggers, so
-- recompute those sums and say that the data changed. The invoices
-- written below go through the triggers.
SELECT report_cfy_rebuild() AS report_cfy_rows \gset
UPDATE report_version SET n = n + 1 WHERE id = 1;

\if :drop
COMMIT;
\q
\endif

-- Agencies: one per 40 contracts (at least 8), types in turn.
INSERT INTO organisations (kind, name_ko, name_en, agency_type, external_ref)
SELECT 'agency', '생성 기관 ' || n, 'Generated agency ' || n,
    (ARRAY['central', 'metropolitan', 'basic', 'institution'])[1 + n % 4],
    'gen:ledger:agency:' || n
FROM generate_series(1, greatest(8, :contracts / 40)) n;
CREATE TEMP TABLE ag AS
	SELECT row_number() OVER (ORDER BY id) - 1 AS k, id
	FROM organisations WHERE external_ref LIKE 'gen:ledger:agency:%';
INSERT INTO users (org_id, email, name, role, status)
	SELECT id, 'ledger-' || id || '@gen-ledger.invalid', '생성 담당자',
	    'buyer', 'invited' FROM ag;
INSERT INTO agency_systems (org_id, name, nature, csap_grade, created_by)
	SELECT a.id, '생성 시스템', 'citizen', 'mid', u.id
	FROM ag a JOIN users u ON u.org_id = a.id;

-- The catalog: the generated one, else a small one of our own.
SELECT count(*) = 0 AS own_catalog FROM listings
	WHERE external_ref LIKE 'gen:listing:%' AND status = 'published'
	AND current_version IS NOT NULL \gset
\if :own_catalog
INSERT INTO organisations (kind, name_ko, name_en, biz_no, company_size,
    external_ref)
SELECT 'vendor', '생성 공급기업 ' || n, 'Generated vendor ' || n,
    lpad((900 + n % 99)::text, 3, '0') || '-' || lpad((n % 100)::text, 2, '0')
    || '-' || lpad((70000 + n)::text, 5, '0'),
    CASE WHEN n % 10 < 8 THEN 'sme' WHEN n % 10 = 8 THEN 'midsize'
    ELSE 'large' END, 'gen:ledger:vendor:' || n
FROM generate_series(1, 40) n;
INSERT INTO listings (vendor_id, service_type, category_id, name_ko, name_en,
    status, external_ref)
SELECT v.id, c.service_type, c.id, '생성 서비스 ' || n, 'Generated service ' || n,
    'withdrawn', 'gen:ledger:listing:' || n
FROM generate_series(1, 160) n
JOIN LATERAL (SELECT id FROM organisations
    WHERE external_ref = 'gen:ledger:vendor:' || (1 + n % 40)) v ON true
JOIN LATERAL (SELECT id, service_type FROM categories WHERE parent_id IS NOT NULL
    ORDER BY id OFFSET n % (SELECT count(*) FROM categories
    WHERE parent_id IS NOT NULL) LIMIT 1) c ON true;
SELECT count(listing_version_create(id, NULL, 'ledger generator'))
	FROM listings WHERE external_ref LIKE 'gen:ledger:listing:%' \gset
-- Some of them certified, so that spend by scheme has several rows.
INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type, grade,
    issue_date, expiry_date, status, external_ref)
SELECT l.vendor_id, l.id, 'csap', 'iaas', 'medium', make_date(:year - 1, 1, 1),
    make_date(:year + 3, 12, 31), 'valid', 'gen:ledger:cert:' || l.id
FROM listings l WHERE l.external_ref LIKE 'gen:ledger:listing:%'
    AND l.id % 3 = 0
ON CONFLICT (external_ref) DO NOTHING;
CREATE TEMP TABLE pool AS
	SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, vendor_id,
	    current_version FROM listings
	WHERE external_ref LIKE 'gen:ledger:listing:%';
\else
CREATE TEMP TABLE pool AS
	SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, vendor_id,
	    current_version FROM listings
	WHERE external_ref LIKE 'gen:listing:%' AND status = 'published'
	AND current_version IS NOT NULL;
\endif
CREATE INDEX ON pool (k);
CREATE INDEX ON ag (k);
ANALYZE pool;
ANALYZE ag;

-- Contracts.
CREATE TEMP TABLE gc AS
SELECT n, p.id AS listing_id, p.vendor_id, p.current_version,
    a.id AS org_id,
    make_date(:year, 1, 1) + (pg_temp.r(n, 3, :seed) % 181)::integer AS start_date,
    (12 + pg_temp.r(n, 4, :seed) % 13)::integer AS months,
    (10 + pg_temp.r(n, 5, :seed) % 490) * 1000000::bigint AS ceiling_won,
    pg_temp.r(n, 6, :seed) % 2 = 0 AS via_quote,
    (5 + pg_temp.r(n, 7, :seed) % 60)::integer AS lead_days,
    (20 + pg_temp.r(n, 8, :seed) % 86)::integer AS use_pct,
    pg_temp.r(n, 9, :seed) % 100 AS fate
FROM generate_series(1, :contracts) n
JOIN pool p ON p.k = pg_temp.r(n, 1, :seed) % (SELECT count(*) FROM pool)
JOIN ag a ON a.k = pg_temp.r(n, 2, :seed) % (SELECT count(*) FROM ag);

INSERT INTO eligibility_decisions (org_id, system_id, listing_id,
    listing_version, start_date, ruleset_version, outcome, reasons, facts,
    decided_by, decided_at)
SELECT g.org_id, s.id, g.listing_id, g.current_version, g.start_date,
    (SELECT max(version) FROM eligibility_rulesets), 'eligible', '[]', '{}',
    s.created_by, (g.start_date - g.lead_days) AT TIME ZONE 'Asia/Seoul'
FROM gc g JOIN agency_systems s ON s.org_id = g.org_id;
CREATE TEMP TABLE gd AS
SELECT g.n, d.id AS decision_id, d.system_id, d.decided_by
FROM gc g JOIN LATERAL (SELECT d.* FROM eligibility_decisions d
    WHERE d.org_id = g.org_id AND d.listing_id = g.listing_id
    AND d.start_date = g.start_date ORDER BY d.id LIMIT 1) d ON true;

INSERT INTO quote_requests (org_id, vendor_id, listing_id, kind, deadline,
    status, created_by, created_at, updated_at)
SELECT g.org_id, g.vendor_id, g.listing_id, 'quote',
    (g.start_date - g.lead_days + 10) AT TIME ZONE 'Asia/Seoul', 'accepted',
    d.decided_by, (g.start_date - g.lead_days) AT TIME ZONE 'Asia/Seoul',
    (g.start_date - 2) AT TIME ZONE 'Asia/Seoul'
FROM gc g JOIN gd d USING (n) WHERE g.via_quote;

-- fate: 0-2 cancelled before signature, 3-7 terminated early (ended),
-- 8-11 suspended, else active until its end date (then ended, expired).
INSERT INTO contracts (org_id, vendor_id, listing_id, listing_version,
    system_id, decision_id, title, start_date, end_date, ceiling_won,
    status, end_reason, client_token, created_by, created_at, updated_at,
    first_request_at, activated_at, quote_id, document_hash)
SELECT g.org_id, g.vendor_id, g.listing_id, g.current_version, d.system_id,
    d.decision_id, '생성 계약 ' || g.n,
    g.start_date, e.end_date, g.ceiling_won, st.status,
    CASE st.status WHEN 'ended' THEN CASE WHEN g.fate BETWEEN 3 AND 7
        THEN 'terminated' ELSE 'expired' END END,
    'gen-ledger-' || g.n, d.decided_by,
    (g.start_date - g.lead_days / 2 - 1) AT TIME ZONE 'Asia/Seoul',
    (g.start_date - 1) AT TIME ZONE 'Asia/Seoul',
    CASE WHEN g.via_quote THEN (g.start_date - g.lead_days)
        AT TIME ZONE 'Asia/Seoul' END,
    CASE WHEN st.status <> 'cancelled' THEN (g.start_date - 1 + interval '15 hours')
        AT TIME ZONE 'Asia/Seoul' END,
    q.id, CASE WHEN st.status <> 'cancelled' THEN md5('gen-ledger-' || g.n)
        || md5('x' || g.n) END
FROM gc g JOIN gd d USING (n)
CROSS JOIN LATERAL (SELECT CASE WHEN g.fate BETWEEN 3 AND 7
    THEN (g.start_date + interval '1 month' * (g.months / 3))::date
    ELSE (g.start_date + interval '1 month' * g.months)::date - 1 END
    AS end_date) e
CROSS JOIN LATERAL (SELECT CASE WHEN g.fate < 3 THEN 'cancelled'
    WHEN g.fate < 8 THEN 'ended'
    WHEN e.end_date < (now() AT TIME ZONE 'Asia/Seoul')::date THEN 'ended'
    WHEN g.fate < 12 THEN 'suspended' ELSE 'active' END AS status) st
LEFT JOIN LATERAL (SELECT q.id FROM quote_requests q WHERE g.via_quote
    AND q.org_id = g.org_id AND q.listing_id = g.listing_id
    ORDER BY q.id DESC LIMIT 1) q ON true;

-- Invoices: each closed month of :year in the contract's period. The
-- month's supply is a share of the ceiling (use_pct spread over the
-- contract's months), so some contracts end near or at their ceiling.
CREATE TEMP TABLE gi AS
SELECT c.id AS contract_id, c.org_id, c.vendor_id, m::date AS month,
    row_number() OVER (ORDER BY c.id, m) AS k,
    c.ceiling_won * 10 / 11 * g.use_pct / 100 / g.months
        * (80 + pg_temp.r(c.id * 100 + extract(month FROM m)::bigint, 10, :seed) % 41)
        / 100 AS supply_won,
    pg_temp.r(c.id * 100 + extract(month FROM m)::bigint, 11, :seed) % 100 AS st
FROM contracts c JOIN gc g ON c.client_token = 'gen-ledger-' || g.n
CROSS JOIN LATERAL generate_series(date_trunc('month', c.start_date),
    least(date_trunc('month', c.end_date), make_date(:year, 12, 1),
    date_trunc('month', now() AT TIME ZONE 'Asia/Seoul') - interval '1 month'),
    interval '1 month') m
WHERE c.status <> 'cancelled';

-- Numbers: gapless per vendor over invoices and credit notes, after what
-- the vendor already issued.
CREATE TEMP TABLE gn AS
SELECT i.*, CASE WHEN i.st < 2 THEN 'draft' WHEN i.st < 40 THEN 'issued'
    WHEN i.st < 70 THEN 'accepted' WHEN i.st < 74 THEN 'disputed'
    ELSE 'paid' END AS status
FROM gi i;
CREATE TEMP TABLE gs AS
SELECT x.*, coalesce(s.last_seq, 0) + row_number() OVER (PARTITION BY
    x.vendor_id ORDER BY x.month, x.is_credit, x.k) AS seq
FROM (SELECT k, vendor_id, month, false AS is_credit FROM gn
    WHERE status <> 'draft'
    UNION ALL SELECT k, vendor_id, month, true FROM gn
    WHERE status <> 'draft' AND st % 33 = 5) x
LEFT JOIN invoice_sequences s ON s.vendor_id = x.vendor_id;

INSERT INTO invoices (kind, contract_id, org_id, vendor_id, month, status,
    seq, number, supply_won, vat_won, total_won, fiscal_year, rounding,
    created_at, updated_at, issued_at, accepted_at, paid_at)
SELECT 'invoice', n.contract_id, n.org_id, n.vendor_id, n.month, n.status,
    s.seq, CASE WHEN s.seq IS NOT NULL THEN coalesce(regexp_replace(v.biz_no,
    '[^0-9]', '', 'g'), v.id::text) || '-' || extract(year FROM n.month) || '-' ||
    lpad(s.seq::text, 6, '0') END,
    n.supply_won, n.supply_won * 10 / 100, n.supply_won + n.supply_won * 10 / 100,
    extract(year FROM n.month)::integer, 'half_up',
    n.month + interval '1 month', n.month + interval '1 month',
    CASE WHEN n.status <> 'draft' THEN n.month + interval '1 month 2 days' END,
    CASE WHEN n.status IN ('accepted', 'paid') THEN n.month + interval '1 month 9 days' END,
    CASE WHEN n.status = 'paid' THEN n.month + interval '1 month 30 days' END
FROM gn n JOIN organisations v ON v.id = n.vendor_id
LEFT JOIN gs s ON s.k = n.k AND NOT s.is_credit;

CREATE TEMP TABLE gmap AS
SELECT n.k, i.id AS invoice_id, n.supply_won, n.status, n.st
FROM gn n JOIN invoices i ON i.contract_id = n.contract_id
    AND i.month = n.month AND i.kind = 'invoice';

-- The month close's guard (sql/0021_invoicing.sql) refuses lines added to
-- an invoice that is not a draft; these synthetic invoices are written
-- issued with their lines, so the owner lifts it for these inserts only.
ALTER TABLE invoice_lines DISABLE TRIGGER invoice_lines_guard_insert;

-- Two usage lines per invoice that sum to its supply amount.
INSERT INTO invoice_lines (invoice_id, line_no, kind, dimension,
    quantity_micro, amount_won, label_ko, label_en)
SELECT m.invoice_id, 1, 'usage', 'vcpu_hour', (m.supply_won / 10) * 1000000,
    m.supply_won - m.supply_won * 3 / 10, 'vCPU 사용량', 'vCPU usage'
FROM gmap m
UNION ALL
SELECT m.invoice_id, 2, 'usage', 'storage_gb_month', (m.supply_won / 100) * 1000000,
    m.supply_won * 3 / 10, '스토리지 사용량', 'Storage usage'
FROM gmap m;

-- Credit notes: a fifth of the invoice back, VAT mirrored (billing §8).
INSERT INTO invoices (kind, contract_id, org_id, vendor_id, month,
    corrects_id, status, seq, number, supply_won, vat_won, total_won,
    fiscal_year, rounding, created_at, updated_at, issued_at)
SELECT 'credit_note', i.contract_id, i.org_id, i.vendor_id, i.month,
    i.id, 'issued', s.seq, coalesce(regexp_replace(v.biz_no, '[^0-9]', '', 'g'),
    v.id::text) || '-'
    || extract(year FROM i.month) || '-' || lpad(s.seq::text, 6, '0'),
    -(m.supply_won / 5), -((m.supply_won / 5) * 10 / 100),
    -(m.supply_won / 5) - (m.supply_won / 5) * 10 / 100,
    i.fiscal_year, 'half_up', i.issued_at + interval '5 days',
    i.issued_at + interval '5 days', i.issued_at + interval '5 days'
FROM gmap m JOIN invoices i ON i.id = m.invoice_id
JOIN gs s ON s.k = m.k AND s.is_credit
JOIN organisations v ON v.id = i.vendor_id;
INSERT INTO invoice_lines (invoice_id, line_no, kind, amount_won, label_ko,
    label_en)
SELECT id, 1, 'credit', supply_won, '정정 (감액)', 'Correction (credit)'
FROM invoices WHERE kind = 'credit_note' AND contract_id IN
    (SELECT id FROM contracts WHERE client_token LIKE 'gen-ledger-%');

ALTER TABLE invoice_lines ENABLE TRIGGER invoice_lines_guard_insert;

INSERT INTO invoice_sequences (vendor_id, last_seq)
SELECT vendor_id, max(seq) FROM gs GROUP BY vendor_id
ON CONFLICT (vendor_id) DO UPDATE SET last_seq = EXCLUDED.last_seq;

-- Service-page views of the contracted listings over the year.
INSERT INTO listing_views (listing_id, day, views)
SELECT l.listing_id, make_date(:year, 1, 1) + d,
    1 + pg_temp.r(l.listing_id * 1000 + d, 12, :seed) % 40
FROM (SELECT DISTINCT listing_id FROM gc) l
CROSS JOIN generate_series(0, 364, 7) d
ON CONFLICT (listing_id, day) DO UPDATE SET views = EXCLUDED.views;

COMMIT;
ANALYZE invoices;
ANALYZE invoice_lines;
ANALYZE contracts;
SELECT count(*) AS contracts,
    (SELECT count(*) FROM invoices i JOIN contracts c ON c.id = i.contract_id
    WHERE c.client_token LIKE 'gen-ledger-%') AS invoices
FROM contracts WHERE client_token LIKE 'gen-ledger-%';
