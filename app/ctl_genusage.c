/*
 * gureumctl generate-usage --contracts N --records M --month YYYY-MM
 *
 * Synthetic load for the month-close benchmark (bench/close-month.sh):
 * N active contracts of agency A (organisation 101) with vendor A
 * (organisation 1) on 8 generated listings, each with its own plan (four
 * shapes covering every pricing model and aggregation: graduated and
 * volume with charge_at_zero, per_unit, package, flat, and sum, max,
 * latest, unique_count), and M usage records spread over the month's
 * contracts, dimensions, days and allocation tags, in batches of 1,000
 * as ingestion stores them. One contract in five starts on the 11th, so
 * flat fees are prorated.
 *
 * Everything is INSERT ... SELECT generate_series in one transaction:
 * the server makes the rows, nothing crosses the socket row by row.
 * Generated listings are withdrawn (never in the catalog) and carry
 * external_ref 'gen:usage:<run>:...'. Meant for a database of its own
 * (the benchmark's), not the demo one.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "invoicecalc.h"

#define LISTINGS	8

/* The four plan shapes; listing i gets PLANS[i % 4]. */
static const char *const PLANS[4] = {
	"{\"dimensions\":[{\"code\":\"vcpu_hour\",\"unit_ko\":\"vCPU시간\","
	"\"unit_en\":\"vCPU hour\",\"aggregation\":\"sum\",\"model\":"
	"\"graduated\",\"charge_at_zero\":true,\"reference_quantity\":\"720\","
	"\"tiers\":[{\"up_to\":\"100\",\"unit_price\":\"35.5\",\"flat_fee\":"
	"\"1000\"},{\"up_to\":\"1000\",\"unit_price\":\"30\"},{\"up_to\":null,"
	"\"unit_price\":\"25.25\"}]},{\"code\":\"storage_gb\",\"unit_ko\":"
	"\"GB\",\"unit_en\":\"GB\",\"aggregation\":\"max\",\"model\":"
	"\"per_unit\",\"unit_price\":\"100.5\",\"reference_quantity\":\"100\"}],"
	"\"credits\":[{\"below\":\"99.5\",\"share\":\"10\"}]}",
	"{\"dimensions\":[{\"code\":\"api_call\",\"unit_ko\":\"API 호출\","
	"\"unit_en\":\"API call\",\"aggregation\":\"sum\",\"model\":\"volume\","
	"\"charge_at_zero\":true,\"reference_quantity\":\"1000\",\"tiers\":"
	"[{\"up_to\":\"1000\",\"unit_price\":\"2\",\"flat_fee\":\"10\"},"
	"{\"up_to\":null,\"unit_price\":\"1.5\"}]},{\"code\":\"base_fee\","
	"\"unit_ko\":\"기본료\",\"unit_en\":\"base fee\",\"aggregation\":"
	"\"sum\",\"model\":\"flat\",\"fee\":\"100000\",\"reference_quantity\":"
	"\"1\"}]}",
	"{\"dimensions\":[{\"code\":\"transfer_gb\",\"unit_ko\":\"전송 GB\","
	"\"unit_en\":\"transfer GB\",\"aggregation\":\"sum\",\"model\":"
	"\"package\",\"package_size\":\"10\",\"package_price\":\"1200\","
	"\"package_rounding\":\"up\",\"reference_quantity\":\"100\"},"
	"{\"code\":\"instances\",\"unit_ko\":\"인스턴스\",\"unit_en\":"
	"\"instances\",\"aggregation\":\"latest\",\"model\":\"per_unit\","
	"\"unit_price\":\"5000\",\"reference_quantity\":\"4\"}]}",
	"{\"dimensions\":[{\"code\":\"active_user\",\"unit_ko\":\"활성 사용자\","
	"\"unit_en\":\"active user\",\"aggregation\":\"unique_count\","
	"\"model\":\"per_unit\",\"unit_price\":\"3000\",\"reference_quantity\":"
	"\"50\"},{\"code\":\"mailbox_gb\",\"unit_ko\":\"메일함 GB\","
	"\"unit_en\":\"mailbox GB\",\"aggregation\":\"sum\",\"model\":"
	"\"graduated\",\"reference_quantity\":\"10\",\"tiers\":[{\"up_to\":"
	"\"10\",\"unit_price\":\"0\"},{\"up_to\":null,\"unit_price\":\"50\"}]}]}"
};

static int	exec1(PGconn *, const char *, int, const char **, char *,
		    size_t);

/*
 * Parses the arguments after "generate-usage" and generates. Returns 0,
 * 1 on a database error, 2 on a usage error.
 */
