-- Eligibility in the product (app/eligcheck.c): the rule sets as data,
-- the systems an agency describes, and every decision with the rule-set
-- version and the reasons it gave.
--
-- Rule sets are the JSON form of app/eligrules.h, one row per version.
-- Versions are never changed once stored: the procurement office changes
-- the rules by adding a version with an effective date (today or later,
-- so the rules of the past stay what they were). The first two are the
-- engine's built-in sets (app/eligibility.c); tests/unit/test_eligrules.c
-- checks that the rows below are exactly what the engine holds.
--
-- A decision stores the facts it was made on (the service's certificates
-- and those of the IaaS it runs on, the vendor's status) next to the
-- outcome and reasons, so an auditor can see why, later, whatever has
-- changed since. Where the rules leave it to the agency, an approver
-- records the agency's own decision and its justification once.

CREATE TABLE eligibility_rulesets (
	version		integer PRIMARY KEY CHECK (version > 0),
	effective	date NOT NULL,
	rules		jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'object'),
	created_by	bigint REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((rules->>'version')::integer = version),
	CHECK ((rules->>'effective')::date = effective)
);

CREATE TRIGGER eligibility_rulesets_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON eligibility_rulesets
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

INSERT INTO eligibility_rulesets (version, effective, rules) VALUES
	(1, '2019-11-28', '{"csap_fit":{"daas":{"daas":"eligible","iaas":"not_eligible","saas_simple":"not_eligible","saas_standard":"not_eligible"},"iaas":{"daas":"not_eligible","iaas":"eligible","saas_simple":"not_eligible","saas_standard":"not_eligible"},"paas":{"daas":"not_eligible","iaas":"not_eligible","saas_simple":"not_eligible","saas_standard":"not_eligible"},"saas":{"daas":"not_eligible","iaas":"not_eligible","saas_simple":"agency_decision","saas_standard":"eligible"},"support":{"daas":"not_eligible","iaas":"not_eligible","saas_simple":"not_eligible","saas_standard":"not_eligible"}},"csap_required":{"daas":true,"iaas":true,"paas":false,"saas":true,"support":false},"default_grade":"none","effective":"2019-11-28","excluded_data":["security","investigation","sensitive","pia"],"grades":false,"iaas_required":{"daas":false,"iaas":false,"paas":false,"saas":true,"support":false},"internal":{"basic_local":"agency_decision","central":"not_eligible","metro_local":"agency_decision","public_inst":"eligible"},"legacy_grade":{"daas":"none","iaas":"none","saas_simple":"none","saas_standard":"none"},"name_en":"2019 guideline on private cloud for public bodies (negative list)","name_ko":"2019 행정·공공기관 민간 클라우드 이용 가이드라인 (네거티브 리스트)","version":1}'),
	(2, '2023-01-31', '{"csap_fit":{"daas":{"daas":"eligible","iaas":"not_eligible","saas_simple":"not_eligible","saas_standard":"not_eligible"},"iaas":{"daas":"not_eligible","iaas":"eligible","saas_simple":"not_eligible","saas_standard":"not_eligible"},"paas":{"daas":"not_eligible","iaas":"not_eligible","saas_simple":"not_eligible","saas_standard":"not_eligible"},"saas":{"daas":"not_eligible","iaas":"not_eligible","saas_simple":"eligible","saas_standard":"eligible"},"support":{"daas":"not_eligible","iaas":"not_eligible","saas_simple":"not_eligible","saas_standard":"not_eligible"}},"csap_required":{"daas":true,"iaas":true,"paas":false,"saas":true,"support":false},"default_grade":"mid","effective":"2023-01-31","excluded_data":["security","investigation","sensitive","pia"],"grades":true,"iaas_required":{"daas":false,"iaas":false,"paas":false,"saas":true,"support":false},"internal":{"basic_local":"agency_decision","central":"not_eligible","metro_local":"agency_decision","public_inst":"eligible"},"legacy_grade":{"daas":"mid","iaas":"mid","saas_simple":"low","saas_standard":"mid"},"name_en":"2023 CSAP grades (high, medium, low)","name_ko":"2023 CSAP 등급제 (상·중·하)","version":2}');

