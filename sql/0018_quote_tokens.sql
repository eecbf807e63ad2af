-- A quote request form carries a one-time token (app/quote.c), so a
-- double submission makes one request: the same token again answers the
-- first request. API clients may send their own.
ALTER TABLE quote_requests ADD COLUMN client_token text
	CHECK (length(client_token) BETWEEN 8 AND 64);
CREATE UNIQUE INDEX quote_requests_token_idx
	ON quote_requests (org_id, client_token);

-- quote_create() with the token: outcome 'exists' and the first
-- request's id when the agency sent the token before.
CREATE FUNCTION quote_create_once(p_org bigint, p_user bigint,
    p_listing bigint, p_shortlist bigint, p_kind text, p_quantities jsonb,
    p_desired bigint, p_vat boolean, p_delivery date, p_deadline timestamptz,
    p_message text, p_token text, p_rid text, p_addr text,
    OUT outcome text, OUT request_id bigint)
LANGUAGE plpgsql AS $$
BEGIN
	IF p_token IS NOT NULL THEN
		SELECT q.id INTO request_id FROM quote_requests q
		    WHERE q.org_id = p_org AND q.client_token = p_token;
		IF FOUND THEN
			outcome := 'exists';
			RETURN;
		END IF;
	END IF;
	SELECT c.outcome, c.request_id INTO outcome, request_id
	    FROM quote_create(p_org, p_user, p_listing, p_shortlist, p_kind,
	    p_quantities, p_desired, p_vat, p_delivery, p_deadline, p_message,
	    p_rid, p_addr) c;
	IF outcome = 'created' AND p_token IS NOT NULL THEN
		UPDATE quote_requests SET client_token = p_token
		    WHERE id = request_id;
	END IF;
END
$$;
