-- Sign-up, invitations and the mail outbox (app/orgadmin.c).
--
-- There is no mail sender yet: invitation messages are written to
-- mail_outbox in the same statement that creates the invitation, and a
-- relay (to come) sends them and sets sent_at. The body holds the
-- invitation link, so the table is as sensitive as the invitations it
-- announces; the token itself is stored only hashed in invitations.
--
-- A vendor's application creates the organisation and its first admin
-- together. The users_role_fits check reads the organisation's kind, which
-- a single CTE statement could not yet see (every part of one statement
-- shares one snapshot), so it is a function whose statements run one after
-- another: still one statement for the caller, all or nothing.

CREATE TABLE mail_outbox (
	id		bigserial PRIMARY KEY,
	to_address	text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
	subject		text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
	body		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz
);
CREATE INDEX mail_outbox_unsent_idx ON mail_outbox (id) WHERE sent_at IS NULL;

CREATE INDEX invitations_user_idx ON invitations (user_id);

-- Applies for a vendor account: the organisation (status 'applied'), its
-- vendor_admin and the audit event. Returns the new ids. A taken business
-- number or e-mail raises unique_violation (23505) naming its constraint.
CREATE FUNCTION vendor_apply(p_name_ko text, p_name_en text, p_biz_no text,
    p_size text, p_address text, p_contact_name text, p_contact_phone text,
    p_website text, p_admin_name text, p_email text, p_hash text,
    p_request_id text, p_client text)
RETURNS TABLE (org_id bigint, user_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	o bigint;
	u bigint;
BEGIN
	INSERT INTO organisations (kind, name_ko, name_en, biz_no,
	    company_size, address, contact_name, contact_email, contact_phone,
	    website, status)
	VALUES ('vendor', p_name_ko, p_name_en, p_biz_no, p_size, p_address,
	    p_contact_name, p_email, p_contact_phone, p_website, 'applied')
	RETURNING id INTO o;
	INSERT INTO users (org_id, email, name, role, password_hash)
	VALUES (o, p_email, p_admin_name, 'vendor_admin', p_hash)
	RETURNING id INTO u;
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (u, o, 'vendor_applied', 'organisation', o::text,
	    jsonb_build_object('name_ko', p_name_ko, 'name_en', p_name_en,
	    'biz_no', p_biz_no, 'company_size', p_size,
	    'admin_email', p_email, 'admin_user', u),
	    p_request_id, p_client);
	org_id := o;
	user_id := u;
	RETURN NEXT;
END
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, UPDATE ON mail_outbox TO gureum_app;
		GRANT USAGE ON SEQUENCE mail_outbox_id_seq TO gureum_app;
		GRANT EXECUTE ON FUNCTION vendor_apply(text, text, text, text,
		    text, text, text, text, text, text, text, text, text)
		    TO gureum_app;
	END IF;
END
$$;
