-- The listing workflow: vendors' drafts, submission, review (심사) with
-- versioned checklists, the published-listing change rules, suspension and
-- withdrawal. docs/listings.md describes the states and the rules.
--
-- States of a listing (listings.status):
--   draft      the vendor edits it freely; nobody else sees it
--   submitted  waiting for a reviewer; the vendor cannot edit it
--   published  live in the catalog and search
--   rejected   refused by a reviewer, with reasons; final
--   suspended  taken off the catalog by the procurement office, reversible
--   withdrawn  taken off for good; its versions stay (contracts pin them)
--
-- A change to a published listing follows the change rules: a price cut
-- alone is published at once; a raise, a new plan structure or a new
-- service type becomes a pending change (listing_reviews, kind 'change')
-- while the published listing stays live as it is; any other edit is
-- published at once and queued for the reviewer to acknowledge
-- (kind 'text_edit', post-moderation).
--
-- Every business operation is one function call, which writes its audit
-- event itself, so a state change and its record cannot part.

ALTER TABLE listings DROP CONSTRAINT listings_status_check;
ALTER TABLE listings ADD CONSTRAINT listings_status_check CHECK (status IN
	('draft', 'submitted', 'published', 'rejected', 'suspended',
	'withdrawn'));

-- Review checklists: one list of items per kind of review, versioned.
-- A new version is a new row (the procurement office edits by adding
-- one); decisions point at the version they were scored with, so old
-- scores stay readable. items: [{code, criterion, label_ko, label_en,
-- mandatory}], criterion one of the selection criteria (finance 경영상태,
-- sanctions 부정당업자 제재 여부, security 보안성, stability 운영안정성,
-- support 지원체계).
CREATE TABLE review_checklists (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('vendor', 'listing',
			    'certificate')),
	version		integer NOT NULL CHECK (version >= 1),
	threshold	integer NOT NULL CHECK (threshold BETWEEN 1 AND 100),
	items		jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array'
			    AND jsonb_array_length(items) BETWEEN 1 AND 40),
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),
	UNIQUE (kind, version)
);
CREATE TRIGGER review_checklists_append_only
	BEFORE UPDATE OR DELETE ON review_checklists
	FOR EACH ROW EXECUTE FUNCTION catalog_history_guard();

