-- The catalog's data: categories, the full listing, immutable listing
-- versions, "runs on" links, certificates with their history, and the
-- historical authorisations imported from FedRAMP.
--
-- Listings and organisations are widened, not replaced: every new column is
-- nullable or has a default, so the rows of 0001/0002 and the demo data stay
-- valid. Text a vendor writes in two languages has a _ko and an _en column;
-- descriptions are CommonMark source (rendered with cmark, raw HTML off);
-- short lists (features, benefits, target customers, references) are text
-- arrays checked by catalog_items_ok(). Percentages are exact numerics,
-- money is whole won in bigint. A listing's working rate plan is jsonb in
-- the format of docs/catalog-data.md, checked by rating_validate() in C
-- before it is stored (the database only checks it is an object).
--
-- Versions and certificate history are append-only: a trigger refuses
-- UPDATE, DELETE and TRUNCATE for every role. The one exception is
-- synthetic data: `gureumctl generate` replaces what it generated before
-- (external_ref 'gen:...'), so the table owner may delete versions and
-- certificate events of synthetic listings and certificates, nothing else.
--
-- external_ref names a row's origin outside Gureum ('fedramp:product:<id>',
-- 'fedramp:agency:<id>', 'fedramp:csp:<name>', 'gen:listing:<n>', ...). It
-- makes imports idempotent and lets generated rows be found and replaced.
-- NULL for everything created in Gureum itself.

-- Categories: a small tree of reference data, one root per service type.
-- Ids are fixed so that generated and imported data point at the same
-- categories in every database.
CREATE TABLE categories (
	id		integer PRIMARY KEY,
	parent_id	integer,
	service_type	text NOT NULL CHECK (service_type IN
			    ('iaas', 'paas', 'saas', 'daas', 'support')),
	code		text NOT NULL UNIQUE CHECK (code ~ '^(iaas|paas|saas|daas'
			    '|support)(\.[a-z][a-z0-9_]*)?$'),
	name_ko		text NOT NULL CHECK (length(name_ko) BETWEEN 1 AND 100),
	name_en		text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
	sort_order	integer NOT NULL DEFAULT 0,
	UNIQUE (id, service_type),
	-- A child has its parent's service type; the roots are the types.
	FOREIGN KEY (parent_id, service_type)
	    REFERENCES categories (id, service_type),
	CHECK ((parent_id IS NULL) = (code = service_type)),
	CHECK (parent_id IS NULL OR code LIKE service_type || '.%')
);

