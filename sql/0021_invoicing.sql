-- Invoicing (app/ctl_close.c, app/invoice.c; docs/invoicing.md): the
-- month close's one-statement write of a batch of invoices, the guard
-- that keeps issued invoices as they were issued, the buyer's 검수 per
-- line, the vendor's answers and credit notes, payments and the ceiling
-- alerts.
--
-- The month close rates in C (app/rating.c) and hands this file a JSON
-- batch of computed invoices; invoice_close_batch() writes all of them in
-- one statement, so a crash leaves each contract's invoice either as it
-- was or as the run computed it, never half written, and a rerun finishes
-- the job. Numbers come from invoice_sequences, whose row per vendor is
-- locked by the statement that takes numbers: gapless per vendor across
-- invoices and credit notes, whoever issues them.

-- Usage of a unique_count dimension counts distinct subjects. USAGE's
-- 0020 adds the column; this keeps the month close working on a branch
-- without it (a no-op when 0020 ran first).
ALTER TABLE usage_records ADD COLUMN IF NOT EXISTS subject text NOT NULL
	DEFAULT '' CHECK (length(subject) <= 64);

-- What the month close computed, for the next run to see whether a draft
-- changed (it is rewritten only then) and for the dashboard's projection:
-- {"days_active", "days_in_month", "flat_won", "quantities": {...}}.
-- A credit note's reason.
ALTER TABLE invoices ADD COLUMN calc jsonb NOT NULL DEFAULT '{}';
ALTER TABLE invoices ADD COLUMN reason text NOT NULL DEFAULT ''
	CHECK (length(reason) <= 2000);

-- How a disputed line was settled: credited (by credit_note_id) or
-- withdrawn by the buyer. A credit note's line names the line it credits.
ALTER TABLE invoice_lines ADD COLUMN resolution text
	CHECK (resolution IN ('credited', 'withdrawn'));
ALTER TABLE invoice_lines ADD COLUMN credit_note_id bigint
	REFERENCES invoices (id);
ALTER TABLE invoice_lines ADD COLUMN credits_line integer;

CREATE INDEX invoices_corrects_idx ON invoices (corrects_id)
	WHERE corrects_id IS NOT NULL;

-- The month close counts distinct subjects of unique_count dimensions
-- with an index-only scan of just those records (only they carry a
-- subject), instead of a second pass over the whole month.
CREATE INDEX usage_records_subject_idx
	ON usage_records (month, contract_id, dimension, subject)
	WHERE subject <> '';
-- A latest dimension's quantity is its record with the greatest
-- usage_at, ties: the greatest record_id in byte order. This index is in
-- that order with the quantity in it, so the close reads it with one
-- probe per (contract, dimension). It also serves every lookup the
-- (contract_id, month, dimension) index of 0019 serves.
CREATE INDEX usage_records_latest_idx ON usage_records (contract_id, month,
	dimension, usage_at DESC, record_id COLLATE "C" DESC)
	INCLUDE (quantity_micro);

-- An issued invoice is never edited: after its draft, only the review
-- state (status, accepted_at, paid_at, updated_at) and the evidence seal
-- (bundle, bundle_hash, signature, prev_hash, usage_head: set by the
-- sealer while bundle is NULL, then fixed) may change; number
-- and amounts never. Its lines keep their amounts and labels; only the
-- 검수 columns change. Nothing issued is deleted. The checks are
-- statement triggers over the transition tables, so a month close that
-- issues ten thousand invoices checks them with one query, not ten
-- thousand trigger calls; a violation aborts the whole statement.
CREATE FUNCTION invoice_guard_update() RETURNS trigger
LANGUAGE plpgsql
-- Transition tables have no statistics: hash joins, never nested loops.
SET enable_nestloop = off AS $$
BEGIN
	IF (SELECT count(*) FROM old_rows) <> (SELECT count(*) FROM old_rows o
	    JOIN new_rows n ON n.id = o.id) THEN
		RAISE EXCEPTION 'invoice ids cannot change' USING ERRCODE = '55000';
	END IF;
	IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
	    WHERE o.status <> 'draft' AND ((
	    n.kind, n.contract_id, n.org_id, n.vendor_id, n.month,
	    n.corrects_id, n.seq, n.number, n.supply_won, n.vat_won,
	    n.total_won, n.fiscal_year, n.rounding, n.availability_micro,
	    n.calc, n.reason, n.issued_at) IS DISTINCT FROM (
	    o.kind, o.contract_id, o.org_id, o.vendor_id, o.month,
	    o.corrects_id, o.seq, o.number, o.supply_won, o.vat_won,
	    o.total_won, o.fiscal_year, o.rounding, o.availability_micro,
	    o.calc, o.reason, o.issued_at)
	    OR n.status = 'draft')) THEN
		RAISE EXCEPTION 'an issued invoice cannot change: corrections are credit notes'
		    USING ERRCODE = '55000';
	END IF;
	IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
	    WHERE o.bundle IS NOT NULL AND (n.bundle, n.bundle_hash,
	    n.signature, n.prev_hash, n.usage_head) IS DISTINCT FROM
	    (o.bundle, o.bundle_hash, o.signature, o.prev_hash,
	    o.usage_head)) THEN
		RAISE EXCEPTION 'a sealed invoice cannot change'
		    USING ERRCODE = '55000';
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER invoices_guard_update AFTER UPDATE ON invoices
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION invoice_guard_update();

