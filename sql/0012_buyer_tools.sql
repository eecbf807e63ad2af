-- The buyers' working tools (app/shortlist.c): saved searches and
-- shortlists (이용희망목록).
--
-- A shortlist belongs to an agency and is named after the project it is
-- for; any buyer or approver of the agency works on it. It collects
-- services from search results, each with the listing version current
-- when it was added and the search that produced it, a decision (kept or
-- dropped) and the reason. Locking freezes it as the evidence a direct
-- award needs: the version each service had at that moment is recorded
-- beside the one it was added with, and nothing changes afterwards.
--
-- Every change is one call of a function below, which checks ownership
-- (the caller's agency) and state, makes the change and writes the audit
-- event together, and answers an outcome word the handler maps to its
-- HTTP answer. Functions rather than CTEs because a check must see what
-- an earlier statement of the same operation wrote.
--
-- Saved searches are private to the user who saved them: a search is a
-- query string of the search page (q, type, ...), validated by the handler.

CREATE TABLE saved_searches (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	user_id		bigint NOT NULL REFERENCES users (id),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	query		text NOT NULL CHECK (length(query) <= 2000),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_searches_user_idx ON saved_searches (user_id, id);

CREATE TABLE shortlists (
	id		bigserial PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	project_name	text NOT NULL CHECK (length(project_name) BETWEEN 1 AND 200),
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	locked_at	timestamptz,
	locked_by	bigint REFERENCES users (id),
	CHECK ((locked_at IS NULL) = (locked_by IS NULL))
);
-- One list per project name in an agency (case-insensitive).
CREATE UNIQUE INDEX shortlists_org_name_idx
	ON shortlists (org_id, lower(project_name));

CREATE TABLE shortlist_items (
	id		bigserial PRIMARY KEY,
	shortlist_id	bigint NOT NULL REFERENCES shortlists (id),
	listing_id	bigint NOT NULL REFERENCES listings (id),
	added_version	integer,
	locked_version	integer,
	search_query	text NOT NULL DEFAULT '' CHECK (length(search_query) <= 2000),
	decision	text NOT NULL DEFAULT 'undecided' CHECK (decision IN
			    ('undecided', 'kept', 'dropped')),
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
	added_by	bigint NOT NULL REFERENCES users (id),
	added_at	timestamptz NOT NULL DEFAULT now(),
	decided_by	bigint REFERENCES users (id),
	decided_at	timestamptz,
	UNIQUE (shortlist_id, listing_id)
);

-- Writes one audit event of a buyer-tool change.
CREATE FUNCTION buyer_audit(p_user bigint, p_org bigint, p_action text,
    p_type text, p_id bigint, p_summary jsonb, p_rid text, p_addr text)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO audit_events (actor_id, org_id, action, object_type,
	    object_id, summary, request_id, client_addr)
	VALUES (p_user, p_org, p_action, p_type, p_id::text, p_summary,
	    p_rid, p_addr);
$$;

-- Creates a shortlist. A taken project name raises 23505.
CREATE FUNCTION shortlist_create(p_org bigint, p_user bigint, p_name text,
    p_note text, p_rid text, p_addr text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	INSERT INTO shortlists (org_id, project_name, note, created_by)
	VALUES (p_org, p_name, p_note, p_user) RETURNING id INTO n;
	PERFORM buyer_audit(p_user, p_org, 'shortlist_created', 'shortlist',
	    n, jsonb_build_object('project', p_name), p_rid, p_addr);
	RETURN n;
END
$$;

-- Adds a published listing to an open shortlist of the caller's agency.
-- Outcomes: added, exists (already on it: the same answer twice, so a
-- double submission is harmless), no_list, locked, no_listing.
CREATE FUNCTION shortlist_add(p_list bigint, p_org bigint, p_user bigint,
    p_listing bigint, p_search text, p_rid text, p_addr text,
    OUT outcome text, OUT item_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	s shortlists;
	l listings;
BEGIN
	SELECT * INTO s FROM shortlists WHERE id = p_list AND org_id = p_org
	    FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_list';
		RETURN;
	END IF;
	SELECT id INTO item_id FROM shortlist_items
	    WHERE shortlist_id = p_list AND listing_id = p_listing;
	IF FOUND THEN
		outcome := 'exists';
		RETURN;
	END IF;
	IF s.locked_at IS NOT NULL THEN
		outcome := 'locked';
		RETURN;
	END IF;
	SELECT * INTO l FROM listings WHERE id = p_listing
	    AND status = 'published';
	IF NOT FOUND THEN
		outcome := 'no_listing';
		RETURN;
	END IF;
	INSERT INTO shortlist_items (shortlist_id, listing_id, added_version,
	    search_query, added_by)
	VALUES (p_list, p_listing, l.current_version, p_search, p_user)
	RETURNING id INTO item_id;
	UPDATE shortlists SET updated_at = now() WHERE id = p_list;
	PERFORM buyer_audit(p_user, p_org, 'shortlist_item_added',
	    'shortlist', p_list, jsonb_build_object('listing', p_listing,
	    'version', l.current_version, 'name', l.name_ko,
	    'search', p_search), p_rid, p_addr);
	outcome := 'added';
END
$$;

-- Records the decision about one item and why. Outcomes: ok, no_item,
-- locked.
CREATE FUNCTION shortlist_decide(p_item bigint, p_org bigint, p_user bigint,
    p_decision text, p_note text, p_rid text, p_addr text,
    OUT outcome text, OUT shortlist_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	i shortlist_items;
	s shortlists;
BEGIN
	SELECT it.* INTO i FROM shortlist_items it
	    JOIN shortlists sl ON sl.id = it.shortlist_id
	    WHERE it.id = p_item AND sl.org_id = p_org;
	IF NOT FOUND THEN
		outcome := 'no_item';
		RETURN;
	END IF;
	shortlist_id := i.shortlist_id;
	SELECT * INTO s FROM shortlists WHERE id = i.shortlist_id FOR UPDATE;
	IF s.locked_at IS NOT NULL THEN
		outcome := 'locked';
		RETURN;
	END IF;
	UPDATE shortlist_items SET decision = p_decision, note = p_note,
	    decided_by = p_user, decided_at = now() WHERE id = p_item;
	UPDATE shortlists SET updated_at = now() WHERE id = i.shortlist_id;
	PERFORM buyer_audit(p_user, p_org, 'shortlist_item_decided',
	    'shortlist', i.shortlist_id, jsonb_build_object('item', p_item,
	    'listing', i.listing_id, 'from', i.decision, 'to', p_decision,
	    'note', p_note), p_rid, p_addr);
	outcome := 'ok';
END
$$;

-- Takes an item off an open shortlist. Outcomes: ok, no_item, locked.
CREATE FUNCTION shortlist_remove(p_item bigint, p_org bigint, p_user bigint,
    p_rid text, p_addr text, OUT outcome text, OUT shortlist_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
	i shortlist_items;
	s shortlists;
BEGIN
	SELECT it.* INTO i FROM shortlist_items it
	    JOIN shortlists sl ON sl.id = it.shortlist_id
	    WHERE it.id = p_item AND sl.org_id = p_org;
	IF NOT FOUND THEN
		outcome := 'no_item';
		RETURN;
	END IF;
	shortlist_id := i.shortlist_id;
	SELECT * INTO s FROM shortlists WHERE id = i.shortlist_id FOR UPDATE;
	IF s.locked_at IS NOT NULL THEN
		outcome := 'locked';
		RETURN;
	END IF;
	DELETE FROM shortlist_items WHERE id = p_item;
	UPDATE shortlists SET updated_at = now() WHERE id = i.shortlist_id;
	PERFORM buyer_audit(p_user, p_org, 'shortlist_item_removed',
	    'shortlist', i.shortlist_id, jsonb_build_object('item', p_item,
	    'listing', i.listing_id, 'decision', i.decision), p_rid, p_addr);
	outcome := 'ok';
END
$$;

-- Locks a shortlist: every item decided, at least one kept. Records the
-- version each listing has now. Outcomes: ok, no_list, locked, empty,
-- undecided, none_kept.
CREATE FUNCTION shortlist_lock(p_list bigint, p_org bigint, p_user bigint,
    p_rid text, p_addr text, OUT outcome text)
LANGUAGE plpgsql AS $$
DECLARE
	s shortlists;
	n_all integer;
	n_open integer;
	n_kept integer;
BEGIN
	SELECT * INTO s FROM shortlists WHERE id = p_list AND org_id = p_org
	    FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'no_list';
		RETURN;
	END IF;
	IF s.locked_at IS NOT NULL THEN
		outcome := 'locked';
		RETURN;
	END IF;
	SELECT count(*), count(*) FILTER (WHERE decision = 'undecided'),
	    count(*) FILTER (WHERE decision = 'kept')
	    INTO n_all, n_open, n_kept
	    FROM shortlist_items WHERE shortlist_id = p_list;
	IF n_all = 0 THEN
		outcome := 'empty';
	ELSIF n_open > 0 THEN
		outcome := 'undecided';
	ELSIF n_kept = 0 THEN
		outcome := 'none_kept';
	END IF;
	IF outcome IS NOT NULL THEN
		RETURN;
	END IF;
	UPDATE shortlist_items it SET locked_version = l.current_version
	    FROM listings l WHERE l.id = it.listing_id
	    AND it.shortlist_id = p_list;
	UPDATE shortlists SET locked_at = now(), locked_by = p_user,
	    updated_at = now() WHERE id = p_list;
	PERFORM buyer_audit(p_user, p_org, 'shortlist_locked', 'shortlist',
	    p_list, jsonb_build_object('project', s.project_name,
	    'items', n_all, 'kept', n_kept), p_rid, p_addr);
	outcome := 'ok';
END
$$;

-- Saves a search for its user. Returns the id.
CREATE FUNCTION saved_search_save(p_org bigint, p_user bigint, p_name text,
    p_query text, p_rid text, p_addr text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	INSERT INTO saved_searches (org_id, user_id, name, query)
	VALUES (p_org, p_user, p_name, p_query) RETURNING id INTO n;
	PERFORM buyer_audit(p_user, p_org, 'search_saved', 'saved_search', n,
	    jsonb_build_object('name', p_name, 'query', p_query), p_rid,
	    p_addr);
	RETURN n;
END
$$;

-- Deletes one of the user's saved searches. Returns whether it existed.
CREATE FUNCTION saved_search_delete(p_id bigint, p_user bigint, p_org bigint,
    p_rid text, p_addr text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	s saved_searches;
BEGIN
	DELETE FROM saved_searches WHERE id = p_id AND user_id = p_user
	    RETURNING * INTO s;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM buyer_audit(p_user, p_org, 'search_deleted', 'saved_search',
	    p_id, jsonb_build_object('name', s.name, 'query', s.query),
	    p_rid, p_addr);
	RETURN true;
END
$$;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gureum_app') THEN
		GRANT SELECT, INSERT, DELETE ON saved_searches TO gureum_app;
		GRANT SELECT, INSERT, UPDATE ON shortlists TO gureum_app;
		GRANT SELECT, INSERT, UPDATE, DELETE ON shortlist_items
		    TO gureum_app;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gureum_app;
	END IF;
END
$$;