INSERT INTO categories (id, parent_id, service_type, code, name_ko, name_en,
    sort_order) VALUES
	(1, NULL, 'iaas', 'iaas', '인프라(IaaS)', 'Infrastructure (IaaS)', 1),
	(2, NULL, 'paas', 'paas', '플랫폼(PaaS)', 'Platform (PaaS)', 2),
	(3, NULL, 'saas', 'saas', '소프트웨어(SaaS)', 'Software (SaaS)', 3),
	(4, NULL, 'daas', 'daas', '데스크톱(DaaS)', 'Desktop (DaaS)', 4),
	(5, NULL, 'support', 'support', '클라우드 지원 서비스',
	    'Cloud support services', 5),
	(101, 1, 'iaas', 'iaas.compute', '서버·컴퓨팅', 'Compute', 1),
	(102, 1, 'iaas', 'iaas.storage', '스토리지', 'Storage', 2),
	(103, 1, 'iaas', 'iaas.network', '네트워크·CDN', 'Network and CDN', 3),
	(104, 1, 'iaas', 'iaas.gpu', 'GPU·고성능 컴퓨팅', 'GPU and HPC', 4),
	(105, 1, 'iaas', 'iaas.backup', '백업·재해복구',
	    'Backup and disaster recovery', 5),
	(106, 1, 'iaas', 'iaas.dedicated', '공공 전용 클라우드',
	    'Dedicated government cloud', 6),
	(107, 1, 'iaas', 'iaas.security', '인프라 보안',
	    'Infrastructure security', 7),
	(201, 2, 'paas', 'paas.database', '데이터베이스', 'Databases', 1),
	(202, 2, 'paas', 'paas.container', '컨테이너·서버리스',
	    'Containers and serverless', 2),
	(203, 2, 'paas', 'paas.devtools', '개발 도구·DevOps',
	    'Developer tools and DevOps', 3),
	(204, 2, 'paas', 'paas.analytics', '데이터 분석 플랫폼',
	    'Data and analytics platforms', 4),
	(205, 2, 'paas', 'paas.ai', 'AI·머신러닝 플랫폼',
	    'AI and machine learning', 5),
	(206, 2, 'paas', 'paas.integration', '연계·API 관리',
	    'Integration and API management', 6),
	(207, 2, 'paas', 'paas.messaging', '메시징·이벤트',
	    'Messaging and events', 7),
	(208, 2, 'paas', 'paas.identity', '인증·접근관리',
	    'Identity and access', 8),
	(301, 3, 'saas', 'saas.collaboration', '그룹웨어·협업',
	    'Groupware and collaboration', 1),
	(302, 3, 'saas', 'saas.document', '전자결재·문서관리',
	    'e-Approval and documents', 2),
	(303, 3, 'saas', 'saas.hr', '인사·급여', 'HR and payroll', 3),
	(304, 3, 'saas', 'saas.finance', '회계·재무', 'Finance and accounting',
	    4),
	(305, 3, 'saas', 'saas.crm', '고객관리·상담',
	    'Customer service and CRM', 5),
	(306, 3, 'saas', 'saas.civil', '민원·대국민 서비스',
	    'Citizen services', 6),
	(307, 3, 'saas', 'saas.security', '보안', 'Security', 7),
	(308, 3, 'saas', 'saas.education', '교육·이러닝',
	    'Education and e-learning', 8),
	(309, 3, 'saas', 'saas.video', '화상회의·미디어',
	    'Video and media', 9),
	(310, 3, 'saas', 'saas.analytics', '데이터 분석·BI',
	    'Analytics and BI', 10),
	(311, 3, 'saas', 'saas.gis', '공간정보(GIS)', 'Geospatial (GIS)', 11),
	(312, 3, 'saas', 'saas.health', '보건·복지', 'Health and welfare', 12),
	(313, 3, 'saas', 'saas.procurement', '구매·계약·자산',
	    'Purchasing, contracts and assets', 13),
	(314, 3, 'saas', 'saas.cms', '홈페이지·콘텐츠 관리',
	    'Websites and content management', 14),
	(315, 3, 'saas', 'saas.ai', 'AI 서비스', 'AI services', 15),
	(316, 3, 'saas', 'saas.it_management', 'IT 운영관리',
	    'IT operations management', 16),
	(317, 3, 'saas', 'saas.operations', '업무·현장 관리',
	    'Operations and field work', 17),
	(318, 3, 'saas', 'saas.legal', '법무·규제 준수',
	    'Legal and compliance', 18),
	(401, 4, 'daas', 'daas.vdi', '가상 데스크톱(VDI)',
	    'Virtual desktops (VDI)', 1),
	(402, 4, 'daas', 'daas.cloud_pc', '클라우드 PC', 'Cloud PCs', 2),
	(403, 4, 'daas', 'daas.secure_workspace', '망분리 업무환경',
	    'Network-separated workspaces', 3),
	(501, 5, 'support', 'support.consulting', '컨설팅', 'Consulting', 1),
	(502, 5, 'support', 'support.migration', '전환·이관', 'Migration', 2),
	(503, 5, 'support', 'support.operation', '운영 관리(MSP)',
	    'Managed operations (MSP)', 3),
	(504, 5, 'support', 'support.security_monitoring', '보안관제',
	    'Security monitoring', 4),
	(505, 5, 'support', 'support.training', '교육·기술지원',
	    'Training and technical support', 5);

-- Short lists a vendor writes (features, benefits, ...): at most max_items
-- non-empty items of at most max_len characters, one dimension, no NULLs.
-- PL/pgSQL because a CHECK calls it ten times per listing row, and a loop
-- costs a third of what a SQL function with a subquery does.
CREATE FUNCTION catalog_items_ok(items text[], max_items integer,
    max_len integer) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	item text;
BEGIN
	IF coalesce(array_ndims(items), 1) <> 1 OR
	    cardinality(items) > max_items THEN
		RETURN false;
	END IF;
	FOREACH item IN ARRAY items LOOP
		IF item IS NULL OR length(item) NOT BETWEEN 1 AND max_len THEN
			RETURN false;
		END IF;
	END LOOP;
	RETURN true;
END
$$;

ALTER TABLE organisations
	ADD COLUMN external_ref text UNIQUE
	    CHECK (external_ref ~ '^[a-z]+:.' AND length(external_ref) <= 300);