CREATE FUNCTION invoice_guard_delete() RETURNS trigger
LANGUAGE plpgsql
-- Transition tables have no statistics: hash joins, never nested loops.
SET enable_nestloop = off AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM old_rows WHERE status <> 'draft') THEN
		RAISE EXCEPTION 'an issued invoice cannot be deleted'
		    USING ERRCODE = '55000';
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER invoices_guard_delete AFTER DELETE ON invoices
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION invoice_guard_delete();

-- Lines: inserted and deleted only while their invoice is a draft;
-- updated afterwards only in the 검수 columns.
CREATE FUNCTION invoice_line_guard() RETURNS trigger
LANGUAGE plpgsql
-- Transition tables have no statistics: hash joins, never nested loops.
SET enable_nestloop = off AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF EXISTS (SELECT 1 FROM new_rows n JOIN invoices i
		    ON i.id = n.invoice_id WHERE i.status <> 'draft') THEN
			RAISE EXCEPTION 'lines of an issued invoice cannot change'
			    USING ERRCODE = '55000';
		END IF;
	ELSIF TG_OP = 'DELETE' THEN
		IF EXISTS (SELECT 1 FROM old_rows o JOIN invoices i
		    ON i.id = o.invoice_id WHERE i.status <> 'draft') THEN
			RAISE EXCEPTION 'lines of an issued invoice cannot change'
			    USING ERRCODE = '55000';
		END IF;
	ELSE
		IF (SELECT count(*) FROM old_rows) <> (SELECT count(*)
		    FROM old_rows o JOIN new_rows n ON n.invoice_id =
		    o.invoice_id AND n.line_no = o.line_no) OR EXISTS (
		    SELECT 1 FROM old_rows o JOIN new_rows n
		    ON n.invoice_id = o.invoice_id AND n.line_no = o.line_no
		    JOIN invoices i ON i.id = o.invoice_id
		    WHERE i.status <> 'draft' AND (n.kind, n.dimension,
		    n.quantity_micro, n.amount_won, n.adjusts_month, n.label_ko,
		    n.label_en, n.breakdown, n.credits_line) IS DISTINCT FROM
		    (o.kind, o.dimension, o.quantity_micro, o.amount_won,
		    o.adjusts_month, o.label_ko, o.label_en, o.breakdown,
		    o.credits_line)) THEN
			RAISE EXCEPTION 'lines of an issued invoice cannot change'
			    USING ERRCODE = '55000';
		END IF;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER invoice_lines_guard_insert AFTER INSERT ON invoice_lines
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION invoice_line_guard();
CREATE TRIGGER invoice_lines_guard_update AFTER UPDATE ON invoice_lines
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION invoice_line_guard();
CREATE TRIGGER invoice_lines_guard_delete AFTER DELETE ON invoice_lines
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION invoice_line_guard();

-- The printed number: the vendor's business-number digits, the year of
-- the billing month and the gapless sequence, 1234567890-2026-000042.
CREATE FUNCTION invoice_number(p_vendor bigint, p_month date, p_seq integer)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT coalesce(nullif(regexp_replace(o.biz_no, '[^0-9]', '', 'g'),
	    ''), 'V' || o.id) || '-' || to_char(p_month, 'YYYY') || '-' ||
	    lpad(p_seq::text, 6, '0')
	FROM organisations o WHERE o.id = p_vendor;
$$;

