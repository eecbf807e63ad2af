-- Evidence bundles of issued invoices (docs/evidence.md).
--
-- evidence_bundle_input(invoice) gathers, in one statement and one
-- snapshot, everything the signed bundle of an issued invoice or credit
-- note says (for a draft, what it would say if issued now: the PDF
-- preview): the contract terms with both parties, the pinned rate plan,
-- the usage totals per dimension recomputed from the records in the
-- contract's hash chain up to the head the invoice was closed at, the
-- availability, the adjustment inputs, the ceiling left before this
-- invoice, the lines and totals, the invoice it corrects and the previous
-- sealed invoice's hash. Every number is a decimal string: the bundle's
-- canonical form has no JSON numbers. gureumctl seal-invoices (and the
-- PDF preview of an unsealed invoice) completes it in C (app/bundle.c:
-- hashes, tier breakdown, key) and checks it by re-rating before it
-- signs. Beside the bundle it returns what only the database can check,
-- for the sealer to compare and remove before signing (bundle_take_checks):
-- each dimension's total recomputed from the records in the chain up to
-- the invoice's head (chain_quantity) and whether that head is in the
-- chain at all (_head_found).
--
-- Triggers make an issued invoice immutable: once out of draft, only its
-- status, acceptance and payment times may change, and its seal may be
-- written once (bundle, bundle_hash, signature, prev_hash together) and
-- never again. Its lines keep their amounts; only the review columns
-- (검수, dispute, answer) change.

-- The subject of unique_count records comes with usage ingestion (0020);
-- present here as well so this migration stands on its own. A no-op once
-- 0020 has added it.
ALTER TABLE usage_records ADD COLUMN IF NOT EXISTS subject text NOT NULL
	DEFAULT '';

