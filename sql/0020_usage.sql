-- Usage ingestion (app/usage.c, docs/metering.md): what 0019's tables
-- need for signed batches, CSV uploads, vendors' signing keys and the
-- monthly availability reports, and the statements that change them.
--
-- An API batch is taken in two statements (usage.c): a read of the facts
-- (contracts, records already stored, chain heads, a batch id), then
-- usage_commit(), which stores the batch, its accepted records, the new
-- chain links and the audit event at once. The chain links and records
-- are plain INSERTs: if another batch got in between (same record_id, or
-- the same next seq of a contract's chain) the commit fails with a unique
-- violation and the handler starts again from the read, so no link is
-- lost and no record stored twice (compare-and-swap with retry).

-- unique_count dimensions count distinct subjects (a pseudonymous user).
ALTER TABLE usage_records ADD COLUMN subject text NOT NULL DEFAULT ''
	CHECK (length(subject) <= 64);

-- A CSV upload has no vendor signature: its uploader is recorded
-- instead. An API batch names the API key that sent it and the signing
-- key that signed it.
ALTER TABLE usage_batches ALTER COLUMN signing_key_id DROP NOT NULL;
ALTER TABLE usage_batches ALTER COLUMN signature DROP NOT NULL;
ALTER TABLE usage_batches ADD COLUMN api_key_id bigint REFERENCES api_keys (id);
ALTER TABLE usage_batches ADD COLUMN uploaded_by bigint REFERENCES users (id);
ALTER TABLE usage_batches ADD COLUMN filename text NOT NULL DEFAULT ''
	CHECK (length(filename) <= 200);
ALTER TABLE usage_batches ADD CONSTRAINT usage_batches_signed CHECK (
	(source = 'api' AND signing_key_id IS NOT NULL AND
	    signature IS NOT NULL AND api_key_id IS NOT NULL) OR
	(source = 'csv' AND uploaded_by IS NOT NULL AND signature IS NULL));

-- Availability arrives signed over the API (no user) or from the
-- vendor's form (a user).
ALTER TABLE usage_availability ALTER COLUMN reported_by DROP NOT NULL;
ALTER TABLE usage_availability ADD COLUMN api_key_id bigint
	REFERENCES api_keys (id);
ALTER TABLE usage_availability ADD COLUMN signing_key_id bigint
	REFERENCES usage_signing_keys (id);
ALTER TABLE usage_availability ADD COLUMN body_hash bytea
	CHECK (length(body_hash) = 32);
ALTER TABLE usage_availability ADD COLUMN signature bytea
	CHECK (length(signature) = 64);
ALTER TABLE usage_availability ADD CONSTRAINT usage_availability_who CHECK (
	reported_by IS NOT NULL OR (api_key_id IS NOT NULL AND
	    signing_key_id IS NOT NULL AND signature IS NOT NULL));

-- Registers a vendor's Ed25519 public key under a generated key id.
-- Outcome 'created' (with id and key_id) or 'duplicate' (that public key
-- is registered already, by anyone). Audited.
CREATE FUNCTION usage_key_register(p_org bigint, p_user bigint,
    p_name text, p_key_id text, p_public bytea, p_rid text, p_addr text,
    OUT outcome text, OUT id bigint, OUT key_id text)
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO usage_signing_keys (org_id, key_id, public_key, name,
	    created_by)
	VALUES (p_org, p_key_id, p_public, p_name, p_user)
	ON CONFLICT DO NOTHING
	RETURNING usage_signing_keys.id, usage_signing_keys.key_id
	    INTO id, key_id;
	IF id IS NULL THEN
		outcome := 'duplicate';
		RETURN;
	END IF;
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_user, p_org, 'usage_key_registered', 'usage_signing_key',
	    id::text, jsonb_build_object('key_id', key_id, 'name', p_name,
	    'public_key', encode(p_public, 'base64')), p_rid, p_addr);
	outcome := 'created';
END
$$;

