-- Contract amendments (app/contract.c): a change of the ceiling or the end
-- date of an active or suspended contract, proposed by one side (the
-- agency's approver or the vendor's admin) and accepted or rejected by
-- the other. An accepted amendment becomes the contract's next version:
-- the contract row takes the new terms, the amendment keeps the terms of
-- that version and the SHA-256 of its document, so every version that
-- was ever in force can be shown and checked. One proposal is open at a
-- time per contract.

ALTER TABLE contracts ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE contract_amendments (
	id		bigserial PRIMARY KEY,
	contract_id	bigint NOT NULL REFERENCES contracts (id),
	proposed_by_org	bigint NOT NULL REFERENCES organisations (id),
	proposed_by	bigint NOT NULL REFERENCES users (id),
	ceiling_won	bigint NOT NULL CHECK (ceiling_won > 0 AND
			    ceiling_won <= 100000000000000),
	end_date	date NOT NULL,
	fy_split	jsonb NOT NULL DEFAULT '{}'
			    CHECK (jsonb_typeof(fy_split) = 'object'),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
	status		text NOT NULL DEFAULT 'proposed' CHECK (status IN
			    ('proposed', 'accepted', 'rejected', 'withdrawn')),
	version		integer,		-- the contract version it made
	document_hash	text CHECK (document_hash ~ '^[0-9a-f]{64}$'),
	decided_by	bigint REFERENCES users (id),
	decided_at	timestamptz,
	decision_note	text NOT NULL DEFAULT '' CHECK (length(decision_note) <= 1000),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX contract_amendments_open_idx
	ON contract_amendments (contract_id) WHERE status = 'proposed';

-- Proposes an amendment. p_role is the caller's role. Outcomes: proposed,
-- no_contract, forbidden (not the agency's approver or the vendor's
-- admin), state (not active or suspended), open (one is open already),
-- end (before the start, or before today), same (nothing changes), and
-- contract_service_ok()'s (an amendment is a step towards signature).
CREATE FUNCTION contract_amend_propose(p_id bigint, p_org bigint,
    p_role text, p_user bigint, p_ceiling bigint, p_end date, p_fy jsonb,
    p_reason text, p_rid text, p_addr text,
    OUT outcome text, OUT amendment_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	c contracts;
	ok text;
BEGIN
	SELECT * INTO c FROM contracts WHERE id = p_id
	    AND (org_id = p_org OR vendor_id = p_org) FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_contract';
		RETURN;
	END IF;
	IF NOT ((c.org_id = p_org AND p_role = 'buyer_approver') OR
	    (c.vendor_id = p_org AND p_role = 'vendor_admin')) THEN
		outcome := 'forbidden';
		RETURN;
	END IF;
	IF c.status NOT IN ('active', 'suspended') THEN
		outcome := 'state';
		RETURN;
	END IF;
	IF EXISTS (SELECT 1 FROM contract_amendments WHERE contract_id = p_id
	    AND status = 'proposed') THEN
		outcome := 'open';
		RETURN;
	END IF;
	IF p_end < c.start_date OR
	    p_end < (now() AT TIME ZONE 'Asia/Seoul')::date THEN
		outcome := 'end';
		RETURN;
	END IF;
	IF p_ceiling = c.ceiling_won AND p_end = c.end_date AND
	    p_fy = c.fy_split THEN
		outcome := 'same';
		RETURN;
	END IF;
	IF p_fy = '{}'::jsonb AND c.fy_split <> '{}'::jsonb THEN
		outcome := 'fy_needed';
		RETURN;
	END IF;
	ok := contract_service_ok(c.listing_id);
	IF ok <> 'ok' THEN
		outcome := ok;
		RETURN;
	END IF;
	INSERT INTO contract_amendments (contract_id, proposed_by_org,
	    proposed_by, ceiling_won, end_date, fy_split, reason)
	VALUES (p_id, p_org, p_user, p_ceiling, p_end, p_fy, p_reason)
	RETURNING id INTO amendment_id;
	PERFORM buyer_audit(p_user, p_org, 'contract_amendment_proposed',
	    'contract', p_id, jsonb_build_object('amendment', amendment_id,
	    'from', jsonb_build_object('ceiling_won', c.ceiling_won,
	    'end', c.end_date), 'to', jsonb_build_object('ceiling_won',
	    p_ceiling, 'end', p_end), 'reason', p_reason), p_rid, p_addr);
	PERFORM notify_org(CASE WHEN p_org = c.org_id THEN c.vendor_id
	    ELSE c.org_id END, CASE WHEN p_org = c.org_id
	    THEN ARRAY['vendor_admin'] ELSE ARRAY['buyer_approver'] END,
	    'contract_amendment', '계약 변경 제안: #' || p_id || ' ' || c.title,
	    'Contract amendment proposed: #' || p_id || ' ' || c.title,
	    '/contracts/' || p_id);
	outcome := 'proposed';
END
$$;

-- Accepts or rejects (p_accept) an open amendment: only the other side
-- (approver of the agency, admin of the vendor); the proposer may
-- withdraw it (p_accept NULL). On acceptance the contract takes the new
-- terms and its next version; p_hash is the new version's document hash.
-- Outcomes: ok, no_amendment, forbidden, state, and
-- contract_service_ok()'s for acceptance.
CREATE FUNCTION contract_amend_decide(p_amendment bigint, p_org bigint,
    p_role text, p_user bigint, p_accept boolean, p_note text, p_hash text,
    p_rid text, p_addr text, OUT outcome text, OUT contract_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	a contract_amendments;
	c contracts;
	ok text;
	mine boolean;
BEGIN
	SELECT * INTO a FROM contract_amendments WHERE id = p_amendment;
	IF NOT FOUND THEN
		outcome := 'no_amendment';
		RETURN;
	END IF;
	SELECT * INTO c FROM contracts WHERE id = a.contract_id
	    AND (org_id = p_org OR vendor_id = p_org) FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_amendment';
		RETURN;
	END IF;
	contract_id := c.id;
	SELECT * INTO a FROM contract_amendments WHERE id = p_amendment
	    FOR UPDATE;
	IF a.status <> 'proposed' THEN
		outcome := 'state';
		RETURN;
	END IF;
	mine := a.proposed_by_org = p_org;
	IF (p_accept IS NULL AND NOT mine) OR (p_accept IS NOT NULL AND mine)
	    OR NOT ((c.org_id = p_org AND p_role = 'buyer_approver') OR
	    (c.vendor_id = p_org AND p_role = 'vendor_admin')) THEN
		outcome := 'forbidden';
		RETURN;
	END IF;
	IF p_accept THEN
		IF c.status NOT IN ('active', 'suspended') THEN
			outcome := 'state';
			RETURN;
		END IF;
		ok := contract_service_ok(c.listing_id);
		IF ok <> 'ok' THEN
			outcome := ok;
			RETURN;
		END IF;
		UPDATE contracts SET ceiling_won = a.ceiling_won,
		    end_date = a.end_date, fy_split = a.fy_split,
		    version = version + 1, updated_at = now()
		    WHERE id = c.id;
	END IF;
	UPDATE contract_amendments SET status = CASE WHEN p_accept IS NULL
	    THEN 'withdrawn' WHEN p_accept THEN 'accepted' ELSE 'rejected' END,
	    decided_by = p_user, decided_at = now(),
	    decision_note = coalesce(p_note, ''),
	    version = CASE WHEN p_accept THEN c.version + 1 END,
	    document_hash = CASE WHEN p_accept THEN p_hash END
	    WHERE id = a.id;
	PERFORM buyer_audit(p_user, p_org, 'contract_amendment_' ||
	    CASE WHEN p_accept IS NULL THEN 'withdrawn' WHEN p_accept
	    THEN 'accepted' ELSE 'rejected' END, 'contract', c.id,
	    jsonb_build_object('amendment', a.id, 'note', p_note,
	    'document_hash', CASE WHEN p_accept THEN p_hash END,
	    'version', CASE WHEN p_accept THEN c.version + 1 END),
	    p_rid, p_addr);
	PERFORM notify_org(a.proposed_by_org, ARRAY['buyer_approver',
	    'vendor_admin'], 'contract_amendment', '계약 변경 ' ||
	    CASE WHEN p_accept IS NULL THEN '철회' WHEN p_accept THEN '합의'
	    ELSE '거절' END || ': #' || c.id, 'Contract amendment ' ||
	    CASE WHEN p_accept IS NULL THEN 'withdrawn' WHEN p_accept
	    THEN 'accepted' ELSE 'rejected' END || ': #' || c.id,
	    '/contracts/' || c.id);
	outcome := 'ok';
END
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE ON contract_amendments TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