-- Sub-agencies of an agency; also what deleting an organisation checks.
CREATE INDEX organisations_parent_idx ON organisations (parent_id)
	WHERE parent_id IS NOT NULL;

ALTER TABLE listings
	ADD COLUMN category_id integer,
	-- A product offered as several types keeps the others here (FedRAMP:
	-- "IaaS, PaaS, SaaS"); service_type is the one it is listed under.
	ADD COLUMN other_service_types text[] NOT NULL DEFAULT '{}',
	ADD COLUMN description_ko text NOT NULL DEFAULT '',
	ADD COLUMN description_en text NOT NULL DEFAULT '',
	ADD COLUMN features_ko text[] NOT NULL DEFAULT '{}',
	ADD COLUMN features_en text[] NOT NULL DEFAULT '{}',
	ADD COLUMN benefits_ko text[] NOT NULL DEFAULT '{}',
	ADD COLUMN benefits_en text[] NOT NULL DEFAULT '{}',
	ADD COLUMN target_customers_ko text[] NOT NULL DEFAULT '{}',
	ADD COLUMN target_customers_en text[] NOT NULL DEFAULT '{}',
	ADD COLUMN customer_references_ko text[] NOT NULL DEFAULT '{}',
	ADD COLUMN customer_references_en text[] NOT NULL DEFAULT '{}',
	ADD COLUMN deployment_model text,
	ADD COLUMN dc_location text,
	ADD COLUMN dc_region text NOT NULL DEFAULT '',
	ADD COLUMN availability_target numeric(9,6),
	ADD COLUMN recovery_grade_hours smallint,
	ADD COLUMN support_hours text,
	ADD COLUMN support_channels text[] NOT NULL DEFAULT '{}',
	ADD COLUMN free_trial_url text NOT NULL DEFAULT '',
	ADD COLUMN free_trial_terms_ko text NOT NULL DEFAULT '',
	ADD COLUMN free_trial_terms_en text NOT NULL DEFAULT '',
	ADD COLUMN min_contract_months smallint,
	ADD COLUMN contract_unit text,
	ADD COLUMN website text NOT NULL DEFAULT '',
	ADD COLUMN rate_plan jsonb,
	ADD COLUMN reference_monthly_price_won bigint,
	ADD COLUMN current_version integer,
	ADD COLUMN external_ref text UNIQUE;