-- Takes n numbers of vendor p_vendor's sequence and returns the first:
-- the row lock serialises every issuer (month close, credit notes), and
-- a rolled-back statement gives its numbers back, so there are no gaps.
CREATE FUNCTION invoice_take_seq(p_vendor bigint, p_n integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	last integer;
BEGIN
	INSERT INTO invoice_sequences (vendor_id) VALUES (p_vendor)
	    ON CONFLICT DO NOTHING;
	UPDATE invoice_sequences SET last_seq = last_seq + p_n
	    WHERE vendor_id = p_vendor RETURNING last_seq INTO last;
	RETURN last - p_n + 1;
END
$$;

-- Writes a batch of month-close results for month p_month. p_batch is a
-- JSON array of {contract_id, supply_won, vat_won, total_won,
-- fiscal_year, rounding, availability_micro, calc, lines: [{line_no,
-- kind, dimension, quantity_micro, amount_won, adjusts_month, label_ko,
-- label_en, breakdown}]}, or {contract_id, same: true} for a draft the
-- close found unchanged and wants issued. It is json, not jsonb: parsed
-- once, row by row, which is the cost of a big batch. Per contract: an
-- issued invoice of the month stays as it is ('kept'); a draft whose
-- computation is unchanged is not written ('same'); otherwise the draft is created or replaced with its
-- lines ('draft'). With p_issue (the grace period is over) every draft
-- of the batch is then issued: numbered per vendor in contract order,
-- issued_at p_now, audited, the agency's users and the vendor's admins
-- notified, one notice per organisation and batch ('issued'). One statement: all of the batch or none of it.
CREATE FUNCTION invoice_close_batch(p_month date, p_issue boolean,
    p_now timestamptz, p_batch json)
RETURNS TABLE (contract_id bigint, invoice_id bigint, outcome text,
    number text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	r record;
	v record;
	base integer;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS close_src (
		contract_id bigint PRIMARY KEY, org_id bigint, vendor_id bigint,
		supply_won bigint, vat_won bigint, total_won bigint,
		fiscal_year integer, rounding text, availability_micro bigint,
		calc jsonb, lines json, invoice_id bigint UNIQUE,
		status text, outcome text, number text) ON COMMIT DROP;
	TRUNCATE close_src;
	INSERT INTO close_src
	SELECT x.contract_id, c.org_id, c.vendor_id, x.supply_won, x.vat_won,
	    x.total_won, x.fiscal_year, x.rounding, x.availability_micro,
	    x.calc, x.lines, i.id, i.status,
	    CASE WHEN i.id IS NULL AND x.same THEN 'kept'
	    WHEN i.id IS NULL THEN 'draft'
	    WHEN i.status <> 'draft' THEN 'kept'
	    WHEN x.same THEN 'same'
	    WHEN i.calc = x.calc AND i.supply_won = x.supply_won
	    AND i.total_won = x.total_won THEN 'same' ELSE 'draft' END,
	    i.number
	FROM json_to_recordset(p_batch) AS x(contract_id bigint,
	    supply_won bigint, vat_won bigint, total_won bigint,
	    fiscal_year integer, rounding text, availability_micro bigint,
	    calc jsonb, lines json, same boolean)
	JOIN contracts c ON c.id = x.contract_id
	-- A probe of invoices_month_idx per contract, whatever the
	-- statistics say (right after a big close they are stale).
	LEFT JOIN LATERAL (SELECT j.id, j.status, j.calc, j.supply_won,
	    j.total_won, j.number FROM invoices j
	    WHERE j.contract_id = x.contract_id AND j.month = p_month
	    AND j.kind = 'invoice') i ON true;
	ANALYZE close_src;

	-- New drafts.
	WITH ins AS (
		INSERT INTO invoices (contract_id, org_id, vendor_id, month,
		    supply_won, vat_won, total_won, fiscal_year, rounding,
		    availability_micro, calc)
		SELECT s.contract_id, s.org_id, s.vendor_id, p_month,
		    s.supply_won, s.vat_won, s.total_won, s.fiscal_year,
		    s.rounding, s.availability_micro, s.calc
		FROM close_src s WHERE s.invoice_id IS NULL
		ON CONFLICT (contract_id, month) WHERE kind = 'invoice'
		    DO NOTHING
		RETURNING id, invoices.contract_id)
	UPDATE close_src s SET invoice_id = ins.id, status = 'draft',
	    outcome = 'new' FROM ins WHERE s.contract_id = ins.contract_id;
	-- A concurrent run made it first: leave it to that run.
	UPDATE close_src s SET outcome = 'kept' WHERE s.invoice_id IS NULL;

	-- Changed drafts: new amounts, lines replaced. The invoices are
	-- reached by their ids (= ANY of an array: index probes whatever
	-- the statistics of invoices say); the guard refuses it if one was
	-- issued meanwhile, and the batch is then written by the rerun.
	UPDATE invoices i SET (supply_won, vat_won, total_won, fiscal_year,
	    rounding, availability_micro, calc, updated_at) = (SELECT
	    s.supply_won, s.vat_won, s.total_won, s.fiscal_year, s.rounding,
	    s.availability_micro, s.calc, p_now FROM close_src s
	    WHERE s.invoice_id = i.id)
	WHERE i.id = ANY (ARRAY(SELECT s.invoice_id FROM close_src s
	    WHERE s.outcome = 'draft'));
	DELETE FROM invoice_lines l WHERE l.invoice_id = ANY (ARRAY(
	    SELECT s.invoice_id FROM close_src s WHERE s.outcome = 'draft'));
	UPDATE close_src s SET outcome = 'draft' WHERE s.outcome = 'new';
	INSERT INTO invoice_lines (invoice_id, line_no, kind, dimension,
	    quantity_micro, amount_won, adjusts_month, label_ko, label_en,
	    breakdown)
	SELECT s.invoice_id, l.line_no, l.kind, l.dimension, l.quantity_micro,
	    l.amount_won, l.adjusts_month, l.label_ko, l.label_en,
	    coalesce(l.breakdown, '[]')
	FROM close_src s, json_to_recordset(s.lines) AS l(line_no integer,
	    kind text, dimension text, quantity_micro bigint,
	    amount_won bigint, adjusts_month date, label_ko text,
	    label_en text, breakdown jsonb)
	WHERE s.outcome = 'draft';

	IF p_issue THEN
		FOR v IN SELECT s.vendor_id, count(*)::integer AS n,
		    coalesce(nullif(regexp_replace(o.biz_no, '[^0-9]', '', 'g'),
		    ''), 'V' || o.id) || '-' || to_char(p_month, 'YYYY') || '-'
		    AS prefix
		    FROM close_src s JOIN organisations o ON o.id = s.vendor_id
		    WHERE s.outcome IN ('draft', 'same')
		    GROUP BY s.vendor_id, o.id ORDER BY s.vendor_id
		LOOP
			base := invoice_take_seq(v.vendor_id, v.n);
			WITH o AS (SELECT s.invoice_id, base - 1 + row_number()
			    OVER (ORDER BY s.contract_id) AS seq
			    FROM close_src s WHERE s.vendor_id = v.vendor_id
			    AND s.outcome IN ('draft', 'same'))
			UPDATE invoices i SET status = 'issued', seq = o.seq,
			    number = v.prefix || lpad(o.seq::text, 6, '0'),
			    issued_at = p_now, updated_at = p_now
			FROM o WHERE i.id = o.invoice_id
			    AND i.id = ANY (ARRAY(SELECT invoice_id FROM o));
		END LOOP;
		UPDATE close_src s SET outcome = 'issued', (number,
		    supply_won, vat_won, total_won) = (SELECT i.number,
		    i.supply_won, i.vat_won, i.total_won FROM invoices i
		    WHERE i.id = s.invoice_id)
		    WHERE s.outcome IN ('draft', 'same');
		INSERT INTO audit_events (actor_id, org_id, action,
		    object_type, object_id, summary)
		SELECT NULL, s.vendor_id, 'invoice_issued', 'invoice',
		    s.invoice_id::text, jsonb_build_object('contract',
		    s.contract_id, 'month', to_char(p_month, 'YYYY-MM'),
		    'number', s.number, 'supply_won', s.supply_won,
		    'vat_won', s.vat_won, 'total_won', s.total_won)
		FROM close_src s WHERE s.outcome = 'issued'
		ORDER BY s.contract_id;
		-- One notice per organisation and batch: the invoice itself
		-- when there is one, else the month's list (a vendor with
		-- thousands of contracts gets one notice, not thousands).
		FOR r IN SELECT o.org, o.roles, count(*) AS n,
		    min(s.invoice_id) AS first, min(s.number) AS number,
		    sum(s.total_won) AS total
		    FROM close_src s, LATERAL (VALUES (s.org_id,
		    ARRAY['buyer', 'buyer_approver']), (s.vendor_id,
		    ARRAY['vendor_admin'])) AS o(org, roles)
		    WHERE s.outcome = 'issued' GROUP BY o.org, o.roles
		    ORDER BY o.org
		LOOP
			PERFORM notify_org(r.org, r.roles, 'invoice_issued',
			    CASE WHEN r.n = 1 THEN '청구서 발행: ' || r.number
			    ELSE to_char(p_month, 'YYYY-MM') || ' 청구서 ' ||
			    r.n || '건 발행' END || ' (합계 ' ||
			    to_char(r.total, 'FM999,999,999,999,999,990') ||
			    '원)', CASE WHEN r.n = 1 THEN 'Invoice issued: ' ||
			    r.number ELSE r.n || ' invoices issued for ' ||
			    to_char(p_month, 'YYYY-MM') END || ' (total KRW ' ||
			    to_char(r.total, 'FM999,999,999,999,999,990') || ')',
			    CASE WHEN r.n = 1 THEN '/invoices/' || r.first ELSE
			    '/invoices?month=' || to_char(p_month, 'YYYY-MM')
			    END);
		END LOOP;
	ELSE
		-- Drafts are provisional: one event per vendor and batch
		-- names the drafts written and their totals.
		INSERT INTO audit_events (actor_id, org_id, action,
		    object_type, object_id, summary)
		SELECT NULL, s.vendor_id, 'invoices_drafted', 'invoice_month',
		    to_char(p_month, 'YYYY-MM'), jsonb_build_object('month',
		    to_char(p_month, 'YYYY-MM'), 'count', count(*),
		    'invoices', jsonb_agg(s.invoice_id ORDER BY s.contract_id),
		    'total_won', sum(s.total_won))
		FROM close_src s WHERE s.outcome = 'draft'
		GROUP BY s.vendor_id ORDER BY s.vendor_id;
	END IF;
	RETURN QUERY SELECT s.contract_id, s.invoice_id, s.outcome, s.number
	    FROM close_src s ORDER BY s.contract_id;
END
$$;

-- What has been invoiced under a contract, VAT included: issued (and
-- later) invoices and credit notes (negative), drafts never. p_fy limits
-- it to one fiscal year; p_except leaves one month's invoice out (the
-- month being closed).
CREATE FUNCTION contract_invoiced(p_contract bigint, p_fy integer,
    p_except date)
RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT coalesce(sum(total_won), 0)::bigint FROM invoices
	WHERE contract_id = p_contract AND status <> 'draft'
	    AND (p_fy IS NULL OR fiscal_year = p_fy)
	    AND (p_except IS NULL OR kind <> 'invoice' OR month <> p_except);
$$;

-- The status an issued invoice's lines and payments give it: paid when
-- paid in full (its total less its credit notes) and no dispute is open;
-- disputed while a line is disputed and unsettled; accepted when every
-- line is accepted or credited; else issued.
CREATE FUNCTION invoice_derive_status(p_invoice bigint)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE
	    WHEN EXISTS (SELECT 1 FROM invoice_lines l WHERE
	        l.invoice_id = i.id AND l.review = 'disputed'
	        AND l.resolution IS NULL) THEN 'disputed'
	    WHEN (SELECT coalesce(sum(amount_won), 0) FROM payments p
	        WHERE p.invoice_id = i.id) >= i.total_won + (SELECT
	        coalesce(sum(n.total_won), 0) FROM invoices n
	        WHERE n.corrects_id = i.id AND n.status <> 'draft')
	        AND i.total_won > 0 THEN 'paid'
	    WHEN NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE
	        l.invoice_id = i.id AND l.review IS DISTINCT FROM 'accepted'
	        AND l.resolution IS DISTINCT FROM 'credited') THEN 'accepted'
	    ELSE 'issued' END
	FROM invoices i WHERE i.id = p_invoice;
