-- Two changes to the report cache (0023) found by measuring cold reports
-- on the bench data (docs/benchmarks.md, "Reports").
--
-- 1. No JIT for report statements. The planner's estimates for the
--    materialised CTEs of a report are far off (288,494 rows estimated
--    where 3,229 come out, for the certificate dependencies), so their
--    cost passes jit_above_cost and PostgreSQL compiles the statement with
--    LLVM first: 120-200 ms of a 300-390 ms certificates report, and the
--    compiled code saves nothing on statements that run once over some
--    10^4 rows. A function's SET applies to everything it executes,
--    including the EXECUTE of the report, and ends with the call.
ALTER FUNCTION report_cached(text, text, date, date, bigint, bigint, text,
    text, text, text[]) SET jit = off;

-- 2. Quote requests and shortlist additions no longer empty the cache.
--    No cached report reads them (a contract's first request time is a
--    column of contracts; the sales statistics, which count them, are not
--    cached), and buyers add to shortlists all day: every addition made
--    the next reader of every report compute it afresh.
DROP TRIGGER quote_requests_report_version ON quote_requests;
DROP TRIGGER shortlist_items_report_version ON shortlist_items;