ALTER TABLE listings
	ADD CONSTRAINT listings_category_fkey FOREIGN KEY
	    (category_id, service_type)
	    REFERENCES categories (id, service_type),
	ADD CONSTRAINT listings_other_types_check CHECK (other_service_types
	    <@ ARRAY['iaas', 'paas', 'saas', 'daas', 'support']
	    AND NOT service_type = ANY (other_service_types)
	    AND catalog_items_ok(other_service_types, 4, 10)),
	ADD CONSTRAINT listings_description_check CHECK
	    (length(description_ko) <= 20000
	    AND length(description_en) <= 20000),
	ADD CONSTRAINT listings_lists_check CHECK
	    (catalog_items_ok(features_ko, 20, 300)
	    AND catalog_items_ok(features_en, 20, 300)
	    AND catalog_items_ok(benefits_ko, 20, 300)
	    AND catalog_items_ok(benefits_en, 20, 300)
	    AND catalog_items_ok(target_customers_ko, 10, 100)
	    AND catalog_items_ok(target_customers_en, 10, 100)
	    AND catalog_items_ok(customer_references_ko, 20, 300)
	    AND catalog_items_ok(customer_references_en, 20, 300)),
	-- community: a cloud zone for public agencies only (공공 전용 존,
	-- FedRAMP's "Government Community Cloud").
	ADD CONSTRAINT listings_deployment_check CHECK (deployment_model IN
	    ('public', 'private', 'hybrid', 'community')),
	ADD CONSTRAINT listings_dc_check CHECK (dc_location IN
	    ('domestic', 'overseas')),
	ADD CONSTRAINT listings_dc_region_check CHECK (length(dc_region) <= 100
	    AND (dc_location IS NOT NULL OR dc_region = '')),
	ADD CONSTRAINT listings_availability_check CHECK
	    (availability_target > 0 AND availability_target <= 100),
	ADD CONSTRAINT listings_recovery_check CHECK
	    (recovery_grade_hours IN (2, 4, 8)),
	ADD CONSTRAINT listings_support_hours_check CHECK
	    (support_hours IN ('business_hours', 'extended', '24x7')),
	ADD CONSTRAINT listings_support_channels_check CHECK
	    (support_channels <@ ARRAY['phone', 'email', 'web', 'chat',
	    'remote', 'onsite'] AND catalog_items_ok(support_channels, 6, 10)),
	ADD CONSTRAINT listings_trial_check CHECK
	    ((free_trial_url = ''
	    OR free_trial_url ~ '^https?://[^[:space:]]+$')
	    AND length(free_trial_url) <= 300
	    AND length(free_trial_terms_ko) <= 1000
	    AND length(free_trial_terms_en) <= 1000),
	ADD CONSTRAINT listings_min_contract_check CHECK
	    (min_contract_months BETWEEN 1 AND 120),
	ADD CONSTRAINT listings_contract_unit_check CHECK (contract_unit IN
	    ('monthly', 'quarterly', 'yearly', 'usage')),
	ADD CONSTRAINT listings_website_check CHECK (length(website) <= 300),
	ADD CONSTRAINT listings_rate_plan_check CHECK
	    (jsonb_typeof(rate_plan) = 'object'),
	ADD CONSTRAINT listings_price_check CHECK
	    (reference_monthly_price_won BETWEEN 0 AND 999999999999999),
	ADD CONSTRAINT listings_version_check CHECK (current_version >= 1),
	ADD CONSTRAINT listings_external_ref_check CHECK
	    (external_ref ~ '^[a-z]+:.' AND length(external_ref) <= 300),
	-- For certificates: (listing, vendor) pairs they may name.
	ADD CONSTRAINT listings_id_vendor_key UNIQUE (id, vendor_id);

CREATE INDEX listings_category_idx ON listings (category_id);

-- The infrastructure (or platform) a listing runs on: for a SaaS, its IaaS
-- ("이용 인프라"). Several are possible: FedRAMP lists products that
-- leverage more than one authorised system. source tells who made the
-- link: the vendor, an import (which may remove its own links again) or
-- the generator.
CREATE TABLE listing_runs_on (
	listing_id	bigint NOT NULL REFERENCES listings (id),
	runs_on_id	bigint NOT NULL REFERENCES listings (id),
	source		text NOT NULL DEFAULT 'vendor' CHECK (source IN
			    ('vendor', 'import', 'generated')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (listing_id, runs_on_id),
	CHECK (listing_id <> runs_on_id)
);
CREATE INDEX listing_runs_on_host_idx ON listing_runs_on (runs_on_id);

-- Immutable snapshots: every submitted or published change of a listing
-- is a new version; contracts will pin one. document is listing_document()
-- at that moment, rate_plan the plan of that version.
CREATE TABLE listing_versions (
	id		bigserial PRIMARY KEY,
	listing_id	bigint NOT NULL REFERENCES listings (id),
	version		integer NOT NULL CHECK (version >= 1),
	document	jsonb NOT NULL
			    CHECK (jsonb_typeof(document) = 'object'),
	rate_plan	jsonb CHECK (jsonb_typeof(rate_plan) = 'object'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),	-- NULL: a command
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
	UNIQUE (listing_id, version)
);

-- A listing's current version exists. Deferred, because a listing and its
-- first version are written in one transaction.
ALTER TABLE listings ADD CONSTRAINT listings_current_version_fkey
	FOREIGN KEY (id, current_version)
	REFERENCES listing_versions (listing_id, version)
	DEFERRABLE INITIALLY DEFERRED;

-- The document a version stores: every column of the listing except its
-- id, workflow state and bookkeeping, with the category's code and the
-- ids of the listings it runs on. Columns later migrations add are
-- included by themselves.
CREATE FUNCTION listing_document(l listings) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT (to_jsonb(l) - ARRAY['id', 'status', 'current_version',
	    'rate_plan', 'created_at', 'updated_at', 'external_ref'])
	    || jsonb_build_object(
		'category_code',
		(SELECT c.code FROM categories c WHERE c.id = l.category_id),
		'runs_on',
		coalesce((SELECT jsonb_agg(r.runs_on_id ORDER BY r.runs_on_id)
		    FROM listing_runs_on r WHERE r.listing_id = l.id), '[]'))
$$;

-- Records the listing as it is now as its next version and makes that the
-- current one. Returns the new version number. The UPDATE locks the
-- listing, so two callers never take the same number.
CREATE FUNCTION listing_version_create(p_listing bigint, p_actor bigint,
    p_reason text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v integer;
BEGIN
	UPDATE listings SET current_version = coalesce(current_version, 0) + 1
	    WHERE id = p_listing RETURNING current_version INTO v;
	IF v IS NULL THEN
		RAISE EXCEPTION 'listing % does not exist', p_listing
		    USING ERRCODE = 'foreign_key_violation';
	END IF;
	INSERT INTO listing_versions (listing_id, version, document, rate_plan,
	    created_by, reason)
	SELECT l.id, v, listing_document(l), l.rate_plan, p_actor, p_reason
	    FROM listings l WHERE l.id = p_listing;
	RETURN v;
END
$$;

-- Certificates. A certificate is held by a vendor and covers one of its
-- listings, or the whole company when listing_id is NULL (ISO/IEC 27001 is
-- usually company-wide; CSAP and FedRAMP always certify a service). Grades
-- 상/중/하 are stored as high/medium/low. details keeps what only one
-- scheme has (FedRAMP's authorisation type, assessor, annual assessment).
CREATE TABLE certificates (
	id		bigserial PRIMARY KEY,
	vendor_id	bigint NOT NULL REFERENCES organisations (id),
	listing_id	bigint,
	scheme		text NOT NULL CHECK (scheme IN ('csap', 'quality',
			    'iso27001', 'gs', 'cc', 'fedramp')),
	csap_type	text CHECK (csap_type IN ('iaas', 'saas_standard',
			    'saas_simple', 'daas')),
	grade		text CHECK (grade IN ('high', 'medium', 'low')),
	fedramp_impact	text CHECK (fedramp_impact IN ('low', 'li_saas',
			    'moderate', 'high', '20x_low', '20x_moderate')),
	number		text NOT NULL DEFAULT '' CHECK (length(number) <= 100),
	issuer		text NOT NULL DEFAULT '' CHECK (length(issuer) <= 200),
	issue_date	date,
	expiry_date	date,
	evidence_ref	text NOT NULL DEFAULT ''
			    CHECK (length(evidence_ref) <= 500),
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN
			    ('pending', 'valid', 'expired', 'suspended',
			    'revoked')),
	details		jsonb NOT NULL DEFAULT '{}'
			    CHECK (jsonb_typeof(details) = 'object'),
	external_ref	text UNIQUE CHECK (external_ref ~ '^[a-z]+:.'
			    AND length(external_ref) <= 300),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- A listing moved to another vendor takes its certificates along.
	FOREIGN KEY (listing_id, vendor_id)
	    REFERENCES listings (id, vendor_id) ON UPDATE CASCADE,
	CHECK ((scheme = 'csap') = (csap_type IS NOT NULL)),
	CHECK (grade IS NULL OR scheme = 'csap'),
	CHECK ((scheme = 'fedramp') = (fedramp_impact IS NOT NULL)),
	CHECK (scheme NOT IN ('csap', 'fedramp') OR listing_id IS NOT NULL),
	CHECK (expiry_date >= issue_date)
);
CREATE INDEX certificates_listing_idx ON certificates (listing_id);
CREATE INDEX certificates_vendor_idx ON certificates (vendor_id);
-- The expiry job's work list.
CREATE INDEX certificates_expiry_idx ON certificates (expiry_date)
	WHERE status = 'valid';

-- A certificate's history: one row per status it took, written by the
-- trigger below whatever changed it, so no path can forget it.
CREATE TABLE certificate_events (
	id		bigserial PRIMARY KEY,
	certificate_id	bigint NOT NULL REFERENCES certificates (id),
	at		timestamptz NOT NULL DEFAULT now(),
	actor_id	bigint REFERENCES users (id),	-- NULL: a command
	from_status	text,				-- NULL: created
	to_status	text NOT NULL,
	reason		text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000)
);
CREATE INDEX certificate_events_cert_idx
	ON certificate_events (certificate_id, id);

-- Who and why come from the transaction-local settings gureum.actor_id and
-- gureum.reason (certificate_set_status() sets them; commands set the
-- reason for a whole run).
CREATE FUNCTION certificate_record_status() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	prev text;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
			RETURN NULL;
		END IF;
		prev := OLD.status;
	END IF;
	INSERT INTO certificate_events (certificate_id, actor_id, from_status,
	    to_status, reason)
	VALUES (NEW.id,
	    nullif(current_setting('gureum.actor_id', true), '')::bigint,
	    prev, NEW.status,
	    left(coalesce(current_setting('gureum.reason', true), ''), 1000));
	RETURN NULL;
END
$$;
CREATE TRIGGER certificates_history AFTER INSERT OR UPDATE OF status
	ON certificates FOR EACH ROW
	EXECUTE FUNCTION certificate_record_status();

-- Changes a certificate's status on behalf of p_actor (a user id, or NULL
-- for a command) with a reason; the history row names both. Returns the
-- previous status, or NULL if there is no such certificate.
CREATE FUNCTION certificate_set_status(p_id bigint, p_status text,
    p_actor bigint, p_reason text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	prev text;
BEGIN
	SELECT status INTO prev FROM certificates WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	PERFORM set_config('gureum.actor_id', coalesce(p_actor::text, ''),
	    true);
	PERFORM set_config('gureum.reason', coalesce(p_reason, ''), true);
	UPDATE certificates SET status = p_status, updated_at = now()
	    WHERE id = p_id AND status IS DISTINCT FROM p_status;
	PERFORM set_config('gureum.actor_id', '', true);
	PERFORM set_config('gureum.reason', '', true);
	RETURN prev;
END
$$;

-- What FedRAMP records of agencies using a product: the agency's own
-- authorisation to operate (ato) or its reuse of another's (reuse), kept
-- for later reports. Dates are as the source gives them (NULL where it
-- gives none, or something that is not a date); source_row keeps the row
-- as it was, odd values included.
CREATE TABLE historical_authorisations (
	id		bigserial PRIMARY KEY,
	agency_id	bigint NOT NULL REFERENCES organisations (id),
	listing_id	bigint NOT NULL REFERENCES listings (id),
	kind		text NOT NULL CHECK (kind IN ('ato', 'reuse')),
	ato_date	date,
	auth_date	date,
	expiry_date	date,
	source		text NOT NULL CHECK (source IN ('fedramp')),
	source_row	jsonb NOT NULL DEFAULT '{}'
			    CHECK (jsonb_typeof(source_row) = 'object'),
	external_ref	text NOT NULL UNIQUE CHECK (external_ref ~ '^[a-z]+:.'
			    AND length(external_ref) <= 300),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX historical_authorisations_listing_idx
	ON historical_authorisations (listing_id);
CREATE INDEX historical_authorisations_agency_idx
	ON historical_authorisations (agency_id);

-- Append-only, except that the owner may delete what belongs to synthetic
-- rows (external_ref 'gen:...'), which `gureumctl generate` replaces.
CREATE FUNCTION catalog_history_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND pg_has_role(current_user,
	    (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
		-- Separate IFs: OLD has only its own table's fields.
		IF TG_TABLE_NAME = 'listing_versions' THEN
			IF EXISTS (SELECT 1 FROM listings l
			    WHERE l.id = OLD.listing_id
			    AND l.external_ref LIKE 'gen:%') THEN
				RETURN OLD;
			END IF;
		ELSIF TG_TABLE_NAME = 'certificate_events' THEN
			IF EXISTS (SELECT 1 FROM certificates c
			    WHERE c.id = OLD.certificate_id
			    AND c.external_ref LIKE 'gen:%') THEN
				RETURN OLD;
			END IF;
		END IF;
	END IF;
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER listing_versions_append_only
	BEFORE UPDATE OR DELETE ON listing_versions
	FOR EACH ROW EXECUTE FUNCTION catalog_history_guard();
CREATE TRIGGER listing_versions_no_truncate BEFORE TRUNCATE ON listing_versions
	FOR EACH STATEMENT EXECUTE FUNCTION catalog_history_guard();
CREATE TRIGGER certificate_events_append_only
	BEFORE UPDATE OR DELETE ON certificate_events
	FOR EACH ROW EXECUTE FUNCTION catalog_history_guard();
CREATE TRIGGER certificate_events_no_truncate
	BEFORE TRUNCATE ON certificate_events
	FOR EACH STATEMENT EXECUTE FUNCTION catalog_history_guard();

-- The application's rights: it reads everything here; vendors and
-- reviewers write versions, links, certificates and their history through
-- it. Categories and imported authorisations are read-only to it.
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT ON categories, historical_authorisations
		    TO gureum_app;
		GRANT SELECT, INSERT ON listing_versions, certificate_events
		    TO gureum_app;
		GRANT SELECT, INSERT, DELETE ON listing_runs_on TO gureum_app;
		GRANT SELECT, INSERT, UPDATE ON certificates TO gureum_app;
		GRANT USAGE ON SEQUENCE listing_versions_id_seq,
		    certificates_id_seq, certificate_events_id_seq
		    TO gureum_app;
	END IF;
END
$$;