$$;

-- Moves an invoice to the status its lines and payments give it, with
-- accepted_at / paid_at the first time. Returns the new status.
CREATE FUNCTION invoice_restatus(p_invoice bigint, p_now timestamptz)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text;
BEGIN
	st := invoice_derive_status(p_invoice);
	UPDATE invoices SET status = st, updated_at = p_now,
	    accepted_at = CASE WHEN st = 'accepted' THEN
	        coalesce(accepted_at, p_now) ELSE accepted_at END,
	    paid_at = CASE WHEN st = 'paid' THEN coalesce(paid_at, p_now)
	        ELSE paid_at END
	    WHERE id = p_invoice AND status IS DISTINCT FROM st;
	RETURN st;
END
$$;

-- The agency's 검수 of one line: accept, dispute (with a reason) or
-- withdraw its own dispute. Buyers and approvers of the invoice's agency.
-- Outcomes: ok, no_invoice (not the caller's agency), forbidden (not an
-- agency role), state (a draft, a credit note, paid, or the line not in
-- a state this decision applies to), no_line, reason (missing).
CREATE FUNCTION invoice_review(p_invoice bigint, p_org bigint, p_role text,
    p_user bigint, p_line integer, p_decision text, p_reason text,
    p_rid text, p_addr text, OUT outcome text, OUT status text)
LANGUAGE plpgsql AS $$
DECLARE
	i invoices;
	l invoice_lines;
BEGIN
	SELECT * INTO i FROM invoices WHERE id = p_invoice
	    AND (org_id = p_org OR vendor_id = p_org) FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_invoice';
		RETURN;
	END IF;
	status := i.status;
	IF i.org_id <> p_org OR p_role NOT IN ('buyer', 'buyer_approver') THEN
		outcome := 'forbidden';
		RETURN;
	END IF;
	IF i.kind <> 'invoice' OR i.status NOT IN ('issued', 'accepted',
	    'disputed') THEN
		outcome := 'state';
		RETURN;
	END IF;
	SELECT * INTO l FROM invoice_lines WHERE invoice_id = i.id
	    AND line_no = p_line;
	IF NOT FOUND THEN
		outcome := 'no_line';
		RETURN;
	END IF;
	IF p_decision = 'dispute' AND coalesce(btrim(p_reason), '') = '' THEN
		outcome := 'reason';
		RETURN;
	END IF;
	IF l.resolution = 'credited' OR (p_decision = 'withdraw' AND
	    (l.review IS DISTINCT FROM 'disputed' OR l.resolution IS NOT NULL))
	    OR (p_decision = 'dispute' AND l.review = 'disputed' AND
	    l.resolution IS NULL) OR (p_decision = 'accept' AND
	    l.review = 'accepted') THEN
		outcome := 'state';
		RETURN;
	END IF;
	IF p_decision = 'withdraw' THEN
		UPDATE invoice_lines SET review = NULL, resolution = NULL,
		    reviewed_by = p_user, reviewed_at = now()
		    WHERE invoice_id = i.id AND line_no = p_line;
	ELSE
		UPDATE invoice_lines SET review = CASE p_decision WHEN 'accept'
		    THEN 'accepted' ELSE 'disputed' END,
		    dispute_reason = CASE WHEN p_decision = 'dispute' THEN
		    p_reason ELSE dispute_reason END,
		    dispute_answer = CASE WHEN p_decision = 'dispute' THEN NULL
		    ELSE dispute_answer END, resolution = NULL,
		    reviewed_by = p_user, reviewed_at = now()
		    WHERE invoice_id = i.id AND line_no = p_line;
	END IF;
	status := invoice_restatus(i.id, now());
	PERFORM buyer_audit(p_user, p_org, 'invoice_line_' || CASE p_decision
	    WHEN 'accept' THEN 'accepted' WHEN 'dispute' THEN 'disputed'
	    ELSE 'dispute_withdrawn' END, 'invoice', i.id,
	    jsonb_build_object('line', p_line, 'reason', nullif(p_reason, ''),
	    'status', status), p_rid, p_addr);
	IF p_decision = 'dispute' THEN
		PERFORM notify_org(i.vendor_id, ARRAY['vendor_admin',
		    'vendor_staff'], 'invoice_disputed', '청구서 이의 제기: ' ||
		    i.number || ' ' || p_line || '행', 'Invoice line disputed: ' ||
		    i.number || ' line ' || p_line, '/invoices/' || i.id);
	ELSIF p_decision = 'withdraw' THEN
		PERFORM notify_org(i.vendor_id, ARRAY['vendor_admin',
		    'vendor_staff'], 'invoice_dispute_withdrawn',
		    '청구서 이의 철회: ' || i.number || ' ' || p_line || '행',
		    'Dispute withdrawn: ' || i.number || ' line ' || p_line,
		    '/invoices/' || i.id);
	END IF;
	outcome := 'ok';
