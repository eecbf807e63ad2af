-- bench/search-fts.sql: the comparison for bench/search.sh. The same
-- filtered, faceted search as /api/v1/search, done by PostgreSQL
-- full-text search as well as we can: one narrow table of the published
-- listings with a stored tsvector (names weighted A, summaries B,
-- vendor names D) under a GIN index and every facet value precomputed
-- into a column (from search_listing_facets(), the function the indexer
-- reads, sql/0024_search_facets.sql), and one statement per search
-- (bench/search-fts.pgbench) that returns the first page of 20 by rank,
-- the exact total and every facet's counts, each facet counted with its
-- own selection removed. Bench-only: run on the bench database by
-- bench/search.sh, never a migration.
--
-- The filter values of a search are a row of bench_queries (one column
-- per filter, NULL for "not filtered"), so that pgbench replays the same
-- list as wrk does (bench/search-queries.mjs writes both).

SET client_min_messages = warning;

DROP TABLE IF EXISTS bench_fts;
CREATE TABLE bench_fts AS
SELECT l.id, l.service_type AS type,
    setweight(to_tsvector('english', l.name_en), 'A') ||
    setweight(to_tsvector('simple', l.name_ko), 'A') ||
    setweight(to_tsvector('english', l.summary_en), 'B') ||
    setweight(to_tsvector('simple', l.summary_ko), 'B') ||
    setweight(to_tsvector('simple', v.name_ko || ' ' || v.name_en), 'D')
	AS tsv,
    ARRAY(SELECT coalesce(c->>'code', c #>> '{}')
	FROM jsonb_array_elements(f->'category') c) AS category,
    ARRAY(SELECT jsonb_array_elements_text(f->'cert')) AS cert,
    ARRAY(SELECT jsonb_array_elements_text(f->'cert_valid')) AS cert_valid,
    ARRAY(SELECT jsonb_array_elements_text(f->'csap')) AS csap,
    ARRAY(SELECT jsonb_array_elements_text(f->'csap_valid')) AS csap_valid,
    (f->>'valid')::boolean AS valid,
    (f->>'domestic')::boolean AS domestic,
    (f->>'trial')::boolean AS trial,
    f->>'size' AS size,
    f->>'deploy' AS deploy,
    (f->>'availability')::numeric AS avail,
    l.reference_monthly_price_won AS price,
    ARRAY(SELECT (r->>'id')::bigint FROM jsonb_array_elements(f->'runs_on') r)
	AS runs_on
FROM listings l JOIN organisations v ON v.id = l.vendor_id,
    LATERAL search_listing_facets(l.id) f
WHERE l.status = 'published' AND v.status = 'approved';
ALTER TABLE bench_fts ADD PRIMARY KEY (id);
CREATE INDEX bench_fts_tsv ON bench_fts USING gin (tsv);

DROP TABLE IF EXISTS bench_queries;
CREATE TABLE bench_queries (id serial PRIMARY KEY, q text NOT NULL,
    types text[], categories text[], certs text[], csap text,
    valid boolean, domestic boolean, trial boolean, sizes text[],
    avail numeric, price_min bigint, price_max bigint, runs_on bigint[],
    deploys text[]);
VACUUM ANALYZE bench_fts;
