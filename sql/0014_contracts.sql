-- Contracts (app/contract.c): 디지털서비스 전문계약, the direct (수의계약)
-- route, from a listing an agency has checked for one of its systems;
-- the in-product notifications; and what the loss of a certificate or a
-- vendor does to contracts (flags, transition cases, notices).
--
-- A contract pins the listing version and its rate plan at creation, so
-- later edits of the listing never change what was bought. States:
--
--   draft --submit--> awaiting_approval --approve--> awaiting_vendor
--     --accept--> active --suspend--> suspended --resume--> active
--   active|suspended --end--> ended (expired, terminated, handed_over)
--   awaiting_approval|awaiting_vendor --return--> draft (with a reason)
--   draft|awaiting_* --cancel--> cancelled
--
-- Each step is one call of contract_step(), which checks who may take it
-- (the agency's buyers draft and submit, its approver approves, the
-- vendor's admin accepts, the procurement office suspends and resumes),
-- the state it starts from, and, for every step that moves a contract
-- towards signature, that the service may still be sold: the listing
-- published, the vendor approved, and no CSAP certificate of the listing
-- lost without a valid one left (contract_service_ok()). The step and
-- its audit event are written together; concurrent steps on one
-- contract are serialised by the row lock, so of two approvers one wins
-- and the other gets the state it found.
--
-- On acceptance the contract document (its terms as JSON) is hashed
-- (SHA-256, hex) and the hash stored: the document shown later can be
-- checked against it.

CREATE TABLE contracts (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	vendor_id	bigint NOT NULL REFERENCES organisations (id),
	listing_id	bigint NOT NULL REFERENCES listings (id),
	listing_version	integer NOT NULL,
	rate_plan	jsonb,
	system_id	bigint NOT NULL REFERENCES agency_systems (id),
	decision_id	bigint NOT NULL REFERENCES eligibility_decisions (id),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	start_date	date NOT NULL,
	end_date	date NOT NULL,
	ceiling_won	bigint NOT NULL CHECK (ceiling_won > 0 AND
			    ceiling_won <= 100000000000000),
	fy_split	jsonb NOT NULL DEFAULT '{}'
			    CHECK (jsonb_typeof(fy_split) = 'object'),
	tags		text[] NOT NULL DEFAULT '{}'
			    CHECK (cardinality(tags) <= 20),
	rounding	text NOT NULL DEFAULT 'half_up'
			    CHECK (rounding IN ('half_up', 'down')),
	handover	text NOT NULL DEFAULT '' CHECK (length(handover) <= 2000),
	data_end	text NOT NULL DEFAULT 'return'
			    CHECK (data_end IN ('return', 'destroy')),
	notice_days	integer NOT NULL DEFAULT 30
			    CHECK (notice_days BETWEEN 30 AND 365),
	deviations	text NOT NULL DEFAULT '' CHECK (length(deviations) <= 4000),
	status		text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft',
			    'awaiting_approval', 'awaiting_vendor', 'active',
			    'suspended', 'ended', 'cancelled')),
	end_reason	text CHECK (end_reason IN ('expired', 'terminated',
			    'handed_over')),
	client_token	text NOT NULL CHECK (length(client_token)
			    BETWEEN 8 AND 64),
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	first_request_at timestamptz,
	activated_at	timestamptz,
	document_hash	text CHECK (document_hash ~ '^[0-9a-f]{64}$'),
	flagged_at	timestamptz,
	flag_reason	text,
	FOREIGN KEY (listing_id, listing_version)
	    REFERENCES listing_versions (listing_id, version),
	CHECK (end_date >= start_date),
	CHECK ((status = 'ended') = (end_reason IS NOT NULL)),
	UNIQUE (org_id, client_token)
);
CREATE INDEX contracts_org_idx ON contracts (org_id, id);
CREATE INDEX contracts_vendor_idx ON contracts (vendor_id, id);
CREATE INDEX contracts_listing_idx ON contracts (listing_id);

-- A per-user inbox. Mail copies go to mail_outbox (0003) in the same
-- statement, for a sender to drain.
CREATE TABLE notifications (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id),
	kind		text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
	subject_ko	text NOT NULL,
	subject_en	text NOT NULL,
	link		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	read_at		timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id)
	WHERE read_at IS NULL;

-- One per contract affected by a lost certificate or vendor, tracked by
-- the procurement office to remediation or hand-over.
CREATE TABLE transition_cases (
	id		bigserial PRIMARY KEY,
	contract_id	bigint NOT NULL REFERENCES contracts (id),
	cause		text NOT NULL CHECK (cause IN ('certificate_expired',
			    'certificate_suspended', 'certificate_revoked',
			    'vendor_suspended', 'vendor_closed')),
	certificate_id	bigint REFERENCES certificates (id),
	opened_at	timestamptz NOT NULL DEFAULT now(),
	deadline	date NOT NULL,
	status		text NOT NULL DEFAULT 'open' CHECK (status IN ('open',
			    'remediated', 'handed_over', 'terminated')),
	closed_at	timestamptz,
	closed_by	bigint REFERENCES users (id),
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 2000)
);
-- One open case per contract and cause.
CREATE UNIQUE INDEX transition_cases_open_idx
	ON transition_cases (contract_id, cause) WHERE status = 'open';