END
$$;

-- The vendor answers an open dispute of one line (admin or staff).
-- Outcomes: ok, no_invoice, forbidden, state (no open dispute), no_line,
-- reason (empty answer).
CREATE FUNCTION invoice_answer(p_invoice bigint, p_org bigint, p_role text,
    p_user bigint, p_line integer, p_answer text, p_rid text, p_addr text,
    OUT outcome text, OUT status text)
LANGUAGE plpgsql AS $$
DECLARE
	i invoices;
	l invoice_lines;
BEGIN
	SELECT * INTO i FROM invoices WHERE id = p_invoice
	    AND (org_id = p_org OR vendor_id = p_org) FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_invoice';
		RETURN;
	END IF;
	status := i.status;
	IF i.vendor_id <> p_org OR p_role NOT IN ('vendor_admin',
	    'vendor_staff') THEN
		outcome := 'forbidden';
		RETURN;
	END IF;
	SELECT * INTO l FROM invoice_lines WHERE invoice_id = i.id
	    AND line_no = p_line;
	IF NOT FOUND THEN
		outcome := 'no_line';
		RETURN;
	END IF;
	IF coalesce(btrim(p_answer), '') = '' THEN
		outcome := 'reason';
		RETURN;
	END IF;
	IF l.review IS DISTINCT FROM 'disputed' OR l.resolution IS NOT NULL THEN
		outcome := 'state';
		RETURN;
	END IF;
	UPDATE invoice_lines SET dispute_answer = p_answer
	    WHERE invoice_id = i.id AND line_no = p_line;
	PERFORM buyer_audit(p_user, p_org, 'invoice_dispute_answered',
	    'invoice', i.id, jsonb_build_object('line', p_line, 'answer',
	    p_answer), p_rid, p_addr);
	PERFORM notify_org(i.org_id, ARRAY['buyer', 'buyer_approver'],
	    'invoice_dispute_answered', '이의 답변: ' || i.number || ' ' ||
	    p_line || '행', 'Dispute answered: ' || i.number || ' line ' ||
	    p_line, '/invoices/' || i.id);
	outcome := 'ok';
END
$$;

-- The agency's approver records a payment. Outcomes: ok, no_invoice,
-- forbidden, state (draft, credit note or already paid), too_much (more
-- than is outstanding: total less credit notes less payments), date (in
-- the future or before the invoice was issued).
CREATE FUNCTION invoice_pay(p_invoice bigint, p_org bigint, p_role text,
    p_user bigint, p_amount bigint, p_date date, p_ref text, p_rid text,
    p_addr text, OUT outcome text, OUT status text, OUT payment_id bigint,
    OUT outstanding bigint)
LANGUAGE plpgsql AS $$
DECLARE
	i invoices;
