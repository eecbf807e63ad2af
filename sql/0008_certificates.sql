-- Certificates as vendors submit them and reviewers decide them, the files
-- behind them (listing documents and certificate evidence, PDF only), the
-- badge function every page that shows a certificate uses, the expiry job's
-- statement and the search outbox triggers. docs/certificates.md explains
-- the states and decisions.
--
-- Dates are Korea time: a certificate whose expiry_date is D is valid
-- through D (KST) and expired from D + 1.

-- Today in Korea, the day certificate validity is counted in.
CREATE FUNCTION kst_today() RETURNS date
LANGUAGE sql STABLE AS $$
	SELECT (now() AT TIME ZONE 'Asia/Seoul')::date
$$;

-- PDF files: a listing's price sheet, SLA and manual (one of each per
-- listing; an upload of the same kind replaces it), and the evidence of a
-- certificate (kept as long as the certificate: its history points at it).
-- The content is in the database with the certificate or listing it
-- belongs to, so a backup, a transaction and the access rules hold for the
-- file as for the row; PDFs are compressed already (STORAGE EXTERNAL).
CREATE TABLE documents (
	id		bigserial PRIMARY KEY,
	vendor_id	bigint NOT NULL REFERENCES organisations (id),
	listing_id	bigint,
	kind		text NOT NULL CHECK (kind IN ('price_sheet', 'sla',
			    'manual', 'evidence')),
	filename	text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200
			    AND filename ~ '^[^/\\[:cntrl:]"]+$'),
	size_bytes	integer NOT NULL CHECK (size_bytes BETWEEN 1
			    AND 10485760),
	sha256		text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	content		bytea NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),
	FOREIGN KEY (listing_id, vendor_id)
	    REFERENCES listings (id, vendor_id) ON UPDATE CASCADE,
	CHECK (octet_length(content) = size_bytes),
	CHECK (kind = 'evidence' OR listing_id IS NOT NULL)
);
ALTER TABLE documents ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE UNIQUE INDEX documents_listing_kind_key ON documents (listing_id, kind)
	WHERE kind <> 'evidence';
CREATE INDEX documents_vendor_idx ON documents (vendor_id);

ALTER TABLE certificates
	ADD COLUMN evidence_document_id bigint REFERENCES documents (id),
	ADD COLUMN submitted_by bigint REFERENCES users (id);
CREATE INDEX certificates_pending_idx ON certificates (created_at)
	WHERE status = 'pending' AND external_ref IS NULL;
-- One certificate in play (pending, valid or suspended) per vendor, scheme,
-- number and listing: a double submission is refused (409), a renewal
-- has a new number, a rejected or revoked one may be submitted again.
CREATE UNIQUE INDEX certificates_in_play_key ON certificates
	(vendor_id, scheme, number, coalesce(listing_id, 0))
	WHERE status IN ('pending', 'valid', 'suspended')
	AND external_ref IS NULL;