-- Micro-units as the canonical decimal (money_format_micro): no trailing
-- zeros, no trailing point; NULL stays NULL.
CREATE FUNCTION evidence_micro(v bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT trim_scale(v::numeric / 1000000)::text
$$;

-- A month's quantity of one dimension by its aggregation
-- (docs/metering-shared: sum, max, latest, unique_count), over the
-- records of (contract, month, dimension) in the contract's chain up to
-- p_head_seq (NULL: every record of the month).
CREATE FUNCTION evidence_usage_total(p_contract bigint, p_month date,
    p_dimension text, p_aggregation text, p_head_seq bigint,
    OUT quantity_micro bigint, OUT records bigint)
LANGUAGE sql STABLE AS $$
	WITH r AS (
		SELECT u.quantity_micro, u.usage_at, u.record_id, u.subject
		FROM usage_records u
		LEFT JOIN usage_chain uc ON uc.contract_id = u.contract_id
		    AND uc.batch_id = u.batch_id
		WHERE u.contract_id = p_contract AND u.month = p_month
		    AND u.dimension = p_dimension
		    AND (p_head_seq IS NULL OR uc.seq <= p_head_seq))
	SELECT coalesce(CASE p_aggregation
		WHEN 'sum' THEN (SELECT sum(quantity_micro) FROM r)::bigint
		WHEN 'max' THEN (SELECT max(quantity_micro) FROM r)
		WHEN 'latest' THEN (SELECT quantity_micro FROM r
		    ORDER BY usage_at DESC, record_id DESC LIMIT 1)
		WHEN 'unique_count' THEN (SELECT count(DISTINCT subject)
		    FROM r WHERE subject <> '') * 1000000
		END, 0), (SELECT count(*) FROM r)
$$;

CREATE FUNCTION evidence_bundle_input(p_invoice bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	WITH i AS (SELECT * FROM invoices WHERE id = p_invoice),
	c AS (SELECT c.* FROM contracts c JOIN i ON c.id = i.contract_id),
	head AS (SELECT uc.seq FROM usage_chain uc JOIN i
	    ON uc.contract_id = i.contract_id AND uc.head = i.usage_head),
	-- What was invoiced before this one (issued or later; credit notes
	-- net), for the whole contract and for this fiscal year.
	before AS (SELECT coalesce(sum(p.total_won), 0) AS all_won,
	    coalesce(sum(p.total_won) FILTER (WHERE p.fiscal_year =
	    i.fiscal_year), 0) AS fy_won
	    FROM i LEFT JOIN invoices p ON p.contract_id = i.contract_id
	    AND p.status <> 'draft' AND p.id <> i.id
	    AND (i.seq IS NULL OR p.seq < i.seq) GROUP BY i.id),
	dims AS (SELECT d.ord, d.dim->>'code' AS code,
	    d.dim->>'aggregation' AS aggregation
	    FROM c, jsonb_array_elements(coalesce(c.rate_plan->'dimensions',
	    '[]')) WITH ORDINALITY AS d(dim, ord))
	SELECT jsonb_build_object(
	    'format', 'gureum-invoice-evidence/1',
	    'invoice', jsonb_build_object('id', i.id::text, 'kind', i.kind,
		'number', i.number, 'seq', i.seq::text,
		'month', to_char(i.month, 'YYYY-MM'),
		'fiscal_year', i.fiscal_year::text,
		'issued_at', to_char(coalesce(i.issued_at, i.updated_at)
		    AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'rounding', i.rounding),
	    'contract', (SELECT jsonb_build_object('id', c.id::text,
		'version', c.version::text, 'title', c.title,
		'agency', jsonb_build_object('id', a.id::text,
		    'name_ko', a.name_ko, 'name_en', a.name_en,
		    'biz_no', a.biz_no),
		'vendor', jsonb_build_object('id', v.id::text,
		    'name_ko', v.name_ko, 'name_en', v.name_en,
		    'biz_no', coalesce(v.biz_no, '')),
		'start', to_char(c.start_date, 'YYYY-MM-DD'),
		'end', to_char(c.end_date, 'YYYY-MM-DD'),
		'ceiling_won', c.ceiling_won::text,
		'fy_split', coalesce((SELECT jsonb_object_agg(key, value #>> '{}')
		    FROM jsonb_each(c.fy_split)), '{}'),
		'rounding', c.rounding,
		'listing', jsonb_build_object('id', c.listing_id::text,
		    'version', c.listing_version::text),
		'document_sha256', c.document_hash)
		FROM c JOIN organisations a ON a.id = c.org_id
		JOIN organisations v ON v.id = c.vendor_id),
	    'contract_hash', '',
	    'rate_plan', (SELECT c.rate_plan FROM c),
	    'rate_plan_hash', '',
	    'usage', CASE WHEN i.kind = 'invoice' THEN jsonb_build_object(
		'chain_head', encode(i.usage_head, 'hex'),
		'chain_seq', coalesce((SELECT seq FROM head), 0)::text,
		'dimensions', coalesce((SELECT jsonb_agg(jsonb_build_object(
		    'code', d.code, 'aggregation', d.aggregation,
		    'quantity', evidence_micro(coalesce(l.quantity_micro, 0)),
		    'records', t.records::text,
		    'chain_quantity', evidence_micro(t.quantity_micro))
		    ORDER BY d.ord)
		    FROM dims d
		    LEFT JOIN invoice_lines l ON l.invoice_id = i.id
			AND l.kind = 'usage' AND l.dimension = d.code,
		    LATERAL evidence_usage_total(i.contract_id, i.month, d.code,
			d.aggregation, CASE WHEN i.usage_head IS NULL THEN NULL
			ELSE coalesce((SELECT seq FROM head), 0) END) t),
		    '[]')) END,
	    'availability', CASE WHEN i.kind = 'invoice' THEN
		evidence_micro(i.availability_micro) END,
	    'sla_share', '0',
	    'adjustments', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'month', to_char(l.adjusts_month, 'YYYY-MM'),
		'dimension', l.dimension, 'amount_won', l.amount_won::text)
		ORDER BY l.line_no) FROM invoice_lines l
		WHERE l.invoice_id = i.id AND l.kind = 'adjustment'
		AND i.kind = 'invoice'), '[]'),
	    'ceiling', (SELECT jsonb_build_object(
		'contract_won', c.ceiling_won::text,
		'invoiced_won', b.all_won::text,
		'fy_ceiling_won', c.fy_split->>(i.fiscal_year::text),
		'fy_invoiced_won', b.fy_won::text,
		'remaining_won', CASE WHEN c.fy_split ? i.fiscal_year::text
		    THEN least(c.ceiling_won - b.all_won,
		    (c.fy_split->>(i.fiscal_year::text))::bigint - b.fy_won)
		    ELSE c.ceiling_won - b.all_won END::text)
		FROM c, before b),
	    'lines', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'no', l.line_no::text, 'kind', l.kind,
		'dimension', l.dimension,
		-- a usage line without a quantity metered nothing: 0
		'quantity', evidence_micro(CASE WHEN l.kind = 'usage' THEN
		    coalesce(l.quantity_micro, 0) ELSE l.quantity_micro END),
		'amount_won', l.amount_won::text,
		'adjusts_month', to_char(l.adjusts_month, 'YYYY-MM'),
		'label_ko', l.label_ko, 'label_en', l.label_en,
		'breakdown', '[]'::jsonb) ORDER BY l.line_no)
		FROM invoice_lines l WHERE l.invoice_id = i.id), '[]'),
	    'totals', jsonb_build_object('supply_won', i.supply_won::text,
		'vat_won', i.vat_won::text, 'total_won', i.total_won::text),
	    'corrects', (SELECT jsonb_build_object('id', o.id::text,
		'number', o.number, 'total_won', o.total_won::text,
		'credited_won', coalesce((SELECT sum(n.total_won)
		    FROM invoices n WHERE n.corrects_id = o.id
		    AND n.status <> 'draft' AND n.id <> i.id
		    AND (i.seq IS NULL OR n.seq < i.seq)), 0)::text,
		'bundle_hash', encode(o.bundle_hash, 'hex'))
		FROM invoices o WHERE o.id = i.corrects_id),
	    'prev_hash', (SELECT encode(p.bundle_hash, 'hex') FROM invoices p
		WHERE p.contract_id = i.contract_id AND p.id <> i.id
		AND (i.seq IS NULL OR p.seq < i.seq)
		AND p.bundle_hash IS NOT NULL ORDER BY p.seq DESC LIMIT 1),
	    'marketplace_key', '',
	    '_head_found', i.usage_head IS NULL OR EXISTS (SELECT 1 FROM head))
	FROM i