int
ctl_generate_usage(PGconn *db, int argc, char *argv[])
{
	const char	*month, *params[6];
	char		*end, run[32], ncs[24], nrs[24], mfirst[11], out[64];
	char		 lst[24], plans[4096];
	long		 ncontracts, nrecords;
	int		 i, y, m, d;
	size_t		 off;

	ncontracts = nrecords = 0;
	month = NULL;
	for (i = 0; i + 1 < argc; i += 2) {
		errno = 0;
		if (strcmp(argv[i], "--contracts") == 0)
			ncontracts = strtol(argv[i + 1], &end, 10);
		else if (strcmp(argv[i], "--records") == 0)
			nrecords = strtol(argv[i + 1], &end, 10);
		else if (strcmp(argv[i], "--month") == 0) {
			month = argv[i + 1];
			end = (char *)"";
		} else
			break;
		if (errno != 0 || *end != '\0')
			break;
	}
	if (i != argc || month == NULL || strlen(month) != 7 ||
	    icalc_parse_date(month, &y, &m, &d) == -1 || ncontracts < 1 ||
	    ncontracts > 1000000 || nrecords < 0 || nrecords > 100000000) {
		fprintf(stderr, "usage: gureumctl generate-usage --contracts N"
		    " (1-1000000) --records M (0-100000000) --month YYYY-MM\n");
		return (2);
	}
	(void)snprintf(run, sizeof(run), "%lld", (long long)time(NULL));
	(void)snprintf(ncs, sizeof(ncs), "%ld", ncontracts);
	(void)snprintf(nrs, sizeof(nrs), "%ld", nrecords);
	(void)snprintf(mfirst, sizeof(mfirst), "%04d-%02d-01", y, m);
	(void)snprintf(lst, sizeof(lst), "%d", LISTINGS);
	/* The plans as a SQL array literal of JSON texts. */
	off = 0;
	plans[off++] = '{';
	for (i = 0; i < 4; i++) {
		const char *p;

		if (i > 0)
			plans[off++] = ',';
		plans[off++] = '"';
		for (p = PLANS[i]; *p != '\0' && off < sizeof(plans) - 4; p++) {
			if (*p == '"' || *p == '\\')
				plans[off++] = '\\';
			plans[off++] = *p;
		}
		plans[off++] = '"';
	}
	plans[off++] = '}';
	plans[off] = '\0';

	if (exec1(db, "BEGIN", 0, NULL, NULL, 0) == -1)
		return (1);
	params[0] = run;
	params[1] = lst;
	params[2] = plans;
	if (exec1(db, "WITH l AS (INSERT INTO listings (vendor_id,"
	    " service_type, name_ko, name_en, status, external_ref,"
	    " rate_plan)"
	    " SELECT 1, 'saas', '생성 서비스 ' || g, 'Generated service ' || g,"
	    " 'withdrawn', 'gen:usage:' || $1 || ':' || g,"
	    " ($3::text[])[1 + (g - 1) % 4]::jsonb"
	    " FROM generate_series(1, $2::integer) g ORDER BY g"
	    " RETURNING id, rate_plan)"
	    " INSERT INTO listing_versions (listing_id, version, document,"
	    " rate_plan, reason) SELECT id, 1, '{}', rate_plan, 'generated'"
	    " FROM l", 3, params, NULL, 0) == -1)
		goto fail;
	params[0] = run;
	params[1] = mfirst;
	if (exec1(db, "WITH s AS (INSERT INTO agency_systems (org_id, name,"
	    " nature, created_by) VALUES (101, 'generated ' || $1, 'internal',"
	    " 1) RETURNING id),"
	    " d AS (INSERT INTO eligibility_decisions (org_id, system_id,"
	    " listing_id, listing_version, start_date, ruleset_version,"
	    " outcome, reasons, facts, decided_by)"
	    " SELECT 101, s.id, (SELECT min(id) FROM listings"
	    " WHERE external_ref LIKE 'gen:usage:' || $1 || ':%'), 1,"
	    " $2::date, (SELECT max(version) FROM eligibility_rulesets),"
	    " 'eligible', '[]', '{}', 1 FROM s RETURNING id, system_id)"
	    " SELECT id FROM d", 2, params, out, sizeof(out)) == -1)
		goto fail;
	params[0] = run;
	params[1] = mfirst;
	params[2] = ncs;
	if (exec1(db, "INSERT INTO contracts (org_id, vendor_id, listing_id,"
	    " listing_version, rate_plan, system_id, decision_id, title,"
	    " start_date, end_date, ceiling_won, status, client_token,"
	    " created_by, activated_at)"
	    " SELECT 101, 1, l.id, 1, l.rate_plan, d.system_id, d.id,"
	    " 'generated ' || $1 || ' #' || g,"
	    " CASE WHEN g % 5 = 0 THEN $2::date + 10 ELSE $2::date - 30 END,"
	    " $2::date + 365, 100000000000, 'active',"
	    " 'gu-' || $1 || '-' || g, 1, now()"
	    " FROM generate_series(1, $3::integer) g"
	    " JOIN (SELECT id, rate_plan, row_number() OVER (ORDER BY id) - 1"
	    "  AS k FROM listings WHERE external_ref LIKE"
	    "  'gen:usage:' || $1 || ':%') l ON l.k = (g - 1) % 8"
	    " CROSS JOIN (SELECT id, system_id FROM eligibility_decisions"
	    "  ORDER BY id DESC LIMIT 1) d ORDER BY g", 3, params, NULL, 0) == -1)
		goto fail;
	if (exec1(db, "INSERT INTO usage_signing_keys (org_id, key_id,"
	    " public_key, name, created_by)"
	    " SELECT 1, 'gen-' || $1, sha256(('gen-key-' || $1)::bytea),"
	    " 'generated', 5", 1, params, NULL, 0) == -1)
		goto fail;
	params[0] = run;
	params[1] = nrs;
	if (exec1(db, "INSERT INTO usage_batches (vendor_id, signing_key_id,"
	    " body_hash, signature, records, accepted)"
	    " SELECT 1, k.id, sha256(int8send(b)), sha256(int8send(b)) ||"
	    " sha256(int8send(-b)), 1000, 1000"
	    " FROM generate_series(1, ($2::bigint + 999) / 1000) b,"
	    " usage_signing_keys k WHERE k.key_id = 'gen-' || $1"
	    " ORDER BY b", 2, params, NULL, 0) == -1)
		goto fail;
	/*
	 * Record g goes to contract g mod N, to the dimension (g / N) mod
	 * 2 of its plan, at a second of the month, with one of three
	 * allocation tags; active_user records with one of 500 subjects.
	 */
	params[0] = run;
	params[1] = nrs;
	params[2] = ncs;
	params[3] = mfirst;
	if (exec1(db, "WITH c AS (SELECT array_agg(id ORDER BY id) AS ids,"
	    " min(id) AS first FROM contracts WHERE client_token LIKE"
	    " 'gu-' || $1 || '-%'),"
	    " b AS (SELECT min(b.id) AS first FROM usage_batches b"
	    " JOIN usage_signing_keys k ON k.id = b.signing_key_id"
	    " WHERE k.key_id = 'gen-' || $1)"
	    " INSERT INTO usage_records (vendor_id, record_id, contract_id,"
	    " dimension, quantity_micro, usage_at, month, allocation,"
	    " payload_hash, batch_id, subject)"
	    " SELECT 1, 'g' || $1 || '-' || g, c.ids[1 + g % $3::integer],"
	    " (ARRAY['vcpu_hour', 'storage_gb', 'api_call', 'base_fee',"
	    "  'transfer_gb', 'instances', 'active_user', 'mailbox_gb'])"
	    "  [1 + 2 * ((g % $3::integer) % 4) + (g / $3::integer) % 2],"
	    " (g % 997 + 1) * 10000,"
	    " ($4::date::timestamp AT TIME ZONE 'Asia/Seoul') + make_interval("
	    "  secs => (g * 7919) % (extract(epoch FROM ($4::date + interval"
	    "  '1 month') - $4::date)::bigint)),"
	    " $4::date, (ARRAY['부서A', '부서B', '사업C'])[1 + g % 3],"
	    " sha256(int8send(g)), b.first + (g - 1) / 1000,"
	    " CASE WHEN (g % $3::integer) % 4 = 3 AND (g / $3::integer) % 2 = 0"
	    " THEN 'u' || (g % 500) ELSE '' END"
	    " FROM generate_series(1, $2::bigint) g, c, b",
	    4, params, NULL, 0) == -1)
		goto fail;
	if (exec1(db, "COMMIT", 0, NULL, NULL, 0) == -1)
		return (1);
	printf("generate-usage: %ld contracts, %ld records in %.7s "
	    "(run %s)\n", ncontracts, nrecords, mfirst, run);
	return (0);
fail:
	(void)exec1(db, "ROLLBACK", 0, NULL, NULL, 0);
	return (1);
}

/* Runs one statement; the first value into out if given. -1 on error. */
static int
exec1(PGconn *db, const char *sql, int n, const char **params, char *out,
    size_t outlen)
{
	PGresult	*res;
	int		 st;

	res = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: generate-usage: %s",
		    PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	if (out != NULL && outlen > 0) {
		out[0] = '\0';
		if (PQntuples(res) > 0)
			(void)snprintf(out, outlen, "%s", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return (0);
}