-- The badges of a listing: its own certificates and the company-wide ones
-- of its vendor, most important scheme first. `effective` is what a page
-- must show: 'expired' for a certificate still marked valid whose expiry
-- date has passed in Korea (the expiry job may not have run yet), else the
-- status; `valid` is true only when effective is 'valid'. Pending
-- certificates are included (effective 'pending'); pages decide whether to
-- show them.
CREATE FUNCTION certificate_badges(p_listing bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT coalesce(jsonb_agg(to_jsonb(b) - 'o' ORDER BY b.o, b.id),
	    '[]'::jsonb) FROM (
		SELECT c.id, c.scheme, c.csap_type, c.grade, c.fedramp_impact,
		    c.number, c.issuer, c.issue_date, c.expiry_date, c.status,
		    c.listing_id IS NULL AS company_wide,
		    e.effective, e.effective = 'valid' AS valid,
		    array_position(ARRAY['csap', 'fedramp', 'quality',
		    'iso27001', 'gs', 'cc'], c.scheme) AS o
		FROM listings l
		JOIN certificates c ON c.vendor_id = l.vendor_id
		    AND (c.listing_id = l.id OR c.listing_id IS NULL)
		CROSS JOIN LATERAL (SELECT CASE WHEN c.status = 'valid'
		    AND c.expiry_date < kst_today() THEN 'expired'
		    ELSE c.status END AS effective) e
		WHERE l.id = p_listing
	) b
$$;

-- The status a certificate effectively has today (see certificate_badges).
CREATE FUNCTION certificate_effective(c certificates) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN c.status = 'valid' AND c.expiry_date < kst_today()
	    THEN 'expired' ELSE c.status END
$$;

-- A vendor submits a certificate with its evidence file (hex of the PDF,
-- checked by the caller: app/document.c). Validation of the fields is the
-- caller's (clear 400s); this checks what needs the database: the listing
-- must be one of the vendor's (else result 'no_listing'), a CSAP type
-- must fit the listing's service type ('type_mismatch'), and the same
-- certificate must not be in play already ('duplicate'). On success the
-- certificate is pending, its history row names the submitter and one
-- audit event records it. Returns (result, id).
CREATE FUNCTION certificate_submit(p_vendor bigint, p_actor bigint,
    p_listing bigint, p_scheme text, p_csap_type text, p_grade text,
    p_number text, p_issuer text, p_issue date, p_expiry date,
    p_filename text, p_hex text, p_request text, p_addr text,
    OUT result text, OUT id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	ltype text;
	doc bigint;
	content bytea;
BEGIN
	IF p_listing IS NOT NULL THEN
		SELECT service_type INTO ltype FROM listings
		    WHERE listings.id = p_listing AND vendor_id = p_vendor;
		IF NOT FOUND THEN
			result := 'no_listing';
			RETURN;
		END IF;
		IF p_scheme = 'csap' AND ltype IS DISTINCT FROM
		    (SELECT t FROM (VALUES ('iaas', 'iaas'), ('daas', 'daas'),
		    ('saas_standard', 'saas'), ('saas_simple', 'saas')) v (k, t)
		    WHERE k = p_csap_type) THEN
			result := 'type_mismatch';
			RETURN;
		END IF;
	END IF;
	IF EXISTS (SELECT 1 FROM certificates c WHERE c.vendor_id = p_vendor
	    AND c.scheme = p_scheme AND c.number = p_number
	    AND coalesce(c.listing_id, 0) = coalesce(p_listing, 0)
	    AND c.status IN ('pending', 'valid', 'suspended')
	    AND c.external_ref IS NULL) THEN
		result := 'duplicate';
		RETURN;
	END IF;
	content := decode(p_hex, 'hex');
	INSERT INTO documents (vendor_id, listing_id, kind, filename,
	    size_bytes, sha256, content, created_by)
	VALUES (p_vendor, p_listing, 'evidence', p_filename,
	    octet_length(content), encode(sha256(content), 'hex'), content,
	    p_actor)
	RETURNING documents.id INTO doc;
	PERFORM set_config('gureum.actor_id', p_actor::text, true);
	PERFORM set_config('gureum.reason', '', true);
	INSERT INTO certificates (vendor_id, listing_id, scheme, csap_type,
	    grade, number, issuer, issue_date, expiry_date, evidence_ref,
	    evidence_document_id, submitted_by, status)
	VALUES (p_vendor, p_listing, p_scheme, p_csap_type, p_grade, p_number,
	    p_issuer, p_issue, p_expiry, 'document:' || doc, doc, p_actor,
	    'pending')
	RETURNING certificates.id INTO id;
	PERFORM set_config('gureum.actor_id', '', true);
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_actor, p_vendor, 'certificate_submitted', 'certificate',
	    id::text, jsonb_build_object('scheme', p_scheme, 'listing_id',
	    p_listing, 'number', p_number, 'csap_type', p_csap_type,
	    'grade', p_grade, 'issue_date', p_issue, 'expiry_date', p_expiry,
	    'evidence_document_id', doc, 'evidence_sha256',
	    encode(sha256(content), 'hex')), p_request, p_addr);
	result := 'ok';
END
$$;

-- A reviewer's decision: moves certificate p_id to p_to only if its status
-- is one of p_from, it was submitted in Gureum (imported certificates
-- follow their source) and, for a verification, it has not expired; writes
-- the history row (actor, reason) and the audit event in the same
-- statement. Returns (id, was, status, event_id): no row when there is no
-- such certificate, status NULL when it was refused (was says why:
-- the status it is in, or 'imported', or 'expired').
CREATE FUNCTION certificate_decide(p_id bigint, p_from text[], p_to text,
    p_action text, p_reason text, p_actor bigint, p_org bigint,
    p_request text, p_addr text, OUT id bigint, OUT was text,
    OUT status text, OUT event_id bigint)
RETURNS SETOF record
LANGUAGE plpgsql AS $$
DECLARE
	c certificates;
BEGIN
	SELECT * INTO c FROM certificates WHERE certificates.id = p_id
	    FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	id := c.id;
	was := c.status;
	IF c.external_ref IS NOT NULL THEN
		was := 'imported';
		RETURN NEXT;
		RETURN;
	END IF;
	IF NOT c.status = ANY (p_from) THEN
		RETURN NEXT;
		RETURN;
	END IF;
	IF p_to = 'valid' AND c.expiry_date < kst_today() THEN
		was := 'expired';
		RETURN NEXT;
		RETURN;
	END IF;
	PERFORM set_config('gureum.actor_id', p_actor::text, true);
	PERFORM set_config('gureum.reason', coalesce(p_reason, ''), true);
	UPDATE certificates SET status = p_to, updated_at = now()
	    WHERE certificates.id = p_id;
	PERFORM set_config('gureum.actor_id', '', true);
	PERFORM set_config('gureum.reason', '', true);
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_actor, p_org, p_action, 'certificate', p_id::text,
	    jsonb_build_object('vendor_id', c.vendor_id, 'listing_id',
	    c.listing_id, 'scheme', c.scheme, 'number', c.number,
	    'from', c.status, 'to', p_to) ||
	    CASE WHEN coalesce(p_reason, '') = '' THEN '{}'::jsonb
	    ELSE jsonb_build_object('reason', p_reason) END,
	    p_request, p_addr)
	RETURNING audit_events.id INTO event_id;
	status := p_to;
	RETURN NEXT;
