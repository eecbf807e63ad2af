-- The comparison for the search benchmark: the same filtered, faceted
-- search done by PostgreSQL full-text search, written as well as we can
-- (a stored tsvector with a GIN index, one statement for the page, the
-- exact total and the type facet). Bench-only: run by bench/run.sh on the
-- bench database, never a migration.

SET client_min_messages = warning;
ALTER TABLE listings ADD COLUMN IF NOT EXISTS bench_tsv tsvector;
UPDATE listings l SET bench_tsv =
    setweight(to_tsvector('english', l.name_en), 'A') ||
    setweight(to_tsvector('simple', l.name_ko), 'A') ||
    setweight(to_tsvector('english', l.summary_en), 'B') ||
    setweight(to_tsvector('simple', l.summary_ko), 'B') ||
    to_tsvector('simple', o.name_ko || ' ' || o.name_en)
FROM organisations o WHERE o.id = l.vendor_id;
CREATE INDEX IF NOT EXISTS listings_bench_tsv ON listings USING gin (bench_tsv);
CREATE INDEX IF NOT EXISTS listings_bench_type ON listings (service_type);

DROP TABLE IF EXISTS bench_queries;
CREATE TABLE bench_queries (id serial PRIMARY KEY, q text NOT NULL,
    type text NOT NULL);
ANALYZE listings;