BEGIN
	SELECT * INTO i FROM invoices WHERE id = p_invoice
	    AND (org_id = p_org OR vendor_id = p_org) FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_invoice';
		RETURN;
	END IF;
	status := i.status;
	IF i.org_id <> p_org OR p_role <> 'buyer_approver' THEN
		outcome := 'forbidden';
		RETURN;
	END IF;
	IF i.kind <> 'invoice' OR i.status NOT IN ('issued', 'accepted',
	    'disputed') THEN
		outcome := 'state';
		RETURN;
	END IF;
	IF p_date > kst_today() OR p_date < (i.issued_at AT TIME ZONE
	    'Asia/Seoul')::date THEN
		outcome := 'date';
		RETURN;
	END IF;
	outstanding := i.total_won + (SELECT coalesce(sum(n.total_won), 0)
	    FROM invoices n WHERE n.corrects_id = i.id AND n.status <> 'draft')
	    - (SELECT coalesce(sum(amount_won), 0) FROM payments
	    WHERE invoice_id = i.id);
	IF p_amount > outstanding THEN
		outcome := 'too_much';
		RETURN;
	END IF;
	INSERT INTO payments (invoice_id, amount_won, paid_on, reference,
	    recorded_by) VALUES (i.id, p_amount, p_date, p_ref, p_user)
	    RETURNING id INTO payment_id;
	outstanding := outstanding - p_amount;
	status := invoice_restatus(i.id, now());
	PERFORM buyer_audit(p_user, p_org, 'invoice_payment_recorded',
	    'invoice', i.id, jsonb_build_object('payment', payment_id,
	    'amount_won', p_amount, 'paid_on', p_date, 'reference', p_ref,
	    'status', status), p_rid, p_addr);
	PERFORM notify_org(i.vendor_id, ARRAY['vendor_admin'],
	    'invoice_payment', '입금 기록: ' || i.number || ' ' ||
	    to_char(p_amount, 'FM999,999,999,999,990') || '원',
	    'Payment recorded: ' || i.number || ' KRW ' ||
	    to_char(p_amount, 'FM999,999,999,999,990'), '/invoices/' || i.id);
	outcome := 'ok';
END
$$;