$$;

-- An issued invoice is never edited (docs/billing.md): corrections are
-- credit notes. Allowed on a non-draft invoice: status (not back to
-- draft), accepted_at, paid_at, updated_at, and writing the seal once.
CREATE FUNCTION invoices_issued_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF OLD.status <> 'draft' THEN
			RAISE EXCEPTION 'invoice % is issued and cannot be deleted',
			    OLD.id USING ERRCODE = '55000';
		END IF;
		RETURN OLD;
	END IF;
	IF OLD.status = 'draft' THEN
		RETURN NEW;
	END IF;
	IF NEW.status = 'draft' OR (NEW.kind, NEW.contract_id, NEW.org_id,
	    NEW.vendor_id, NEW.month, NEW.corrects_id, NEW.seq, NEW.number,
	    NEW.supply_won, NEW.vat_won, NEW.total_won, NEW.fiscal_year,
	    NEW.rounding, NEW.availability_micro, NEW.usage_head,
	    NEW.issued_at, NEW.created_at) IS DISTINCT FROM (OLD.kind,
	    OLD.contract_id, OLD.org_id, OLD.vendor_id, OLD.month,
	    OLD.corrects_id, OLD.seq, OLD.number, OLD.supply_won, OLD.vat_won,
	    OLD.total_won, OLD.fiscal_year, OLD.rounding,
	    OLD.availability_micro, OLD.usage_head, OLD.issued_at,
	    OLD.created_at) THEN
		RAISE EXCEPTION 'invoice % is issued: only its status may change',
		    OLD.id USING ERRCODE = '55000';
	END IF;
	IF OLD.bundle IS NOT NULL THEN
		IF (NEW.bundle, NEW.bundle_hash, NEW.signature, NEW.prev_hash)
		    IS DISTINCT FROM (OLD.bundle, OLD.bundle_hash,
		    OLD.signature, OLD.prev_hash) THEN
			RAISE EXCEPTION 'invoice % is sealed', OLD.id
			    USING ERRCODE = '55000';
		END IF;
	ELSIF NEW.bundle IS NOT NULL AND (NEW.bundle_hash IS NULL OR
	    NEW.signature IS NULL) THEN
		RAISE EXCEPTION 'invoice %: a seal needs its hash and signature',
		    OLD.id USING ERRCODE = '55000';
	ELSIF NEW.bundle IS NULL AND (NEW.bundle_hash, NEW.signature,
	    NEW.prev_hash) IS DISTINCT FROM (OLD.bundle_hash, OLD.signature,
	    OLD.prev_hash) THEN
		RAISE EXCEPTION 'invoice %: the seal is written whole', OLD.id
		    USING ERRCODE = '55000';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER invoices_issued_guard BEFORE UPDATE OR DELETE ON invoices
	FOR EACH ROW EXECUTE FUNCTION invoices_issued_guard();

