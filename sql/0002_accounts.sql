-- Organisations, accounts, sessions, API keys and the audit log.
--
-- Every user belongs to one organisation: an agency (이용기관), a vendor
-- (공급기업) or the operator (the procurement office). The vendors of the
-- first migration become organisations of kind 'vendor' with the same ids,
-- so listings keep pointing at them.
--
-- The application connects as gureum_app, which may INSERT and SELECT audit
-- events but never UPDATE or DELETE them; a trigger refuses those for every
-- role, the owner included. The hash chain over the events is written by
-- `gureumctl audit seal` into audit_chain and checked by `gureumctl audit
-- verify` (BLAKE2b is not available inside PostgreSQL).

CREATE TABLE organisations (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('agency', 'vendor', 'operator')),
	name_ko		text NOT NULL CHECK (length(name_ko) BETWEEN 1 AND 200),
	name_en		text NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
	-- agencies
	agency_type	text CHECK (agency_type IN
			    ('central', 'metropolitan', 'basic', 'institution')),
	parent_id	bigint REFERENCES organisations (id),
	email_domains	text[] NOT NULL DEFAULT '{}',
	-- vendors
	biz_no		text UNIQUE CHECK (biz_no ~ '^[0-9]{3}-[0-9]{2}-[0-9]{5}$'),
	company_size	text CHECK (company_size IN ('sme', 'midsize', 'large')),
	address		text NOT NULL DEFAULT '' CHECK (length(address) <= 300),
	contact_name	text NOT NULL DEFAULT '' CHECK (length(contact_name) <= 100),
	contact_email	text NOT NULL DEFAULT '' CHECK (length(contact_email) <= 254),
	contact_phone	text NOT NULL DEFAULT '' CHECK (length(contact_phone) <= 40),
	website		text NOT NULL DEFAULT '' CHECK (length(website) <= 300),
	status		text NOT NULL DEFAULT 'approved' CHECK (status IN
			    ('applied', 'approved', 'rejected', 'suspended', 'closed')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'agency') = (agency_type IS NOT NULL)),
	CHECK (kind = 'vendor' OR (biz_no IS NULL AND company_size IS NULL))
);

-- The vendors of 0001 become organisations, keeping their ids.
INSERT INTO organisations (id, kind, name_ko, name_en, created_at)
	SELECT id, 'vendor', name_ko, name_en, created_at FROM vendors;
SELECT setval('organisations_id_seq',
    GREATEST((SELECT max(id) FROM organisations), 1));
ALTER TABLE listings DROP CONSTRAINT listings_vendor_id_fkey;
ALTER TABLE listings ADD CONSTRAINT listings_vendor_id_fkey
	FOREIGN KEY (vendor_id) REFERENCES organisations (id);
DROP TABLE vendors;

CREATE TABLE users (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	email		text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	role		text NOT NULL CHECK (role IN ('buyer', 'buyer_approver',
			    'vendor_admin', 'vendor_staff', 'reviewer', 'auditor',
			    'platform_admin')),
	password_hash	text,
	status		text NOT NULL DEFAULT 'active' CHECK (status IN
			    ('invited', 'active', 'deactivated')),
	failed_logins	integer NOT NULL DEFAULT 0,
	locked_until	timestamptz,
	lang		text CHECK (lang IN ('ko', 'en')),
	last_login_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (status = 'invited' OR password_hash IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));
CREATE INDEX users_org_idx ON users (org_id);

-- A role fits its organisation's kind: buyers in agencies, vendor roles in
-- vendors, reviewers, auditors and platform admins in the operator.
CREATE FUNCTION role_fits(role text, org bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT CASE (SELECT kind FROM organisations WHERE id = org)
	WHEN 'agency' THEN role IN ('buyer', 'buyer_approver')
	WHEN 'vendor' THEN role IN ('vendor_admin', 'vendor_staff')
	WHEN 'operator' THEN role IN ('reviewer', 'auditor', 'platform_admin')
	ELSE false END
$$;
ALTER TABLE users ADD CONSTRAINT users_role_fits CHECK (role_fits(role, org_id));

-- Sessions: only the BLAKE2b hash of the cookie's token is stored.
CREATE TABLE sessions (
	id		bigserial PRIMARY KEY,
	token_hash	text NOT NULL UNIQUE,
	user_id		bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	revoked_at	timestamptz,
	client_addr	text NOT NULL DEFAULT '',
	user_agent	text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Invitations: a one-time token to set a password.
CREATE TABLE invitations (
	id		bigserial PRIMARY KEY,
	token_hash	text NOT NULL UNIQUE,
	user_id		bigint NOT NULL REFERENCES users (id),
	created_by	bigint REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);

-- API keys: "gur_<key_id>_<secret>"; key_id is shown and used for lookup,
-- the whole key is stored only as a hash.
CREATE TABLE api_keys (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	key_id		text NOT NULL UNIQUE,
	key_hash	text NOT NULL,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	scopes		text[] NOT NULL CHECK (scopes <@ ARRAY['read',
			    'usage:write', 'invoices:read']::text[] AND
			    cardinality(scopes) > 0),
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz,
	revoked_by	bigint REFERENCES users (id),
	last_used_at	timestamptz
);
CREATE INDEX api_keys_org_idx ON api_keys (org_id);

CREATE TABLE audit_events (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_id	bigint,
	org_id		bigint,
	action		text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
	object_type	text NOT NULL DEFAULT '',
	object_id	text NOT NULL DEFAULT '',
	summary		jsonb NOT NULL DEFAULT '{}',
	request_id	text NOT NULL DEFAULT '',
	client_addr	text NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_org_idx ON audit_events (org_id, at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at);

-- The chain, in the order events were sealed: hash = BLAKE2b-256(previous
-- hash || canonical event), see app/auditchain.c.
CREATE TABLE audit_chain (
	seq		bigint PRIMARY KEY,
	event_id	bigint NOT NULL UNIQUE,
	hash		text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
	sealed_at	timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit records are append-only'
	    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_chain
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Wakes the sealer.
CREATE FUNCTION audit_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('audit', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events
	FOR EACH STATEMENT EXECUTE FUNCTION audit_notify();

-- The application's own role: everything it needs, and on the audit log
-- only INSERT and SELECT. Created here when the migrating role may; with an
-- external database without CREATEROLE, grant the same by hand
-- (docs/operations.md).
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		CREATE ROLE gureum_app LOGIN;
	END IF;
EXCEPTION WHEN insufficient_privilege THEN
	RAISE NOTICE 'cannot create role gureum_app; grant it by hand';
END
$$;
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		EXECUTE format('GRANT CONNECT ON DATABASE %I TO gureum_app',
		    current_database());
		GRANT USAGE ON SCHEMA public TO gureum_app;
		GRANT SELECT, INSERT, UPDATE, DELETE ON organisations, users,
		    sessions, invitations, api_keys, listings TO gureum_app;
		GRANT SELECT ON schema_migrations TO gureum_app;
		GRANT SELECT, INSERT ON audit_events TO gureum_app;
		GRANT SELECT ON audit_chain TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