INSERT INTO review_checklists (kind, version, threshold, items, note) VALUES
('vendor', 1, 70, '[
 {"code": "finance_statements", "criterion": "finance", "mandatory": true,
  "label_ko": "최근 재무제표 또는 신용평가 등급이 계약 이행에 충분하다",
  "label_en": "Recent financial statements or credit rating are sufficient to perform contracts"},
 {"code": "finance_tax", "criterion": "finance", "mandatory": true,
  "label_ko": "국세·지방세 체납이 없다",
  "label_en": "No national or local tax arrears"},
 {"code": "sanctions_none", "criterion": "sanctions", "mandatory": true,
  "label_ko": "부정당업자 제재(입찰참가자격 제한) 기간 중이 아니다",
  "label_en": "Not under a debarment (부정당업자 제재) period"},
 {"code": "security_isms", "criterion": "security", "mandatory": false,
  "label_ko": "정보보호 관리체계(ISMS, ISO/IEC 27001 등)를 갖추었다",
  "label_en": "Has an information security management system (ISMS, ISO/IEC 27001 or similar)"},
 {"code": "stability_record", "criterion": "stability", "mandatory": false,
  "label_ko": "클라우드 서비스 운영 실적이 1년 이상이다",
  "label_en": "Has operated cloud services for at least a year"},
 {"code": "support_team", "criterion": "support", "mandatory": false,
  "label_ko": "국내 기술지원 조직과 연락 체계를 갖추었다",
  "label_en": "Has a technical support team and contacts in Korea"},
 {"code": "support_terms", "criterion": "support", "mandatory": false,
  "label_ko": "표준 이용약관과 계약 조건을 제시했다",
  "label_en": "Has provided standard terms of use and contract conditions"}
]', '최초 기준 / initial criteria'),
('listing', 1, 70, '[
 {"code": "finance_standing", "criterion": "finance", "mandatory": false,
  "label_ko": "공급기업의 경영상태가 서비스를 계속 제공하기에 충분하다",
  "label_en": "The vendor is financially able to keep providing the service"},
 {"code": "sanctions_none", "criterion": "sanctions", "mandatory": true,
  "label_ko": "공급기업이 부정당업자 제재 중이 아니다",
  "label_en": "The vendor is not debarred"},
 {"code": "security_cert", "criterion": "security", "mandatory": true,
  "label_ko": "서비스 유형에 필요한 보안인증(CSAP 등) 요건을 충족한다",
  "label_en": "Meets the security certification (CSAP or similar) its service type needs"},
 {"code": "security_data", "criterion": "security", "mandatory": true,
  "label_ko": "데이터 저장 위치와 처리 방식이 명시되어 있다",
  "label_en": "States where data is stored and how it is processed"},
 {"code": "stability_sla", "criterion": "stability", "mandatory": true,
  "label_ko": "가용성 목표(SLA)와 장애 시 보상 기준이 명시되어 있다",
  "label_en": "States an availability target (SLA) and service credits"},
 {"code": "stability_recovery", "criterion": "stability", "mandatory": false,
  "label_ko": "복구 목표 시간과 백업 정책이 적절하다",
  "label_en": "Recovery time and backup policy are adequate"},
 {"code": "support_hours", "criterion": "support", "mandatory": false,
  "label_ko": "지원 시간과 채널이 명시되어 있다",
  "label_en": "States support hours and channels"},
 {"code": "support_docs", "criterion": "support", "mandatory": false,
  "label_ko": "설명서·요금표 등 이용 자료가 갖추어져 있다",
  "label_en": "Manuals, price sheet and other documents are available"},
 {"code": "support_pricing", "criterion": "support", "mandatory": false,
  "label_ko": "요금제와 계약 조건이 명확하다",
  "label_en": "The rate plan and contract terms are clear"}
]', '최초 기준 / initial criteria'),
('certificate', 1, 70, '[
 {"code": "security_issuer", "criterion": "security", "mandatory": true,
  "label_ko": "인증기관과 인증번호가 확인된다",
  "label_en": "The issuer and the certificate number are confirmed"},
 {"code": "security_scope", "criterion": "security", "mandatory": true,
  "label_ko": "인증 범위가 해당 서비스와 일치한다",
  "label_en": "The certified scope matches the service"},
 {"code": "stability_validity", "criterion": "stability", "mandatory": true,
  "label_ko": "유효기간이 남아 있다",
  "label_en": "The certificate is within its validity period"},
 {"code": "support_evidence", "criterion": "support", "mandatory": false,
  "label_ko": "증빙 문서가 판독 가능하다",
  "label_en": "The evidence document is legible"},
 {"code": "sanctions_history", "criterion": "sanctions", "mandatory": false,
  "label_ko": "인증 취소·정지 이력이 없다",
  "label_en": "No history of the certificate being revoked or suspended"}
]', '최초 기준 / initial criteria');

-- What is waiting for a reviewer about a listing, and what was decided.
--   submission  a draft submitted; version is the version submitted
--   change      a change to a published listing that needs review;
--               proposal holds it ({fields, rate_plan, price, runs_on}),
--               version is set when it is approved and published
--   text_edit   an edit published at once (post-moderation); version is
--               the version it published, changed the fields it changed
-- A row is written once and decided once: decided rows never change.
CREATE TABLE listing_reviews (
	id		bigserial PRIMARY KEY,
	listing_id	bigint NOT NULL REFERENCES listings (id),
	kind		text NOT NULL CHECK (kind IN ('submission', 'change',
			    'text_edit')),
	version		integer,
	proposal	jsonb CHECK (jsonb_typeof(proposal) = 'object'),
	changed		text[] NOT NULL DEFAULT '{}',
	review_reasons	text[] NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),
	decided_at	timestamptz,
	decided_by	bigint REFERENCES users (id),
	decision	text CHECK (decision IN ('approved', 'rejected',
			    'changes_requested', 'acknowledged')),
	reasons		text NOT NULL DEFAULT ''
			    CHECK (length(reasons) <= 2000),
	checklist_id	bigint REFERENCES review_checklists (id),
	answers		jsonb CHECK (jsonb_typeof(answers) = 'object'),
	score_met	integer,
	score_total	integer,
	score_percent	integer,
	passed		boolean,
	CHECK ((decided_at IS NULL) = (decision IS NULL)),
	CHECK ((kind = 'change') = (proposal IS NOT NULL)),
	CHECK (kind <> 'text_edit' OR decision IS NULL OR
	    decision = 'acknowledged'),
	CHECK (kind = 'text_edit' OR decision IS DISTINCT FROM 'acknowledged')
);
-- At most one submission or change waits per listing.
CREATE UNIQUE INDEX listing_reviews_open_idx ON listing_reviews (listing_id)
	WHERE decided_at IS NULL AND kind IN ('submission', 'change');