-- The lines of an issued invoice keep what they say; the buyer's review
-- and the vendor's answer are the only columns that change. (Inserting
-- lines is left alone: the statement that issues an invoice may write its
-- lines after the invoice row; a sealed bundle holds the lines anyway.)
CREATE FUNCTION invoice_lines_issued_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	st text;
BEGIN
	SELECT status INTO st FROM invoices WHERE id = OLD.invoice_id;
	IF st IS NULL OR st = 'draft' THEN
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP = 'DELETE' OR (NEW.invoice_id, NEW.line_no, NEW.kind,
	    NEW.dimension, NEW.quantity_micro, NEW.amount_won,
	    NEW.adjusts_month, NEW.label_ko, NEW.label_en, NEW.breakdown)
	    IS DISTINCT FROM (OLD.invoice_id, OLD.line_no, OLD.kind,
	    OLD.dimension, OLD.quantity_micro, OLD.amount_won,
	    OLD.adjusts_month, OLD.label_ko, OLD.label_en, OLD.breakdown) THEN
		RAISE EXCEPTION 'invoice % is issued: its lines are not edited',
		    OLD.invoice_id USING ERRCODE = '55000';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER invoice_lines_issued_guard BEFORE UPDATE OR DELETE
	ON invoice_lines FOR EACH ROW
	EXECUTE FUNCTION invoice_lines_issued_guard();

-- Wakes `gureumctl seal-invoices --follow` when an invoice or credit note
-- leaves draft (a credit note issued from the web cannot wait for the
-- next month close to be sealed).
CREATE FUNCTION invoices_notify_issued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('invoice_issued', NEW.id::text);
	RETURN NULL;
END
$$;

CREATE TRIGGER invoices_notify_issued AFTER INSERT OR UPDATE OF status
	ON invoices FOR EACH ROW
	WHEN (NEW.status <> 'draft' AND NEW.bundle IS NULL)
	EXECUTE FUNCTION invoices_notify_issued();

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT EXECUTE ON FUNCTION evidence_bundle_input(bigint),
		    evidence_micro(bigint),
		    evidence_usage_total(bigint, date, text, text, bigint)
		    TO gureum_app;
	END IF;
END
$$;
