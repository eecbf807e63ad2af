-- bench/search-fts.sql: the comparison for bench/search.sh. The same
-- filtered, faceted search as /api/v1/search, done by PostgreSQL
-- full-text search as well as we can: a stored tsvector (names weighted
-- A, summaries B, vendor names D) with a GIN index, and one statement per
-- search (bench/search-fts.pgbench) that returns the first page of 20 by
-- rank, the exact total and every facet's counts, each facet counted with
-- its own selection removed. Bench-only: run on the bench database by
-- bench/search.sh, never a migration.
--
-- The filter values of a search are rows of bench_queries (one column per
-- filter, NULL for "not filtered"), so that pgbench replays the same list
-- as wrk does (bench/search-queries.mjs writes both).

SET client_min_messages = warning;

DROP TABLE IF EXISTS bench_fts;
CREATE TABLE bench_fts AS
SELECT l.id, l.service_type,
    setweight(to_tsvector('english', l.name_en), 'A') ||
    setweight(to_tsvector('simple', l.name_ko), 'A') ||
    setweight(to_tsvector('english', l.summary_en), 'B') ||
    setweight(to_tsvector('simple', l.summary_ko), 'B') ||
    setweight(to_tsvector('simple', v.name_ko || ' ' || v.name_en), 'D')
    AS tsv
FROM listings l JOIN organisations v ON v.id = l.vendor_id
WHERE l.status = 'published' AND v.status = 'approved';
ALTER TABLE bench_fts ADD PRIMARY KEY (id);
CREATE INDEX bench_fts_tsv ON bench_fts USING gin (tsv);

DROP TABLE IF EXISTS bench_queries;
CREATE TABLE bench_queries (id serial PRIMARY KEY, q text NOT NULL,
    types text[]);
VACUUM ANALYZE bench_fts;