CREATE INDEX listing_reviews_queue_idx ON listing_reviews (created_at)
	WHERE decided_at IS NULL;
CREATE INDEX listing_reviews_listing_idx ON listing_reviews (listing_id, id);

CREATE FUNCTION listing_reviews_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.decided_at IS NULL AND
	    NEW.listing_id = OLD.listing_id AND NEW.kind = OLD.kind AND
	    NEW.proposal IS NOT DISTINCT FROM OLD.proposal AND
	    NEW.created_at = OLD.created_at THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'a decided review is not changed'
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER listing_reviews_decided_once
	BEFORE UPDATE OR DELETE ON listing_reviews
	FOR EACH ROW EXECUTE FUNCTION listing_reviews_guard();

-- Writes the vendor's fields onto a listing: p_fields holds every
-- editable column (validated in C), p_plan the rate plan and p_price its
-- reference price, p_runs_on the listings it runs on (replacing the
-- vendor's own links; links an import made stay).
CREATE FUNCTION listing_apply(p_id bigint, p_fields jsonb, p_plan jsonb,
    p_price bigint, p_runs_on bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE listings l SET
	    service_type = r.service_type, category_id = r.category_id,
	    name_ko = r.name_ko, name_en = r.name_en,
	    summary_ko = r.summary_ko, summary_en = r.summary_en,
	    description_ko = r.description_ko,
	    description_en = r.description_en,
	    features_ko = r.features_ko, features_en = r.features_en,
	    benefits_ko = r.benefits_ko, benefits_en = r.benefits_en,
	    target_customers_ko = r.target_customers_ko,
	    target_customers_en = r.target_customers_en,
	    customer_references_ko = r.customer_references_ko,
	    customer_references_en = r.customer_references_en,
	    deployment_model = r.deployment_model,
	    dc_location = r.dc_location, dc_region = r.dc_region,
	    availability_target = r.availability_target,
	    recovery_grade_hours = r.recovery_grade_hours,
	    support_hours = r.support_hours,
	    support_channels = r.support_channels,
	    free_trial_url = r.free_trial_url,
	    free_trial_terms_ko = r.free_trial_terms_ko,
	    free_trial_terms_en = r.free_trial_terms_en,
	    min_contract_months = r.min_contract_months,
	    contract_unit = r.contract_unit, website = r.website,
	    other_service_types = array_remove(l.other_service_types,
		r.service_type),
	    rate_plan = p_plan, reference_monthly_price_won = p_price,
	    updated_at = now()
	FROM jsonb_populate_record(NULL::listings, p_fields) r
	WHERE l.id = p_id;
	DELETE FROM listing_runs_on WHERE listing_id = p_id
	    AND source = 'vendor'
	    AND NOT runs_on_id = ANY (coalesce(p_runs_on, '{}'));
	INSERT INTO listing_runs_on (listing_id, runs_on_id, source)
	    SELECT p_id, x, 'vendor' FROM unnest(p_runs_on) x
	    ON CONFLICT DO NOTHING;
END
$$;

-- Why p_fields cannot be stored for a listing of the vendor: NULL if it
-- can, 'category_id' (not a category of the type), 'runs_on' (not a
-- published IaaS or PaaS listing, or the listing itself).
CREATE FUNCTION listing_fields_problem(p_id bigint, p_fields jsonb,
    p_runs_on bigint[]) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
	WHEN p_fields->>'category_id' IS NOT NULL AND NOT EXISTS (
	    SELECT 1 FROM categories c
	    WHERE c.id = (p_fields->>'category_id')::integer
	    AND c.service_type = p_fields->>'service_type')
	THEN 'category_id'
	WHEN EXISTS (SELECT 1 FROM unnest(p_runs_on) x
	    WHERE x IS NOT DISTINCT FROM p_id OR NOT EXISTS (
	    SELECT 1 FROM listings h WHERE h.id = x
	    AND h.status = 'published'
	    AND h.service_type IN ('iaas', 'paas')))
	THEN 'runs_on'
	END
$$;

-- One audit event (the functions below write theirs through it).
CREATE FUNCTION listing_audit(p_actor bigint, p_org bigint, p_action text,
    p_listing bigint, p_summary jsonb, p_rid text, p_addr text)
    RETURNS void
LANGUAGE sql AS $$
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_actor, p_org, p_action, 'listing', p_listing::text,
	    p_summary, coalesce(p_rid, ''), coalesce(p_addr, ''))
$$;

-- A vendor creates a draft. Returns {outcome: created, id} or
-- {outcome: invalid, field}.
CREATE FUNCTION listing_create(p_vendor bigint, p_actor bigint,
    p_fields jsonb, p_plan jsonb, p_price bigint, p_runs_on bigint[],
    p_rid text, p_addr text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
	v_bad text;
BEGIN
	v_bad := listing_fields_problem(NULL, p_fields, p_runs_on);
	IF v_bad IS NOT NULL THEN
		RETURN jsonb_build_object('outcome', 'invalid', 'field', v_bad);
	END IF;
	INSERT INTO listings (vendor_id, service_type, name_ko, status)
	    VALUES (p_vendor, p_fields->>'service_type',
	    p_fields->>'name_ko', 'draft')
	    RETURNING id INTO v_id;
	PERFORM listing_apply(v_id, p_fields, p_plan, p_price, p_runs_on);
	PERFORM listing_audit(p_actor, p_vendor, 'listing_created', v_id,
	    jsonb_build_object('name', p_fields->>'name_ko'), p_rid, p_addr);
	RETURN jsonb_build_object('outcome', 'created', 'id', v_id,
	    'status', 'draft');
END
$$;

-- A vendor saves its listing. p_expect_plan is the plan the caller
-- compared against (p_plan_cmp: same, lower or other; see plan.h): if the
-- stored plan differs by now, the answer is 'stale'. Outcomes:
--   not_found, invalid {field}, wrong_state {status}, pending_change,
--   stale, saved (a draft), unchanged, change_submitted {reasons},
--   published {version, changed, acknowledge}
CREATE FUNCTION listing_save(p_id bigint, p_vendor bigint, p_actor bigint,
    p_fields jsonb, p_plan jsonb, p_price bigint, p_runs_on bigint[],
    p_expect_plan jsonb, p_plan_cmp text, p_rid text, p_addr text)
    RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	l listings;
	v_bad text;
	v_old jsonb;
	v_new jsonb;
	v_changed text[];
	v_text text[];
	v_reasons text[] := '{}';
	v_version integer;
BEGIN
	SELECT * INTO l FROM listings WHERE id = p_id AND vendor_id = p_vendor
	    FOR UPDATE;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('outcome', 'not_found');
	END IF;
	v_bad := listing_fields_problem(p_id, p_fields, p_runs_on);
	IF v_bad IS NOT NULL THEN
		RETURN jsonb_build_object('outcome', 'invalid', 'field', v_bad);
	END IF;
	IF l.status = 'draft' THEN
		PERFORM listing_apply(p_id, p_fields, p_plan, p_price,
		    p_runs_on);
		PERFORM listing_audit(p_actor, p_vendor, 'listing_saved', p_id,
		    jsonb_build_object('name', p_fields->>'name_ko'), p_rid,
		    p_addr);
		RETURN jsonb_build_object('outcome', 'saved', 'id', p_id,
		    'status', 'draft');
	END IF;
	IF l.status <> 'published' THEN
		RETURN jsonb_build_object('outcome', 'wrong_state', 'status',
		    l.status);
	END IF;
	IF EXISTS (SELECT 1 FROM listing_reviews WHERE listing_id = p_id
	    AND decided_at IS NULL AND kind = 'change') THEN
		RETURN jsonb_build_object('outcome', 'pending_change');
	END IF;
	IF l.rate_plan IS DISTINCT FROM p_expect_plan THEN
		RETURN jsonb_build_object('outcome', 'stale');
	END IF;

	IF p_fields->>'service_type' <> l.service_type THEN
		v_reasons := v_reasons || 'service_type'::text;
	END IF;
	IF p_plan_cmp = 'other' THEN
		v_reasons := v_reasons || 'rate_plan'::text;
	END IF;
	v_old := listing_document(l);
	IF cardinality(v_reasons) > 0 THEN
		-- The published listing stays as it is until approved.
		SELECT coalesce(array_agg(k ORDER BY k), '{}') INTO v_changed
		    FROM jsonb_each(to_jsonb(jsonb_populate_record(l,
		    p_fields))) n(k, v)
		    WHERE v IS DISTINCT FROM to_jsonb(l)->k;
		IF p_plan_cmp <> 'same' THEN
			v_changed := v_changed || 'rate_plan'::text;
		END IF;
		INSERT INTO listing_reviews (listing_id, kind, proposal,
		    changed, review_reasons, created_by)
		VALUES (p_id, 'change', jsonb_build_object('fields', p_fields,
		    'rate_plan', p_plan, 'price', p_price, 'runs_on',
		    to_jsonb(coalesce(p_runs_on, '{}'))), v_changed,
		    v_reasons, p_actor);
		PERFORM listing_audit(p_actor, p_vendor,
		    'listing_change_submitted', p_id, jsonb_build_object(
		    'reasons', v_reasons, 'changed', v_changed), p_rid,
		    p_addr);
		RETURN jsonb_build_object('outcome', 'change_submitted',
		    'id', p_id, 'status', 'published', 'reasons', v_reasons);
	END IF;

	PERFORM listing_apply(p_id, p_fields, p_plan, p_price, p_runs_on);
	SELECT * INTO l FROM listings WHERE id = p_id;
	v_new := listing_document(l);
	SELECT coalesce(array_agg(k ORDER BY k), '{}') INTO v_changed
	    FROM jsonb_each(v_new) n(k, v) WHERE v IS DISTINCT FROM v_old->k;
	v_text := array_remove(v_changed, 'reference_monthly_price_won');
	IF cardinality(v_changed) = 0 AND p_plan_cmp = 'same' THEN
		RETURN jsonb_build_object('outcome', 'unchanged', 'id', p_id,
		    'status', 'published');
	END IF;
	v_version := listing_version_create(p_id, p_actor,
	    CASE WHEN cardinality(v_text) = 0 THEN 'price lowered'
	    ELSE 'published change' END);
	IF cardinality(v_text) > 0 THEN
		INSERT INTO listing_reviews (listing_id, kind, version,
		    changed, created_by)
		VALUES (p_id, 'text_edit', v_version, v_text, p_actor);
	END IF;
	PERFORM listing_audit(p_actor, p_vendor, 'listing_change_published',
	    p_id, jsonb_build_object('version', v_version, 'changed',
	    v_text, 'price_lowered', p_plan_cmp = 'lower'), p_rid, p_addr);
	RETURN jsonb_build_object('outcome', 'published', 'id', p_id,
	    'status', 'published', 'version', v_version, 'changed', v_text,
	    'price_lowered', p_plan_cmp = 'lower',
	    'acknowledge', cardinality(v_text) > 0);
END
$$;

-- The first field a submission still lacks, or NULL.
CREATE FUNCTION listing_missing(l listings) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
	WHEN l.name_en = '' THEN 'name_en'
	WHEN l.category_id IS NULL THEN 'category_id'
	WHEN l.summary_ko = '' THEN 'summary_ko'
	WHEN l.summary_en = '' THEN 'summary_en'
	WHEN l.description_ko = '' THEN 'description_ko'
	WHEN l.deployment_model IS NULL THEN 'deployment_model'
	WHEN l.dc_location IS NULL THEN 'dc_location'
	WHEN l.availability_target IS NULL THEN 'availability_target'
	WHEN l.support_hours IS NULL THEN 'support_hours'
	WHEN l.min_contract_months IS NULL THEN 'min_contract_months'
	WHEN l.contract_unit IS NULL THEN 'contract_unit'
	WHEN l.rate_plan IS NULL THEN 'rate_plan'
	END
$$;

-- A vendor submits its draft for review. Outcomes: not_found,
-- vendor_not_approved {vendor_status}, wrong_state {status}, incomplete
-- {field}, submitted {version}.
CREATE FUNCTION listing_submit(p_id bigint, p_vendor bigint, p_actor bigint,
    p_rid text, p_addr text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	l listings;
	v_org text;
	v_missing text;
	v_version integer;
BEGIN
	SELECT * INTO l FROM listings WHERE id = p_id AND vendor_id = p_vendor
	    FOR UPDATE;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('outcome', 'not_found');
	END IF;
	SELECT status INTO v_org FROM organisations WHERE id = p_vendor;
	IF v_org IS DISTINCT FROM 'approved' THEN
		RETURN jsonb_build_object('outcome', 'vendor_not_approved',
		    'vendor_status', v_org);
	END IF;
	IF l.status <> 'draft' THEN
		RETURN jsonb_build_object('outcome', 'wrong_state', 'status',
		    l.status);
	END IF;
	v_missing := listing_missing(l);
	IF v_missing IS NOT NULL THEN
		RETURN jsonb_build_object('outcome', 'incomplete', 'field',
		    v_missing);
	END IF;
	v_version := listing_version_create(p_id, p_actor,
	    'submitted for review');
	UPDATE listings SET status = 'submitted', updated_at = now()
	    WHERE id = p_id;
	INSERT INTO listing_reviews (listing_id, kind, version, created_by)
	    VALUES (p_id, 'submission', v_version, p_actor);
	PERFORM listing_audit(p_actor, p_vendor, 'listing_submitted', p_id,
	    jsonb_build_object('version', v_version, 'name', l.name_ko),
	    p_rid, p_addr);
	RETURN jsonb_build_object('outcome', 'submitted', 'id', p_id,
	    'status', 'submitted', 'version', v_version);
END
$$;

-- A reviewer decides the listing's open review. p_decision: approve,
-- reject, request_changes (a submission or change), acknowledge (the
-- oldest open text edit). The checklist scores come computed from C
-- (app/checklist.c); approving needs p_passed. Outcomes: not_found,
-- nothing_open, wrong_state {status}, not_passed, bad_checklist,
-- decided {decision, status, version}.
CREATE FUNCTION listing_decide(p_id bigint, p_decision text, p_reasons text,
    p_checklist bigint, p_answers jsonb, p_met integer, p_total integer,
    p_percent integer, p_passed boolean, p_actor bigint, p_org bigint,
    p_rid text, p_addr text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	l listings;
	r listing_reviews;
	v_decision text;
	v_status text;
	v_version integer;
	v_action text;
BEGIN
	SELECT * INTO l FROM listings WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('outcome', 'not_found');
	END IF;
	IF p_decision = 'acknowledge' THEN
		SELECT * INTO r FROM listing_reviews WHERE listing_id = p_id
		    AND decided_at IS NULL AND kind = 'text_edit'
		    ORDER BY id LIMIT 1 FOR UPDATE;
	ELSE
		SELECT * INTO r FROM listing_reviews WHERE listing_id = p_id
		    AND decided_at IS NULL AND kind IN ('submission', 'change')
		    FOR UPDATE;
	END IF;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('outcome', 'nothing_open', 'status',
		    l.status);
	END IF;
	IF p_decision <> 'acknowledge' AND (p_checklist IS NULL OR
	    NOT EXISTS (SELECT 1 FROM review_checklists
	    WHERE id = p_checklist AND kind = 'listing')) THEN
		RETURN jsonb_build_object('outcome', 'bad_checklist');
	END IF;
	IF p_decision = 'approve' AND NOT coalesce(p_passed, false) THEN
		RETURN jsonb_build_object('outcome', 'not_passed');
	END IF;
	IF (r.kind = 'submission' AND l.status <> 'submitted') OR
	    (r.kind <> 'submission' AND l.status NOT IN ('published',
	    'suspended')) OR
	    (r.kind = 'change' AND p_decision = 'approve' AND
	    l.status <> 'published') THEN
		RETURN jsonb_build_object('outcome', 'wrong_state', 'status',
		    l.status);
	END IF;

	v_decision := CASE p_decision WHEN 'approve' THEN 'approved'
	    WHEN 'reject' THEN 'rejected'
	    WHEN 'request_changes' THEN 'changes_requested'
	    ELSE 'acknowledged' END;
	v_status := l.status;
	v_version := r.version;
	IF r.kind = 'submission' THEN
		v_status := CASE p_decision WHEN 'approve' THEN 'published'
		    WHEN 'reject' THEN 'rejected' ELSE 'draft' END;
		UPDATE listings SET status = v_status, updated_at = now()
		    WHERE id = p_id;
	ELSIF r.kind = 'change' AND p_decision = 'approve' THEN
		PERFORM listing_apply(p_id, r.proposal->'fields',
		    nullif(r.proposal->'rate_plan', 'null'::jsonb),
		    (r.proposal->>'price')::bigint,
		    ARRAY(SELECT jsonb_array_elements_text(
		    r.proposal->'runs_on')::bigint));
		v_version := listing_version_create(p_id, p_actor,
		    'change approved');
	END IF;
	UPDATE listing_reviews SET decided_at = now(), decided_by = p_actor,
	    decision = v_decision, reasons = coalesce(p_reasons, ''),
	    checklist_id = p_checklist, answers = p_answers,
	    score_met = p_met, score_total = p_total,
	    score_percent = p_percent, passed = p_passed,
	    version = v_version
	    WHERE id = r.id;
	v_action := 'listing_' || CASE r.kind WHEN 'change' THEN 'change_'
	    WHEN 'text_edit' THEN 'edit_' ELSE '' END || v_decision;
	PERFORM listing_audit(p_actor, p_org, v_action, p_id,
	    jsonb_build_object('review', r.id, 'kind', r.kind,
	    'decision', v_decision, 'version', v_version,
	    'reason', nullif(p_reasons, ''), 'score_percent', p_percent,
	    'passed', p_passed, 'checklist', p_checklist), p_rid, p_addr);
	RETURN jsonb_build_object('outcome', 'decided', 'id', p_id,
	    'review', r.id, 'kind', r.kind, 'decision', v_decision,
	    'status', v_status, 'version', v_version);
END
$$;

-- Suspends, reinstates or withdraws a listing (procurement office), with
-- a reason. suspend: published → suspended; reinstate: suspended →
-- published; withdraw: published or suspended → withdrawn (final; an open
-- change or edit review is left undecided but no longer listed).
-- Outcomes: not_found, wrong_state {status}, done {status, was}.
CREATE FUNCTION listing_set_status(p_id bigint, p_action text,
    p_reason text, p_actor bigint, p_org bigint, p_rid text, p_addr text)
    RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_was text;
	v_to text;
BEGIN
	SELECT status INTO v_was FROM listings WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('outcome', 'not_found');
	END IF;
	v_to := CASE
	    WHEN p_action = 'suspend' AND v_was = 'published' THEN 'suspended'
	    WHEN p_action = 'reinstate' AND v_was = 'suspended'
		THEN 'published'
	    WHEN p_action = 'withdraw' AND v_was IN ('published', 'suspended')
		THEN 'withdrawn'
	    END;
	IF v_to IS NULL THEN
		RETURN jsonb_build_object('outcome', 'wrong_state', 'status',
		    v_was);
	END IF;
	UPDATE listings SET status = v_to, updated_at = now()
	    WHERE id = p_id;
	PERFORM listing_audit(p_actor, p_org, 'listing_' || CASE p_action
	    WHEN 'suspend' THEN 'suspended' WHEN 'reinstate' THEN 'reinstated'
	    ELSE 'withdrawn' END, p_id, jsonb_build_object('from', v_was,
	    'to', v_to, 'reason', p_reason), p_rid, p_addr);
	RETURN jsonb_build_object('outcome', 'done', 'id', p_id,
	    'status', v_to, 'was', v_was);
END
$$;

-- The procurement office adds a checklist version. p_items is validated in
-- C. Returns {outcome: created, id, version}.
CREATE FUNCTION review_checklist_add(p_kind text, p_threshold integer,
    p_items jsonb, p_note text, p_actor bigint, p_org bigint, p_rid text,
    p_addr text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_version integer;
	v_id bigint;
BEGIN
	-- Serialises version numbers per kind.
	PERFORM pg_advisory_xact_lock(4711007, hashtext(p_kind));
	SELECT coalesce(max(version), 0) + 1 INTO v_version
	    FROM review_checklists WHERE kind = p_kind;
	INSERT INTO review_checklists (kind, version, threshold, items, note,
	    created_by)
	    VALUES (p_kind, v_version, p_threshold, p_items, p_note, p_actor)
	    RETURNING id INTO v_id;
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_actor, p_org, 'checklist_changed', 'review_checklist',
	    v_id::text, jsonb_build_object('kind', p_kind, 'version',
	    v_version, 'threshold', p_threshold, 'items',
	    jsonb_array_length(p_items), 'note', p_note),
	    coalesce(p_rid, ''), coalesce(p_addr, ''));
	RETURN jsonb_build_object('outcome', 'created', 'id', v_id,
	    'kind', p_kind, 'version', v_version);
END
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT ON review_checklists TO gureum_app;
		GRANT SELECT, INSERT, UPDATE ON listing_reviews TO gureum_app;
		GRANT USAGE ON SEQUENCE review_checklists_id_seq,
		    listing_reviews_id_seq TO gureum_app;
	END IF;
END
$$;