-- The systems an agency describes before it contracts.
CREATE TABLE agency_systems (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	nature		text NOT NULL CHECK (nature IN ('citizen', 'internal')),
	data_categories	text[] NOT NULL DEFAULT '{}' CHECK (data_categories <@
			    ARRAY['security', 'investigation', 'sensitive',
			    'pia']::text[]),
	csap_grade	text NOT NULL DEFAULT 'none' CHECK (csap_grade IN
			    ('none', 'low', 'mid', 'high')),
	description	text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agency_systems_org_name_idx
	ON agency_systems (org_id, lower(name));

CREATE TABLE eligibility_decisions (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	system_id	bigint NOT NULL REFERENCES agency_systems (id),
	listing_id	bigint NOT NULL REFERENCES listings (id),
	listing_version	integer,
	start_date	date NOT NULL,
	ruleset_version	integer NOT NULL REFERENCES eligibility_rulesets (version),
	outcome		text NOT NULL CHECK (outcome IN ('eligible',
			    'agency_decision', 'not_eligible')),
	reasons		jsonb NOT NULL,
	facts		jsonb NOT NULL,
	decided_by	bigint NOT NULL REFERENCES users (id),
	decided_at	timestamptz NOT NULL DEFAULT now(),
	agency_choice	text CHECK (agency_choice IN ('proceed', 'decline')),
	justification	text CHECK (length(justification) BETWEEN 1 AND 2000),
	justified_by	bigint REFERENCES users (id),
	justified_at	timestamptz,
	CHECK ((agency_choice IS NULL) = (justification IS NULL)),
	CHECK (agency_choice IS NULL OR outcome = 'agency_decision')
);
CREATE INDEX eligibility_decisions_org_idx
	ON eligibility_decisions (org_id, id);
CREATE INDEX eligibility_decisions_listing_idx
	ON eligibility_decisions (listing_id, start_date);

-- A listing's CSAP certificates as the engine reads them; `since` is the
-- day (Korea time) its current suspension or revocation took effect (from
-- its history, else the day the row last changed).
CREATE FUNCTION eligibility_certs(p_listing bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_object(
	    'id', c.id, 'scheme', c.scheme, 'csap_type', c.csap_type,
	    'grade', c.grade, 'status', c.status,
	    'issue_date', c.issue_date, 'expiry_date', c.expiry_date,
	    'since', CASE WHEN c.status IN ('suspended', 'revoked') THEN
	        coalesce((SELECT (max(e.at) AT TIME ZONE 'Asia/Seoul')::date
	        FROM certificate_events e WHERE e.certificate_id = c.id
	        AND e.to_status = c.status),
	        (c.updated_at AT TIME ZONE 'Asia/Seoul')::date) END)
	    ORDER BY c.id), '[]'::jsonb)
	FROM certificates c
	WHERE c.listing_id = p_listing AND c.scheme = 'csap';
$$;

-- The facts about a listing the engine needs, as of a start date: its
-- type, its vendor's status, its CSAP certificates, and those of the
-- IaaS listing it runs on (the first such link, by id). Each
-- certificate carries the day a suspension or revocation took effect.
CREATE FUNCTION eligibility_listing_facts(p_listing bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	WITH l AS (SELECT l.id, l.service_type, l.current_version,
	    l.status, o.status AS vendor_status
	    FROM listings l JOIN organisations o ON o.id = l.vendor_id
	    WHERE l.id = p_listing),
	iaas AS (SELECT r.runs_on_id AS id FROM listing_runs_on r
	    JOIN listings x ON x.id = r.runs_on_id
	    WHERE r.listing_id = p_listing AND x.service_type = 'iaas'
	    ORDER BY r.runs_on_id LIMIT 1)
	SELECT jsonb_build_object(
	    'listing', l.id, 'service_type', l.service_type,
	    'listing_status', l.status, 'version', l.current_version,
	    'vendor_status', l.vendor_status,
	    'certs', eligibility_certs(l.id),
	    'iaas', (SELECT id FROM iaas),
	    'iaas_certs', coalesce((SELECT eligibility_certs(id) FROM iaas),
	    '[]'::jsonb))
	FROM l;
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT ON eligibility_rulesets TO gureum_app;
		GRANT SELECT, INSERT, UPDATE ON agency_systems TO gureum_app;
		GRANT SELECT, INSERT, UPDATE ON eligibility_decisions
		    TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