-- The vendor's admin issues a credit note against an issued invoice:
-- p_lines is [{line, amount_won}] with amount_won > 0 the supply amount
-- to credit on that line (at most what is left of it after earlier
-- credit notes). The note has negative lines, VAT mirrored
-- (-floor(|S| x 10 / 100), docs/billing.md §8), the next number of the
-- vendor's sequence, is issued at once, and settles the credited lines'
-- disputes. Outcomes: ok, no_invoice, forbidden, state (draft, credit
-- note, or nothing left to credit on a line), no_line, amount, reason.
CREATE FUNCTION invoice_credit(p_invoice bigint, p_org bigint, p_role text,
    p_user bigint, p_lines jsonb, p_reason text, p_rid text, p_addr text,
    OUT outcome text, OUT credit_note_id bigint, OUT number text,
    OUT status text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	i invoices;
	x record;
	l invoice_lines;
	left_won bigint;
	supply bigint := 0;
	vat bigint;
	n integer := 0;
	s integer;
BEGIN
	SELECT * INTO i FROM invoices WHERE id = p_invoice
	    AND (org_id = p_org OR vendor_id = p_org) FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_invoice';
		RETURN;
	END IF;
	status := i.status;
	IF i.vendor_id <> p_org OR p_role <> 'vendor_admin' THEN
		outcome := 'forbidden';
		RETURN;
	END IF;
	IF i.kind <> 'invoice' OR i.status = 'draft' THEN
		outcome := 'state';
		RETURN;
	END IF;
	IF coalesce(btrim(p_reason), '') = '' THEN
		outcome := 'reason';
		RETURN;
	END IF;
	IF jsonb_typeof(p_lines) <> 'array' OR jsonb_array_length(p_lines) = 0
	    OR jsonb_array_length(p_lines) > 64 THEN
		outcome := 'no_line';
		RETURN;
	END IF;
	INSERT INTO invoices (kind, contract_id, org_id, vendor_id, month,
	    corrects_id, supply_won, vat_won, total_won, fiscal_year, rounding,
	    reason)
	VALUES ('credit_note', i.contract_id, i.org_id, i.vendor_id, i.month,
	    i.id, 0, 0, 0, i.fiscal_year, i.rounding, p_reason)
	RETURNING id INTO credit_note_id;
	FOR x IN SELECT (e->>'line')::integer AS line,
	    (e->>'amount_won')::bigint AS amount
	    FROM jsonb_array_elements(p_lines) e
	LOOP
		SELECT * INTO l FROM invoice_lines WHERE invoice_id = i.id
		    AND line_no = x.line;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no_line' USING ERRCODE = 'P0001';
		END IF;
		left_won := l.amount_won + coalesce((SELECT sum(c.amount_won)
		    FROM invoice_lines c JOIN invoices n ON n.id = c.invoice_id
		    WHERE n.corrects_id = i.id AND c.credits_line = x.line), 0);
		IF left_won <= 0 THEN
			RAISE EXCEPTION 'state' USING ERRCODE = 'P0001';
		END IF;
		IF x.amount IS NULL OR x.amount <= 0 OR x.amount > left_won THEN
			RAISE EXCEPTION 'amount' USING ERRCODE = 'P0001';
		END IF;
		n := n + 1;
		INSERT INTO invoice_lines (invoice_id, line_no, kind, dimension,
		    quantity_micro, amount_won, label_ko, label_en,
		    credits_line)
		VALUES (credit_note_id, n, 'credit', l.dimension, NULL,
		    -x.amount, '정정: ' || l.label_ko, 'Correction: ' ||
		    l.label_en, x.line);
		supply := supply - x.amount;
		UPDATE invoice_lines SET resolution = 'credited',
		    credit_note_id = invoice_credit.credit_note_id
		    WHERE invoice_id = i.id AND line_no = x.line
		    AND review = 'disputed' AND resolution IS NULL;
	END LOOP;
	vat := -((-supply) * 10 / 100);
	s := invoice_take_seq(i.vendor_id, 1);
	UPDATE invoices SET supply_won = supply, vat_won = vat,
	    total_won = supply + vat, status = 'issued', seq = s,
	    number = invoice_number(i.vendor_id, i.month, s),
	    issued_at = now(), updated_at = now()
	    WHERE id = credit_note_id RETURNING invoices.number INTO number;
	status := invoice_restatus(i.id, now());
	PERFORM buyer_audit(p_user, p_org, 'credit_note_issued', 'invoice',
	    i.id, jsonb_build_object('credit_note', credit_note_id,
	    'number', number, 'supply_won', supply, 'vat_won', vat,
	    'lines', p_lines, 'reason', p_reason, 'status', status),
	    p_rid, p_addr);
	PERFORM notify_org(i.org_id, ARRAY['buyer', 'buyer_approver'],
	    'credit_note_issued', '수정(감액) 청구서 발행: ' || number ||
	    ' (원 청구서 ' || i.number || ')', 'Credit note issued: ' ||
	    number || ' (for invoice ' || i.number || ')',
	    '/invoices/' || credit_note_id);
	outcome := 'ok';
EXCEPTION WHEN raise_exception THEN
	-- Everything of this call is rolled back, the number included.
	outcome := SQLERRM;
	credit_note_id := NULL;
	number := NULL;
END
$$;

-- Ceiling alerts for contracts p_contracts: used = invoiced (VAT
-- included) + the drafts not yet issued; each of 50, 80, 90 and 100% of
-- the ceiling fires once per contract, in the inbox and by mail to the
-- agency's users and the vendor's admins. Returns the alerts fired now.
CREATE FUNCTION ceiling_check(p_contracts bigint[])
RETURNS TABLE (contract_id bigint, threshold integer, used_won bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	r record;
BEGIN
	FOR r IN
		WITH u AS (
			SELECT c.id, c.org_id, c.vendor_id, c.title,
			    c.ceiling_won, coalesce(sum(i.total_won), 0)::bigint
			    AS used
			FROM contracts c LEFT JOIN invoices i
			    ON i.contract_id = c.id
			WHERE c.id = ANY (p_contracts)
			GROUP BY c.id)
		INSERT INTO ceiling_alerts (contract_id, threshold, used_won)
		SELECT u.id, t.t, u.used FROM u, (VALUES (50), (80), (90),
		    (100)) AS t(t)
		WHERE u.used::numeric * 100 >= u.ceiling_won::numeric * t.t
		ORDER BY u.id, t.t
		ON CONFLICT DO NOTHING
		RETURNING ceiling_alerts.contract_id, ceiling_alerts.threshold,
		    ceiling_alerts.used_won
	LOOP
		contract_id := r.contract_id;
		threshold := r.threshold;
		used_won := r.used_won;
		RETURN NEXT;
	END LOOP;
	FOR r IN SELECT a.contract_id, a.threshold, a.used_won, c.org_id,
	    c.vendor_id, c.title, c.ceiling_won FROM ceiling_alerts a
	    JOIN contracts c ON c.id = a.contract_id
	    WHERE a.contract_id = ANY (p_contracts)
	    AND a.fired_at = now()
	LOOP
		PERFORM notify_org(r.org_id, ARRAY['buyer', 'buyer_approver'],
		    'ceiling_alert', '계약금액 ' || r.threshold || '% 도달: #' ||
		    r.contract_id || ' ' || r.title || ' (' ||
		    to_char(r.used_won, 'FM999,999,999,999,990') || ' / ' ||
		    to_char(r.ceiling_won, 'FM999,999,999,999,990') || '원)',
		    'Ceiling ' || r.threshold || '% reached: #' ||
		    r.contract_id || ' ' || r.title || ' (KRW ' ||
		    to_char(r.used_won, 'FM999,999,999,999,990') || ' of ' ||
		    to_char(r.ceiling_won, 'FM999,999,999,999,990') || ')',
		    '/dashboard');
		PERFORM notify_org(r.vendor_id, ARRAY['vendor_admin'],
		    'ceiling_alert', '계약금액 ' || r.threshold || '% 도달: #' ||
		    r.contract_id, 'Ceiling ' || r.threshold || '% reached: #' ||
		    r.contract_id, '/contracts/' || r.contract_id);
		INSERT INTO audit_events (actor_id, org_id, action,
		    object_type, object_id, summary)
		VALUES (NULL, r.org_id, 'ceiling_alert', 'contract',
		    r.contract_id::text, jsonb_build_object('threshold',
		    r.threshold, 'used_won', r.used_won, 'ceiling_won',
		    r.ceiling_won));
	END LOOP;
END
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE, DELETE ON invoice_lines TO gureum_app;
		GRANT SELECT, INSERT, UPDATE ON invoices, payments,
		    invoice_sequences, ceiling_alerts TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
