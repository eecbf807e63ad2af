-- Contracts end by themselves after their end date (app/ctl_expire.c
-- calls contract_expire() on each run of the expiry job, after the
-- certificates): an active or suspended contract whose end date is
-- before p_day (Korea time) becomes ended with end_reason 'expired', with
-- an audit event and a notice to the agency and the vendor. Idempotent:
-- a second run on the same day finds nothing. Returns the contracts it
-- ended.
CREATE FUNCTION contract_expire(p_day date)
RETURNS TABLE (id bigint, title text, end_date date)
LANGUAGE plpgsql AS $$
DECLARE
	c contracts;
BEGIN
	FOR c IN SELECT * FROM contracts k WHERE k.status IN ('active',
	    'suspended') AND k.end_date < p_day ORDER BY k.id FOR UPDATE
	LOOP
		UPDATE contracts SET status = 'ended', end_reason = 'expired',
		    updated_at = now() WHERE contracts.id = c.id;
		INSERT INTO audit_events (actor_id, org_id, action,
		    object_type, object_id, summary)
		VALUES (NULL, c.org_id, 'contract_expired', 'contract',
		    c.id::text, jsonb_build_object('from', c.status,
		    'to', 'ended', 'end_date', c.end_date, 'as_of', p_day));
		PERFORM notify_org(c.org_id, ARRAY['buyer', 'buyer_approver'],
		    'contract_ended', '계약 기간 만료: #' || c.id || ' ' ||
		    c.title, 'Contract ended at its end date: #' || c.id || ' ' ||
		    c.title, '/contracts/' || c.id);
		PERFORM notify_org(c.vendor_id, ARRAY['vendor_admin'],
		    'contract_ended', '계약 기간 만료: #' || c.id,
		    'Contract ended at its end date: #' || c.id,
		    '/contracts/' || c.id);
		id := c.id;
		title := c.title;
		end_date := c.end_date;
		RETURN NEXT;
	END LOOP;
END
$$;
