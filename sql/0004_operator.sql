-- Indexes for the procurement office's pages (app/operator.c).
--
-- The vendor queue shows, for each decided registration, the latest
-- vendor_* audit event about it (who decided, when, the reason): the audit
-- log is the record of those decisions, so they are not copied onto the
-- organisation. That lookup, and the audit log's `object` filter, go by
-- (object_type, object_id); the `action` filter by action. Both end in id
-- because the log is read newest first by id.

CREATE INDEX IF NOT EXISTS audit_events_object_idx
	ON audit_events (object_type, object_id, id);
CREATE INDEX IF NOT EXISTS audit_events_action_idx
	ON audit_events (action, id);