-- May this listing be contracted now? The listing published, its vendor
-- approved, and if it ever had a CSAP certificate, one valid today
-- (Korea time). Eligibility itself (the rules, the system) was decided
-- and recorded before; this guard is what a lost certificate changes.
CREATE FUNCTION contract_service_ok(p_listing bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
	    WHEN l.status <> 'published' THEN 'listing_unavailable'
	    WHEN o.status <> 'approved' THEN 'vendor_unavailable'
	    WHEN EXISTS (SELECT 1 FROM certificates c
	        WHERE c.listing_id = l.id AND c.scheme = 'csap')
	        AND NOT EXISTS (SELECT 1 FROM certificates c
	        WHERE c.listing_id = l.id AND c.scheme = 'csap'
	        AND c.status = 'valid' AND (c.expiry_date IS NULL OR
	        c.expiry_date >= (now() AT TIME ZONE 'Asia/Seoul')::date))
	        THEN 'certificate_lost'
	    ELSE 'ok' END
	FROM listings l JOIN organisations o ON o.id = l.vendor_id
	WHERE l.id = p_listing;
$$;

-- Notifies every active user of organisation p_org with one of p_roles,
-- in the inbox and as mail.
CREATE FUNCTION notify_org(p_org bigint, p_roles text[], p_kind text,
    p_ko text, p_en text, p_link text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	INSERT INTO notifications (user_id, kind, subject_ko, subject_en, link)
	SELECT u.id, p_kind, p_ko, p_en, p_link FROM users u
	    WHERE u.org_id = p_org AND u.status = 'active'
	    AND u.role = ANY (p_roles);
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO mail_outbox (to_address, subject, body)
	SELECT u.email, left(p_ko || ' / ' || p_en, 300),
	    p_ko || E'\n\n' || p_en || E'\n\n' || p_link
	    FROM users u WHERE u.org_id = p_org AND u.status = 'active'
	    AND u.role = ANY (p_roles);
	RETURN n;
END
$$;

-- Creates a draft from a recorded eligibility decision that allows it
-- (eligible, or left to the agency and recorded as 'proceed'), made for
-- that agency. The same client_token twice returns the first contract
-- (a double submission creates one). Outcomes: created, exists,
-- no_decision, not_allowed, and those of contract_service_ok().
CREATE FUNCTION contract_create(p_org bigint, p_user bigint,
    p_decision bigint, p_title text, p_start date, p_end date,
    p_ceiling bigint, p_fy jsonb, p_tags text[], p_rounding text,
    p_handover text, p_data_end text, p_notice integer, p_deviations text,
    p_token text, p_rid text, p_addr text,
    OUT outcome text, OUT contract_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
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
	    first_request_at)
	SELECT p_org, l.vendor_id, l.id, v, lv.rate_plan, d.system_id, d.id,
	    p_title, p_start, p_end, p_ceiling, p_fy, p_tags, p_rounding,
	    p_handover, p_data_end, p_notice, p_deviations, p_token, p_user,
	    (SELECT min(i.added_at) FROM shortlist_items i
	     JOIN shortlists s ON s.id = i.shortlist_id
	     WHERE s.org_id = p_org AND i.listing_id = l.id)
	    FROM listing_versions lv
	    WHERE lv.listing_id = l.id AND lv.version = v
	RETURNING id INTO contract_id;
	PERFORM buyer_audit(p_user, p_org, 'contract_created', 'contract',
	    contract_id, jsonb_build_object('listing', l.id, 'version', v,
	    'ceiling_won', p_ceiling, 'start', p_start, 'end', p_end,
	    'decision', d.id), p_rid, p_addr);
	outcome := 'created';
END
$$;

-- One step of a contract (see the state diagram above). p_kind is the
-- caller's organisation kind, p_role its role. Outcomes: ok, no_contract
-- (not the caller's), forbidden (not this role's step), state (not from
-- this state; was says where it is), reason (a reason is required), and
-- those of contract_service_ok() for steps towards signature.
CREATE FUNCTION contract_step(p_id bigint, p_org bigint, p_kind text,
    p_role text, p_user bigint, p_step text, p_reason text, p_doc_hash text,
    p_rid text, p_addr text, OUT outcome text, OUT was text)
LANGUAGE plpgsql AS $$
DECLARE
	c contracts;
	ok text;
	next text;
	why text;
	need_reason boolean := false;
	towards boolean := false;
	allowed boolean := false;
BEGIN
	SELECT * INTO c FROM contracts WHERE id = p_id AND
	    (org_id = p_org OR vendor_id = p_org OR p_kind = 'operator')
	    FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_contract';
		RETURN;
	END IF;
	was := c.status;
	CASE p_step
	WHEN 'submit' THEN
		allowed := c.org_id = p_org AND p_role IN ('buyer',
		    'buyer_approver');
		IF c.status = 'draft' THEN next := 'awaiting_approval'; END IF;
		towards := true;
	WHEN 'approve' THEN
		allowed := c.org_id = p_org AND p_role = 'buyer_approver';
		IF c.status = 'awaiting_approval' THEN
			next := 'awaiting_vendor';
		END IF;
		towards := true;
	WHEN 'accept' THEN
		allowed := c.vendor_id = p_org AND p_role = 'vendor_admin';
		IF c.status = 'awaiting_vendor' THEN next := 'active'; END IF;
		towards := true;
	WHEN 'return' THEN
		allowed := (c.org_id = p_org AND p_role = 'buyer_approver'
		    AND c.status = 'awaiting_approval') OR
		    (c.vendor_id = p_org AND p_role = 'vendor_admin'
		    AND c.status = 'awaiting_vendor');
		IF c.status IN ('awaiting_approval', 'awaiting_vendor') THEN
			next := 'draft';
		END IF;
		need_reason := true;
	WHEN 'cancel' THEN
		allowed := c.org_id = p_org AND p_role IN ('buyer',
		    'buyer_approver');
		IF c.status IN ('draft', 'awaiting_approval',
		    'awaiting_vendor') THEN
			next := 'cancelled';
		END IF;
	WHEN 'suspend' THEN
		allowed := p_kind = 'operator' AND p_role IN ('reviewer',
		    'platform_admin');
		IF c.status = 'active' THEN next := 'suspended'; END IF;
		need_reason := true;
	WHEN 'resume' THEN
		allowed := p_kind = 'operator' AND p_role IN ('reviewer',
		    'platform_admin');
		IF c.status = 'suspended' THEN next := 'active'; END IF;
		need_reason := true;
		towards := true;
	WHEN 'terminate', 'hand_over' THEN
		allowed := (c.org_id = p_org AND p_role = 'buyer_approver') OR
		    (p_kind = 'operator' AND p_role IN ('reviewer',
		    'platform_admin'));
		IF c.status IN ('active', 'suspended') THEN next := 'ended'; END IF;
		need_reason := true;
	ELSE
		outcome := 'forbidden';
		RETURN;
	END CASE;
	IF NOT allowed THEN
		outcome := 'forbidden';
		RETURN;
	END IF;
	IF next IS NULL THEN
		outcome := 'state';
		RETURN;
	END IF;
	IF need_reason AND coalesce(btrim(p_reason), '') = '' THEN
		outcome := 'reason';
		RETURN;
	END IF;
	IF towards THEN
		ok := contract_service_ok(c.listing_id);
		IF ok <> 'ok' THEN
			outcome := ok;
			RETURN;
		END IF;
	END IF;
	UPDATE contracts SET status = next, updated_at = now(),
	    activated_at = CASE WHEN next = 'active' AND activated_at IS NULL
		THEN now() ELSE activated_at END,
	    document_hash = CASE WHEN p_step = 'accept' THEN p_doc_hash
		ELSE document_hash END,
	    end_reason = CASE WHEN next = 'ended' THEN CASE p_step
		WHEN 'hand_over' THEN 'handed_over' ELSE 'terminated' END
		ELSE NULL END
	    WHERE id = p_id;
	PERFORM buyer_audit(p_user, p_org, 'contract_' || p_step, 'contract',
	    p_id, jsonb_build_object('from', c.status, 'to', next)
	    || CASE WHEN coalesce(p_reason, '') = '' THEN '{}'::jsonb
	    ELSE jsonb_build_object('reason', p_reason) END
	    || CASE WHEN p_step = 'accept' THEN
	    jsonb_build_object('document_hash', p_doc_hash) ELSE '{}'::jsonb
	    END, p_rid, p_addr);
	-- Tell the side that acts next.
	why := '#' || p_id || ' ' || c.title;
	IF next = 'awaiting_approval' THEN
		PERFORM notify_org(c.org_id, ARRAY['buyer_approver'],
		    'contract_to_approve', '계약 결재 요청: ' || why,
		    'Contract to approve: ' || why, '/contracts/' || p_id);
	ELSIF next = 'awaiting_vendor' THEN
		PERFORM notify_org(c.vendor_id, ARRAY['vendor_admin'],
		    'contract_to_accept', '계약 승낙 요청: ' || why,
		    'Contract to accept: ' || why, '/contracts/' || p_id);
	ELSIF next IN ('active', 'draft', 'ended', 'suspended') THEN
		PERFORM notify_org(c.org_id, ARRAY['buyer', 'buyer_approver'],
		    'contract_' || next, '계약 상태 변경(' || next || '): ' || why,
		    'Contract now ' || next || ': ' || why,
		    '/contracts/' || p_id);
	END IF;
	outcome := 'ok';
END
$$;

-- What losing a certificate or a vendor does: every active or suspended
-- contract of the listing (or of the vendor) is flagged, a transition
-- case opened with a deadline (30 days), and the agency's buyers and
-- approver, the vendor's admins and the procurement office's reviewers
-- notified. Idempotent per contract and cause (one open case).
CREATE FUNCTION contract_loss(p_listing bigint, p_vendor bigint,
    p_cause text, p_cert bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	c contracts;
	n integer := 0;
	what_ko text;
	what_en text;
BEGIN
	what_ko := CASE p_cause
	    WHEN 'certificate_expired' THEN 'CSAP 인증 만료'
	    WHEN 'certificate_suspended' THEN 'CSAP 인증 정지'
	    WHEN 'certificate_revoked' THEN 'CSAP 인증 취소'
	    WHEN 'vendor_suspended' THEN '공급기업 정지'
	    ELSE '공급기업 폐업' END;
	what_en := replace(p_cause, '_', ' ');
	FOR c IN SELECT * FROM contracts
	    WHERE status IN ('active', 'suspended', 'awaiting_approval',
	    'awaiting_vendor') AND (listing_id = p_listing OR
	    (p_listing IS NULL AND vendor_id = p_vendor))
	LOOP
		IF c.status IN ('active', 'suspended') THEN
			INSERT INTO transition_cases (contract_id, cause,
			    certificate_id, deadline)
			VALUES (c.id, p_cause, p_cert,
			    (now() AT TIME ZONE 'Asia/Seoul')::date + 30)
			ON CONFLICT DO NOTHING;
			IF NOT FOUND THEN
				CONTINUE;
			END IF;
		ELSIF c.flag_reason IS NOT DISTINCT FROM p_cause THEN
			CONTINUE;
		END IF;
		UPDATE contracts SET flagged_at = now(), flag_reason = p_cause
		    WHERE id = c.id;
		PERFORM notify_org(c.org_id, ARRAY['buyer', 'buyer_approver'],
		    'contract_at_risk', '계약 영향: ' || what_ko || ' #' ||
		    c.id || ' ' || c.title, 'Contract affected: ' || what_en ||
		    ' #' || c.id || ' ' || c.title, '/contracts/' || c.id);
		PERFORM notify_org(c.vendor_id, ARRAY['vendor_admin'],
		    'contract_at_risk', '계약 영향: ' || what_ko || ' #' ||
		    c.id, 'Contract affected: ' || what_en || ' #' || c.id,
		    '/contracts/' || c.id);
		PERFORM notify_org(o.id, ARRAY['reviewer'], 'transition_case',
		    '전환 관리 대상: ' || what_ko || ' #' || c.id,
		    'Transition case: ' || what_en || ' #' || c.id,
		    '/contracts/' || c.id)
		    FROM organisations o WHERE o.kind = 'operator';
		INSERT INTO audit_events (actor_id, org_id, action,
		    object_type, object_id, summary)
		VALUES (NULL, c.org_id, 'contract_flagged', 'contract',
		    c.id::text, jsonb_build_object('cause', p_cause,
		    'certificate', p_cert));
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

CREATE FUNCTION certificate_loss_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.scheme = 'csap' AND NEW.listing_id IS NOT NULL AND
	    NEW.status IN ('expired', 'suspended', 'revoked') AND
	    OLD.status IS DISTINCT FROM NEW.status THEN
		PERFORM contract_loss(NEW.listing_id, NEW.vendor_id,
		    'certificate_' || NEW.status, NEW.id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER certificates_contract_loss AFTER UPDATE OF status
	ON certificates FOR EACH ROW EXECUTE FUNCTION certificate_loss_trigger();

CREATE FUNCTION vendor_loss_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.kind = 'vendor' AND NEW.status IN ('suspended', 'closed') AND
	    OLD.status IS DISTINCT FROM NEW.status THEN
		PERFORM contract_loss(NULL, NEW.id, 'vendor_' || NEW.status,
		    NULL);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER organisations_contract_loss AFTER UPDATE OF status
	ON organisations FOR EACH ROW EXECUTE FUNCTION vendor_loss_trigger();

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE ON contracts, notifications,
		    transition_cases TO gureum_app;
		GRANT INSERT ON mail_outbox TO gureum_app;
		GRANT INSERT ON listing_versions TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