END
$$;

-- The expiry job (`gureumctl expire-certificates`): every certificate
-- still valid whose expiry date is before p_today (today in Korea by
-- default) becomes expired, with a history row and one audit event per
-- certificate. Idempotent: a second run finds nothing. Returns the
-- certificates it expired.
CREATE FUNCTION certificate_expire(p_today date DEFAULT NULL)
RETURNS TABLE (id bigint, vendor_id bigint, listing_id bigint, scheme text,
    number text, expiry_date date)
LANGUAGE plpgsql AS $$
DECLARE
	d date := coalesce(p_today, kst_today());
BEGIN
	PERFORM set_config('gureum.actor_id', '', true);
	PERFORM set_config('gureum.reason', 'expiry date ' ||
	    'passed (gureumctl expire-certificates)', true);
	RETURN QUERY
	WITH x AS (UPDATE certificates c SET status = 'expired',
	    updated_at = now()
	    WHERE c.status = 'valid' AND c.expiry_date < d
	    RETURNING c.id, c.vendor_id, c.listing_id, c.scheme, c.number,
	    c.expiry_date),
	a AS (INSERT INTO audit_events (actor_id, org_id, action,
	    object_type, object_id, summary)
	    SELECT NULL, x.vendor_id, 'certificate_expired', 'certificate',
	    x.id::text, jsonb_build_object('listing_id', x.listing_id,
	    'scheme', x.scheme, 'number', x.number, 'expiry_date',
	    x.expiry_date, 'as_of', d, 'from', 'valid', 'to', 'expired')
	    FROM x)
	SELECT * FROM x ORDER BY x.id;
	PERFORM set_config('gureum.reason', '', true);
END
$$;

-- Search freshness: a certificate change rebuilds the search documents of
-- the listings it shows on (its listing, or every listing of the vendor
-- for a company-wide one), in the same transaction (0006).
CREATE FUNCTION search_outbox_certificate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO search_outbox (listing_id)
		SELECT l.id FROM listings l WHERE l.vendor_id = OLD.vendor_id
		    AND (OLD.listing_id IS NULL OR l.id = OLD.listing_id);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO search_outbox (listing_id)
		SELECT l.id FROM listings l WHERE l.vendor_id = NEW.vendor_id
		    AND (NEW.listing_id IS NULL OR l.id = NEW.listing_id);
	END IF;
	PERFORM pg_notify('search', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER certificates_search_outbox
	AFTER INSERT OR DELETE OR UPDATE OF status, listing_id, vendor_id,
	    scheme, csap_type, grade, fedramp_impact, expiry_date
	ON certificates FOR EACH ROW
	EXECUTE FUNCTION search_outbox_certificate();

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE, DELETE ON documents TO gureum_app;
		GRANT USAGE ON SEQUENCE documents_id_seq TO gureum_app;
	END IF;
END
$$;