-- Revokes one of the organisation's signing keys. Outcome 'revoked',
-- 'already_revoked' or 'not_found' (another organisation's key too).
CREATE FUNCTION usage_key_revoke(p_id bigint, p_org bigint, p_user bigint,
    p_rid text, p_addr text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	k	usage_signing_keys;
BEGIN
	SELECT * INTO k FROM usage_signing_keys
	    WHERE usage_signing_keys.id = p_id AND org_id = p_org FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF k.revoked_at IS NOT NULL THEN
		RETURN 'already_revoked';
	END IF;
	UPDATE usage_signing_keys SET revoked_at = now(), revoked_by = p_user
	    WHERE usage_signing_keys.id = p_id;
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_user, p_org, 'usage_key_revoked', 'usage_signing_key',
	    p_id::text, jsonb_build_object('key_id', k.key_id, 'name', k.name),
	    p_rid, p_addr);
	RETURN 'revoked';
END
$$;

-- Stores one batch: the batch row (id taken by the read before), its
-- accepted records (r_month: the Korea-time month of each, computed by
-- the caller: Korea has kept UTC+9 without daylight saving since 1988),
-- one chain link per affected contract and the audit event. Returns 'stored', or 'revoked_key' when the signing key was
-- revoked since the read (nothing stored). A unique violation means a
-- concurrent batch took a record id or a chain seq: the caller retries.
CREATE FUNCTION usage_commit(p_batch bigint, p_vendor bigint,
    p_source text, p_key bigint, p_api_key bigint, p_user bigint,
    p_body_hash text, p_signature text, p_filename text, p_records integer,
    p_at timestamptz, p_receipt jsonb,
    r_id text[], r_contract bigint[], r_dim text[], r_qty bigint[],
    r_at timestamptz[], r_month date[], r_alloc text[], r_subject text[],
    r_hash text[], c_contract bigint[], c_seq bigint[], c_head text[],
    p_rid text, p_addr text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	IF p_key IS NOT NULL THEN
		PERFORM 1 FROM usage_signing_keys WHERE id = p_key AND
		    org_id = p_vendor AND revoked_at IS NULL FOR SHARE;
		IF NOT FOUND THEN
			RETURN 'revoked_key';
		END IF;
	END IF;
	INSERT INTO usage_batches (id, vendor_id, signing_key_id, body_hash,
	    signature, source, records, accepted, received_at, receipt,
	    api_key_id, uploaded_by, filename)
	VALUES (p_batch, p_vendor, p_key, decode(p_body_hash, 'hex'),
	    decode(p_signature, 'hex'), p_source, p_records,
	    coalesce(cardinality(r_id), 0), p_at, p_receipt, p_api_key,
	    p_user, coalesce(p_filename, ''));
	INSERT INTO usage_records (vendor_id, record_id, contract_id,
	    dimension, quantity_micro, usage_at, month, allocation, subject,
	    payload_hash, batch_id, received_at)
	SELECT p_vendor, t.id, t.contract, t.dim, t.qty, t.at, t.month,
	    t.alloc, t.subject, decode(t.hash, 'hex'), p_batch, p_at
	FROM unnest(r_id, r_contract, r_dim, r_qty, r_at, r_month, r_alloc,
	    r_subject, r_hash) AS t(id, contract, dim, qty, at, month, alloc,
	    subject, hash);
	INSERT INTO usage_chain (contract_id, seq, batch_id, head, at)
	SELECT t.contract, t.seq, p_batch, decode(t.head, 'hex'), p_at
	FROM unnest(c_contract, c_seq, c_head) AS t(contract, seq, head);
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_user, p_vendor, 'usage_batch', 'usage_batch',
	    p_batch::text, jsonb_build_object('source', p_source,
	    'records', p_records, 'accepted', coalesce(cardinality(r_id), 0),
	    'body_hash', p_body_hash, 'api_key', p_api_key,
	    'contracts', to_jsonb(c_contract)), p_rid, p_addr);
	RETURN 'stored';
END
$$;

-- Records a month's availability for a contract of the vendor. Outcome:
-- 'stored' (first report), 'replaced' (a later report replaces the
-- earlier one), 'not_found' (no such contract), 'not_your_contract',
-- 'contract_not_billable', 'outside_contract_period' (the month does not
-- overlap the contract), 'in_future' (the month has not begun, Korea
-- time), 'month_invoiced' (the month's invoice is issued: the figure it
-- was rated with stays; a correction is a credit note), 'revoked_key'.
CREATE FUNCTION usage_availability_report(p_vendor bigint,
    p_contract bigint, p_month date, p_micro bigint, p_user bigint,
    p_api_key bigint, p_key bigint, p_body_hash text, p_signature text,
    p_rid text, p_addr text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	c	contracts;
	prev	bigint;
BEGIN
	IF p_key IS NOT NULL THEN
		PERFORM 1 FROM usage_signing_keys WHERE id = p_key AND
		    org_id = p_vendor AND revoked_at IS NULL FOR SHARE;
		IF NOT FOUND THEN
			RETURN 'revoked_key';
		END IF;
	END IF;
	SELECT * INTO c FROM contracts WHERE id = p_contract;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF c.vendor_id <> p_vendor THEN
		RETURN 'not_your_contract';
	END IF;
	IF c.status NOT IN ('active', 'suspended', 'ended') THEN
		RETURN 'contract_not_billable';
	END IF;
	IF p_month > date_trunc('month', c.end_date)::date OR
	    p_month < date_trunc('month', c.start_date)::date THEN
		RETURN 'outside_contract_period';
	END IF;
	IF p_month > date_trunc('month', now() AT TIME ZONE 'Asia/Seoul')::date
	THEN
		RETURN 'in_future';
	END IF;
	-- Serialises with the month close, which locks the contract too.
	PERFORM 1 FROM contracts WHERE id = p_contract FOR SHARE;
	IF EXISTS (SELECT 1 FROM invoices WHERE contract_id = p_contract AND
	    month = p_month AND kind = 'invoice' AND status <> 'draft') THEN
		RETURN 'month_invoiced';
	END IF;
	SELECT availability_micro INTO prev FROM usage_availability
	    WHERE contract_id = p_contract AND month = p_month FOR UPDATE;
	INSERT INTO usage_availability (contract_id, month,
	    availability_micro, reported_by, reported_at, api_key_id,
	    signing_key_id, body_hash, signature)
	VALUES (p_contract, p_month, p_micro, p_user, now(), p_api_key, p_key,
	    decode(p_body_hash, 'hex'), decode(p_signature, 'hex'))
	ON CONFLICT (contract_id, month) DO UPDATE SET
	    availability_micro = EXCLUDED.availability_micro,
	    reported_by = EXCLUDED.reported_by,
	    reported_at = EXCLUDED.reported_at,
	    api_key_id = EXCLUDED.api_key_id,
	    signing_key_id = EXCLUDED.signing_key_id,
	    body_hash = EXCLUDED.body_hash, signature = EXCLUDED.signature;
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_user, p_vendor, 'usage_availability', 'contract',
	    p_contract::text, jsonb_build_object('month', to_char(p_month,
	    'YYYY-MM'), 'availability_micro', p_micro, 'previous_micro', prev,
	    'api_key', p_api_key), p_rid, p_addr);
	RETURN CASE WHEN prev IS NULL THEN 'stored' ELSE 'replaced' END;
END
$$;

-- The month's quantity of each dimension of a contract's rate plan, by
-- the dimension's aggregation (metering-shared rules): sum, max, latest
-- (greatest usage_at, then greatest record_id) or unique_count
-- (distinct subjects, in micro-units like every quantity). Dimensions
-- without records are absent. For the month close and the pages.
CREATE FUNCTION usage_month_quantities(p_contract bigint, p_month date)
RETURNS TABLE (dimension text, aggregation text, quantity_micro bigint,
    records bigint)
LANGUAGE sql STABLE AS $$
	SELECT r.dimension, d.agg,
	    CASE d.agg
	    WHEN 'max' THEN max(r.quantity_micro)
	    WHEN 'latest' THEN (array_agg(r.quantity_micro ORDER BY
		r.usage_at DESC, r.record_id DESC))[1]
	    WHEN 'unique_count' THEN count(DISTINCT r.subject) * 1000000
	    ELSE sum(r.quantity_micro)::bigint END,
	    count(*)
	FROM usage_records r
	JOIN contracts c ON c.id = r.contract_id
	LEFT JOIN LATERAL (SELECT x->>'aggregation' AS agg
	    FROM jsonb_array_elements(c.rate_plan->'dimensions') x
	    WHERE x->>'code' = r.dimension LIMIT 1) d ON true
	WHERE r.contract_id = p_contract AND r.month = p_month
	GROUP BY r.dimension, d.agg
	ORDER BY r.dimension
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT EXECUTE ON FUNCTION usage_key_register(bigint, bigint,
		    text, text, bytea, text, text),
		    usage_key_revoke(bigint, bigint, bigint, text, text),
		    usage_commit(bigint, bigint, text, bigint, bigint, bigint,
		    text, text, text, integer, timestamptz, jsonb, text[],
		    bigint[], text[], bigint[], timestamptz[], date[], text[],
		    text[], text[], bigint[], bigint[], text[], text, text),
		    usage_availability_report(bigint, bigint, date, bigint,
		    bigint, bigint, bigint, text, text, text, text),
		    usage_month_quantities(bigint, date) TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
