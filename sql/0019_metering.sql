-- Metering and invoicing: the tables (docs/billing.md, docs/metering.md).
--
-- This migration holds the shape every part of metering shares, so that
-- ingestion (app/usage.c, 0020), the month close and the invoice pages
-- (app/invoice.c, ctl_close.c, 0021), the evidence bundle and its
-- verifier (0022) and the reports (0023) read and write the same columns.
-- Functions come with the part that needs them.
--
-- Quantities are exact decimals stored as bigint micro-units (10^-6), as
-- rating.c computes them; amounts are whole won (bigint). Times are UTC;
-- a billing month is a Korea-time calendar month, stored as its first day.
-- Hashes are BLAKE2b-256 and Ed25519 keys and signatures raw bytes
-- (bytea); pages and the API show them as lowercase hex (hashes) and
-- base64 (keys, signatures).

-- The Ed25519 public keys a vendor registered for signing usage batches.
-- A batch names its key by key_id. Rotation: register the new key, then
-- revoke the old; a revoked key signs nothing new, and the batches it
-- signed keep their proof (usage_batches keeps the signature and key).
CREATE TABLE usage_signing_keys (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	key_id		text NOT NULL UNIQUE CHECK (key_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	public_key	bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz,
	revoked_by	bigint REFERENCES users (id),
	CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX usage_signing_keys_org_idx ON usage_signing_keys (org_id);

-- The marketplace's own signing keys (receipts, evidence bundles). Only
-- public keys are stored: the secret key is a file outside the database
-- (docs/operations.md). retired_at set: no longer signs, still verifies.
CREATE TABLE marketplace_keys (
	id		serial PRIMARY KEY,
	public_key	bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	retired_at	timestamptz
);

-- One row per accepted batch (a refused batch stores nothing). body_hash
-- is BLAKE2b-256 of the exact body bytes the signature covers.
CREATE TABLE usage_batches (
	id		bigserial PRIMARY KEY,
	vendor_id	bigint NOT NULL REFERENCES organisations (id),
	signing_key_id	bigint NOT NULL REFERENCES usage_signing_keys (id),
	body_hash	bytea NOT NULL CHECK (length(body_hash) = 32),
	signature	bytea NOT NULL CHECK (length(signature) = 64),
	source		text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'csv')),
	records		integer NOT NULL CHECK (records BETWEEN 0 AND 1000),
	accepted	integer NOT NULL CHECK (accepted BETWEEN 0 AND 1000),
	received_at	timestamptz NOT NULL DEFAULT now(),
	receipt		jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX usage_batches_vendor_idx ON usage_batches (vendor_id, id);

-- Usage records, idempotent per vendor by record_id. payload_hash is
-- BLAKE2b-256 of the record's canonical form: the same record_id with
-- another hash is a conflict, with the same hash a duplicate.
-- month is the Korea-time billing month of usage_at.
CREATE TABLE usage_records (
	vendor_id	bigint NOT NULL,
	record_id	text NOT NULL CHECK (length(record_id) BETWEEN 1 AND 64),
	contract_id	bigint NOT NULL REFERENCES contracts (id),
	dimension	text NOT NULL CHECK (length(dimension) BETWEEN 1 AND 64),
	quantity_micro	bigint NOT NULL CHECK (quantity_micro >= 0),
	usage_at	timestamptz NOT NULL,
	month		date NOT NULL CHECK (extract(day FROM month) = 1),
	allocation	text NOT NULL DEFAULT '' CHECK (length(allocation) <= 64),
	payload_hash	bytea NOT NULL CHECK (length(payload_hash) = 32),
	batch_id	bigint NOT NULL REFERENCES usage_batches (id),
	received_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (vendor_id, record_id)
);
CREATE INDEX usage_records_contract_idx
	ON usage_records (contract_id, month, dimension);

-- Per-contract hash chain over accepted batches:
-- h_n = BLAKE2b-256(h_{n-1} || body_hash), h_0 = 32 zero bytes.
CREATE TABLE usage_chain (
	contract_id	bigint NOT NULL REFERENCES contracts (id),
	seq		bigint NOT NULL CHECK (seq >= 1),
	batch_id	bigint NOT NULL REFERENCES usage_batches (id),
	head		bytea NOT NULL CHECK (length(head) = 32),
	at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (contract_id, seq),
	UNIQUE (contract_id, batch_id)
);

-- Monthly availability a vendor reports per contract (SLA credits).
-- availability_micro is micro-percent: 99.5% = 99500000.
CREATE TABLE usage_availability (
	contract_id	bigint NOT NULL REFERENCES contracts (id),
	month		date NOT NULL CHECK (extract(day FROM month) = 1),
	availability_micro bigint NOT NULL
			    CHECK (availability_micro BETWEEN 0 AND 100000000),
	reported_by	bigint NOT NULL REFERENCES users (id),
	reported_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (contract_id, month)
);

-- Invoices and credit notes. One invoice per contract and month
-- (invoices_month_idx); a credit note references the invoice it corrects.
-- States: draft -> issued -> accepted | disputed -> paid; a draft is
-- recomputed by the month close, anything issued is never edited.
-- Numbers have no gaps per vendor: seq comes from invoice_sequences in
-- the statement that issues, number is its printed form.
CREATE TABLE invoices (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL DEFAULT 'invoice'
			    CHECK (kind IN ('invoice', 'credit_note')),
	contract_id	bigint NOT NULL REFERENCES contracts (id),
	org_id		bigint NOT NULL REFERENCES organisations (id),
	vendor_id	bigint NOT NULL REFERENCES organisations (id),
	month		date NOT NULL CHECK (extract(day FROM month) = 1),
	corrects_id	bigint REFERENCES invoices (id),
	status		text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft',
			    'issued', 'accepted', 'disputed', 'paid')),
	seq		integer,
	number		text,
	supply_won	bigint NOT NULL,
	vat_won		bigint NOT NULL,
	total_won	bigint NOT NULL,
	fiscal_year	integer NOT NULL,
	rounding	text NOT NULL CHECK (rounding IN ('half_up', 'down')),
	availability_micro bigint,
	usage_head	bytea CHECK (length(usage_head) = 32),
	bundle		jsonb,
	bundle_hash	bytea CHECK (length(bundle_hash) = 32),
	signature	bytea CHECK (length(signature) = 64),
	prev_hash	bytea CHECK (length(prev_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	issued_at	timestamptz,
	accepted_at	timestamptz,
	paid_at		timestamptz,
	CHECK (total_won = supply_won + vat_won),
	CHECK ((kind = 'credit_note') = (corrects_id IS NOT NULL)),
	CHECK ((status = 'draft') = (seq IS NULL)),
	CHECK ((seq IS NULL) = (number IS NULL)),
	UNIQUE (vendor_id, seq)
);
CREATE UNIQUE INDEX invoices_month_idx ON invoices (contract_id, month)
	WHERE kind = 'invoice';
CREATE INDEX invoices_org_idx ON invoices (org_id, month);
CREATE INDEX invoices_vendor_idx ON invoices (vendor_id, month);

CREATE TABLE invoice_sequences (
	vendor_id	bigint PRIMARY KEY REFERENCES organisations (id),
	last_seq	integer NOT NULL DEFAULT 0
);

-- Lines in the order rating_invoice() produces them. usage lines carry
-- the dimension, the aggregated quantity and the tier breakdown;
-- adjustment lines the month they correct. The buyer's 검수 is per line:
-- review accepted or disputed (with a reason), the vendor answers.
CREATE TABLE invoice_lines (
	invoice_id	bigint NOT NULL REFERENCES invoices (id),
	line_no		integer NOT NULL CHECK (line_no >= 1),
	kind		text NOT NULL CHECK (kind IN ('usage', 'sla_credit',
			    'adjustment', 'ceiling_cap', 'credit')),
	dimension	text,
	quantity_micro	bigint,
	amount_won	bigint NOT NULL,
	adjusts_month	date,
	label_ko	text NOT NULL,
	label_en	text NOT NULL,
	breakdown	jsonb NOT NULL DEFAULT '[]',
	review		text CHECK (review IN ('accepted', 'disputed')),
	dispute_reason	text CHECK (length(dispute_reason) <= 2000),
	dispute_answer	text CHECK (length(dispute_answer) <= 2000),
	reviewed_by	bigint REFERENCES users (id),
	reviewed_at	timestamptz,
	PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE payments (
	id		bigserial PRIMARY KEY,
	invoice_id	bigint NOT NULL REFERENCES invoices (id),
	amount_won	bigint NOT NULL CHECK (amount_won > 0),
	paid_on		date NOT NULL,
	reference	text NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
	recorded_by	bigint NOT NULL REFERENCES users (id),
	recorded_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id);

-- Ceiling alerts fire once per contract and threshold (50, 80, 90, 100).
CREATE TABLE ceiling_alerts (
	contract_id	bigint NOT NULL REFERENCES contracts (id),
	threshold	integer NOT NULL CHECK (threshold IN (50, 80, 90, 100)),
	fired_at	timestamptz NOT NULL DEFAULT now(),
	used_won	bigint NOT NULL,
	PRIMARY KEY (contract_id, threshold)
);

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE ON usage_signing_keys,
		    usage_batches, usage_records, usage_chain,
		    usage_availability, invoices, invoice_sequences,
		    invoice_lines, payments, ceiling_alerts TO gureum_app;
		GRANT SELECT ON marketplace_keys TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
