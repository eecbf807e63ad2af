-- Quote requests (견적요청) and free-trial requests (app/quote.c).
--
-- A buyer asks a vendor for a price before contracting: per service, the
-- quantities it expects per dimension of the listing's rate plan, the
-- price it hopes for (VAT included or not), a delivery date and a
-- deadline for the answer. The vendor answers with a price and notes
-- before the deadline (later answers are refused, with the deadline in
-- the message); the buyer compares the answers of a shortlist side by
-- side, asks again (a new round with a new deadline) or accepts one. A
-- free-trial request carries the listing's trial terms to the vendor.
--
-- States: open --answer--> answered --reask--> open (round + 1)
--         answered --accept--> accepted; open|answered --decline-->
--         declined (by the vendor) / withdrawn (by the buyer).
-- An open request past its deadline counts as expired wherever it is
-- read (quote_status()); nothing has to run for that.
--
-- Every step is one function call that checks the party, the state and
-- the deadline, writes the audit event and notifies the other side.
-- A contract may be created from an accepted quote (contracts.quote_id);
-- the time to contract is then counted from the first request.

CREATE TABLE quote_requests (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	vendor_id	bigint NOT NULL REFERENCES organisations (id),
	listing_id	bigint NOT NULL REFERENCES listings (id),
	shortlist_id	bigint REFERENCES shortlists (id),
	kind		text NOT NULL DEFAULT 'quote'
			    CHECK (kind IN ('quote', 'trial')),
	quantities	jsonb NOT NULL DEFAULT '{}'
			    CHECK (jsonb_typeof(quantities) = 'object'),
	desired_price_won bigint CHECK (desired_price_won > 0),
	vat_included	boolean NOT NULL DEFAULT true,
	delivery_date	date,
	deadline	timestamptz NOT NULL,
	message		text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
	status		text NOT NULL DEFAULT 'open' CHECK (status IN ('open',
			    'answered', 'accepted', 'declined', 'withdrawn')),
	round		integer NOT NULL DEFAULT 1 CHECK (round BETWEEN 1 AND 20),
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quote_requests_org_idx ON quote_requests (org_id, id);
CREATE INDEX quote_requests_vendor_idx ON quote_requests (vendor_id, id);
CREATE INDEX quote_requests_shortlist_idx ON quote_requests (shortlist_id);

CREATE TABLE quote_answers (
	id		bigserial PRIMARY KEY,
	request_id	bigint NOT NULL REFERENCES quote_requests (id),
	round		integer NOT NULL,
	price_won	bigint NOT NULL CHECK (price_won >= 0 AND
			    price_won <= 100000000000000),
	vat_included	boolean NOT NULL,
	notes		text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
	answered_by	bigint NOT NULL REFERENCES users (id),
	answered_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (request_id, round)
);

ALTER TABLE contracts ADD COLUMN quote_id bigint REFERENCES quote_requests (id);

-- contract_create() gains the accepted quote a contract may come from
-- (outcome no_quote when it is not an accepted quote of that agency for
-- that listing); the time to contract then starts at the first request.
DROP FUNCTION contract_create(bigint, bigint, bigint, text, date, date,
    bigint, jsonb, text[], text, text, text, integer, text, text, text,
    text);
CREATE FUNCTION contract_create(p_org bigint, p_user bigint,
    p_decision bigint, p_title text, p_start date, p_end date,
    p_ceiling bigint, p_fy jsonb, p_tags text[], p_rounding text,
    p_handover text, p_data_end text, p_notice integer, p_deviations text,
    p_token text, p_quote bigint, p_rid text, p_addr text,
    OUT outcome text, OUT contract_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	q quote_requests;
	d eligibility_decisions;
	l listings;
	ok text;
	v integer;
BEGIN
	SELECT id INTO contract_id FROM contracts
	    WHERE org_id = p_org AND client_token = p_token;
	IF FOUND THEN
		outcome := 'exists';
		RETURN;
	END IF;
	SELECT * INTO d FROM eligibility_decisions
	    WHERE id = p_decision AND org_id = p_org;
	IF NOT FOUND THEN
		outcome := 'no_decision';
		RETURN;
	END IF;
	IF NOT (d.outcome = 'eligible' OR (d.outcome = 'agency_decision'
	    AND d.agency_choice = 'proceed')) OR d.start_date <> p_start THEN
		outcome := 'not_allowed';
		RETURN;
	END IF;
	IF p_quote IS NOT NULL THEN
		SELECT * INTO q FROM quote_requests WHERE id = p_quote
		    AND org_id = p_org AND listing_id = d.listing_id
		    AND status = 'accepted';
		IF NOT FOUND THEN
			outcome := 'no_quote';
			RETURN;
		END IF;
	END IF;
	ok := contract_service_ok(d.listing_id);
	IF ok <> 'ok' THEN
		outcome := ok;
		RETURN;
	END IF;
	SELECT * INTO l FROM listings WHERE id = d.listing_id FOR UPDATE;
	v := l.current_version;
	IF v IS NULL THEN
		v := listing_version_create(l.id, p_user,
		    'pinned by a contract');
	END IF;
	INSERT INTO contracts (org_id, vendor_id, listing_id, listing_version,
	    rate_plan, system_id, decision_id, title, start_date, end_date,
	    ceiling_won, fy_split, tags, rounding, handover, data_end,
	    notice_days, deviations, client_token, created_by,
	    first_request_at, quote_id)
	SELECT p_org, l.vendor_id, l.id, v, lv.rate_plan, d.system_id, d.id,
	    p_title, p_start, p_end, p_ceiling, p_fy, p_tags, p_rounding,
	    p_handover, p_data_end, p_notice, p_deviations, p_token, p_user,
	    least((SELECT min(i.added_at) FROM shortlist_items i
	     JOIN shortlists s ON s.id = i.shortlist_id
	     WHERE s.org_id = p_org AND i.listing_id = l.id),
	     (SELECT min(r.created_at) FROM quote_requests r
	     WHERE r.org_id = p_org AND r.listing_id = l.id)), p_quote
	    FROM listing_versions lv
	    WHERE lv.listing_id = l.id AND lv.version = v
	RETURNING id INTO contract_id;
	PERFORM buyer_audit(p_user, p_org, 'contract_created', 'contract',
	    contract_id, jsonb_build_object('listing', l.id, 'version', v,
	    'ceiling_won', p_ceiling, 'start', p_start, 'end', p_end,
	    'decision', d.id, 'quote', p_quote), p_rid, p_addr);
	outcome := 'created';
END
$$;

-- The status as people see it: open past its deadline is expired.
CREATE FUNCTION quote_status(q quote_requests) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN q.status = 'open' AND q.deadline < now()
	    THEN 'expired' ELSE q.status END;
$$;

-- A request. Outcomes: created, no_listing (not published), no_trial
-- (a trial of a listing without one), no_list (a shortlist of another
-- agency), past (deadline not in the future), and contract_service_ok()'s.
CREATE FUNCTION quote_create(p_org bigint, p_user bigint, p_listing bigint,
    p_shortlist bigint, p_kind text, p_quantities jsonb, p_desired bigint,
    p_vat boolean, p_delivery date, p_deadline timestamptz, p_message text,
    p_rid text, p_addr text, OUT outcome text, OUT request_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	l listings;
	ok text;
BEGIN
	SELECT * INTO l FROM listings WHERE id = p_listing
	    AND status = 'published';
	IF NOT FOUND THEN
		outcome := 'no_listing';
		RETURN;
	END IF;
	IF p_kind = 'trial' AND l.free_trial_url = '' AND
	    l.free_trial_terms_ko = '' THEN
		outcome := 'no_trial';
		RETURN;
	END IF;
	IF p_shortlist IS NOT NULL AND NOT EXISTS (SELECT 1 FROM shortlists
	    WHERE id = p_shortlist AND org_id = p_org) THEN
		outcome := 'no_list';
		RETURN;
	END IF;
	IF p_deadline <= now() THEN
		outcome := 'past';
		RETURN;
	END IF;
	ok := contract_service_ok(p_listing);
	IF ok <> 'ok' THEN
		outcome := ok;
		RETURN;
	END IF;
	INSERT INTO quote_requests (org_id, vendor_id, listing_id,
	    shortlist_id, kind, quantities, desired_price_won, vat_included,
	    delivery_date, deadline, message, created_by)
	VALUES (p_org, l.vendor_id, l.id, p_shortlist, p_kind, p_quantities,
	    p_desired, p_vat, p_delivery, p_deadline, p_message, p_user)
	RETURNING id INTO request_id;
	PERFORM buyer_audit(p_user, p_org, 'quote_requested', 'quote',
	    request_id, jsonb_build_object('listing', l.id, 'kind', p_kind,
	    'quantities', p_quantities, 'deadline', p_deadline), p_rid, p_addr);
	PERFORM notify_org(l.vendor_id, ARRAY['vendor_admin', 'vendor_staff'],
	    'quote_requested', CASE p_kind WHEN 'trial' THEN '무료 체험 요청: '
	    ELSE '견적 요청: ' END || l.name_ko || ' #' || request_id,
	    CASE p_kind WHEN 'trial' THEN 'Free-trial request: '
	    ELSE 'Quote request: ' END || coalesce(nullif(l.name_en, ''),
	    l.name_ko) || ' #' || request_id, '/quotes/' || request_id);
	outcome := 'created';
END
$$;

-- One step of a request. p_kind is the caller organisation's kind.
-- Outcomes: ok, no_request, forbidden, state (was names it), late (the
-- deadline passed), and contract_service_ok()'s for accept.
CREATE FUNCTION quote_step(p_id bigint, p_org bigint, p_kind text,
    p_user bigint, p_step text, p_price bigint, p_vat boolean,
    p_text text, p_deadline timestamptz, p_rid text, p_addr text,
    OUT outcome text, OUT was text)
LANGUAGE plpgsql AS $$
DECLARE
	q quote_requests;
	ok text;
	next text;
	who bigint;
BEGIN
	SELECT * INTO q FROM quote_requests WHERE id = p_id
	    AND (org_id = p_org OR vendor_id = p_org) FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_request';
		RETURN;
	END IF;
	was := quote_status(q);
	IF (p_step IN ('answer', 'decline') AND q.vendor_id <> p_org) OR
	    (p_step IN ('reask', 'accept', 'withdraw') AND q.org_id <> p_org)
	    THEN
		outcome := 'forbidden';
		RETURN;
	END IF;
	IF p_step = 'answer' AND q.status = 'open' AND q.deadline < now() THEN
		outcome := 'late';
		RETURN;
	END IF;
	next := CASE
	    WHEN p_step = 'answer' AND was = 'open' THEN 'answered'
	    WHEN p_step = 'decline' AND was IN ('open', 'answered')
		THEN 'declined'
	    WHEN p_step = 'reask' AND was IN ('answered', 'expired')
		THEN 'open'
	    WHEN p_step = 'accept' AND was = 'answered' THEN 'accepted'
	    WHEN p_step = 'withdraw' AND was IN ('open', 'answered', 'expired')
		THEN 'withdrawn'
	    END;
	IF next IS NULL THEN
		outcome := 'state';
		RETURN;
	END IF;
	IF p_step = 'reask' AND (p_deadline IS NULL OR p_deadline <= now())
	    THEN
		outcome := 'past';
		RETURN;
	END IF;
	IF p_step = 'reask' AND q.round >= 20 THEN
		outcome := 'state';
		RETURN;
	END IF;
	IF p_step = 'accept' THEN
		ok := contract_service_ok(q.listing_id);
		IF ok <> 'ok' THEN
			outcome := ok;
			RETURN;
		END IF;
	END IF;
	IF p_step = 'answer' THEN
		INSERT INTO quote_answers (request_id, round, price_won,
		    vat_included, notes, answered_by)
		VALUES (q.id, q.round, p_price, p_vat, coalesce(p_text, ''),
		    p_user);
	END IF;
	UPDATE quote_requests SET status = next, updated_at = now(),
	    round = CASE WHEN p_step = 'reask' THEN round + 1 ELSE round END,
	    deadline = CASE WHEN p_step = 'reask' THEN p_deadline
		ELSE deadline END,
	    message = CASE WHEN p_step = 'reask' AND coalesce(p_text, '') <> ''
		THEN p_text ELSE message END
	    WHERE id = q.id;
	PERFORM buyer_audit(p_user, p_org, 'quote_' || p_step, 'quote', q.id,
	    jsonb_build_object('from', was, 'to', next, 'round', q.round)
	    || CASE WHEN p_step = 'answer' THEN jsonb_build_object(
	    'price_won', p_price, 'vat_included', p_vat) ELSE '{}'::jsonb END,
	    p_rid, p_addr);
	IF p_step IN ('answer', 'decline') THEN
		PERFORM notify_org(q.org_id, ARRAY['buyer', 'buyer_approver'],
		    'quote_' || p_step, '견적 ' || CASE p_step WHEN 'answer'
		    THEN '답변' ELSE '거절' END || ': #' || q.id,
		    'Quote ' || p_step || 'ed: #' || q.id, '/quotes/' || q.id);
	ELSE
		PERFORM notify_org(q.vendor_id, ARRAY['vendor_admin',
		    'vendor_staff'], 'quote_' || p_step, '견적 ' || CASE p_step
		    WHEN 'reask' THEN '재요청' WHEN 'accept' THEN '채택'
		    ELSE '철회' END || ': #' || q.id, 'Quote ' || p_step ||
		    ': #' || q.id, '/quotes/' || q.id);
	END IF;
	outcome := 'ok';
END
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE ON quote_requests TO gureum_app;
		GRANT SELECT, INSERT ON quote_answers TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
