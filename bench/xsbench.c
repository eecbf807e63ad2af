/*
 * bench/xsbench.c: the search library alone (search/xsearch.h), for
 * profiling and for comparing ways of counting in one process and one run.
 * Replays a file of /api/v1/search paths (bench/search-queries.mjs writes
 * them) against an index the way app/search.c asks (the same prefixes,
 * tie-break, snippets and facets), each path once per round, and prints
 * the CPU time per search of each counting mode: the default (kept
 * bitsets and decoded arrays), XS_FCOUNT_MATCHER and XS_FCOUNT_SPY (the
 * straightforward match spies).
 *
 *   cc -O2 -Iapp -Isearch -o build/xsbench bench/xsbench.c build/libpure.a \
 *       -lxapian -lstdc++ -lm
 *   build/xsbench var/bench/index var/bench/api-filtered.txt [rounds]
 *
 * The twelve facet groups are those of app/search.c (valid=1 is read as
 * a plain flag here, without the page's switch of the certificate groups
 * to certificates in force).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search_slots.h"
#include "xsearch.h"

#define MAXQ		4096
#define MAXSEL		8

/* The search page's twelve facet groups (app/search.c sfilters[]). */
enum { G_TYPE, G_CATEGORY, G_CERT, G_CSAP, G_VALID, G_DOMESTIC, G_SIZE,
	G_TRIAL, G_AVAIL, G_PRICE, G_RUNS_ON, G_DEPLOY, G__MAX };
static const char *gname[G__MAX] = { "type", "category", "cert", "csap",
	"valid", "domestic", "size", "trial", "availability", "price",
	"runs_on", "deploy" };
static const unsigned gslot[G__MAX] = { SEARCH_SLOT_TYPE,
	SEARCH_SLOT_CATEGORY, SEARCH_SLOT_CERT, SEARCH_SLOT_CSAP,
	SEARCH_SLOT_VALID, SEARCH_SLOT_DOMESTIC, SEARCH_SLOT_SIZE,
	SEARCH_SLOT_TRIAL, SEARCH_SLOT_AVAIL, SEARCH_SLOT_PRICE,
	SEARCH_SLOT_RUNS_ON, SEARCH_SLOT_DEPLOY };
static const char *gprefix[G__MAX] = { SEARCH_PREFIX_TYPE,
	SEARCH_PREFIX_CATEGORY, SEARCH_PREFIX_CERT, SEARCH_PREFIX_CSAP,
	SEARCH_PREFIX_VALID, SEARCH_PREFIX_DOMESTIC, SEARCH_PREFIX_SIZE,
	SEARCH_PREFIX_TRIAL, NULL, NULL, SEARCH_PREFIX_RUNS_ON,
	SEARCH_PREFIX_DEPLOY };
static const double avail_lo[] = { 99, 99.5, 99.9, 99.95, 99.99 };
static const double avail_hi[] = { 1e300, 1e300, 1e300, 1e300, 1e300 };
static const double price_lo[] = { 0, 100000, 1000000, 10000000 };
static const double price_hi[] = { 99999, 999999, 9999999, 1e300 };

struct bq {
	char		*text;
	char		*sel[G__MAX][MAXSEL];
	size_t		 nsel[G__MAX];
	int		 has[G__MAX];
	double		 lo[G__MAX], hi[G__MAX];
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decodes %XX and + in place. */
static void
unescape(char *s)
{
	char	*o = s;

	for (; *s != '\0'; s++) {
		if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else if (*s == '+')
			*o++ = ' ';
		else
			*o++ = *s;
	}
	*o = '\0';
}

static int
parse(char *line, struct bq *q)
{
	char	*qs, *kv, *v;
	size_t	 g;

	memset(q, 0, sizeof(*q));
	q->text = "";
	if ((qs = strchr(line, '?')) == NULL)
		return (0);
	for (kv = strtok(qs + 1, "&"); kv != NULL; kv = strtok(NULL, "&")) {
		if ((v = strchr(kv, '=')) == NULL)
			continue;
		*v++ = '\0';
		unescape(v);
		if (strcmp(kv, "q") == 0) {
			q->text = v;
			continue;
		}
		if (strcmp(kv, "price_min") == 0 ||
		    strcmp(kv, "price_max") == 0) {
			if (!q->has[G_PRICE]) {
				q->lo[G_PRICE] = -1;
				q->hi[G_PRICE] = 1e300;
			}
			q->has[G_PRICE] = 1;
			if (kv[6] == 'm' && kv[7] == 'i')
				q->lo[G_PRICE] = strtod(v, NULL);
			else
				q->hi[G_PRICE] = strtod(v, NULL);
			continue;
		}
		for (g = 0; g < G__MAX; g++) {
			if (strcmp(kv, gname[g]) != 0)
				continue;
			if (g == G_AVAIL) {
				q->has[g] = 1;
				q->lo[g] = strtod(v, NULL);
				q->hi[g] = 1e300;
			} else if (q->nsel[g] < MAXSEL)
				q->sel[g][q->nsel[g]++] = v;
		}
	}
	return (0);
}

static double
cpu_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (ts.tv_sec * 1e6 + ts.tv_nsec / 1e3);
}

static int
cmp_d(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static int
run_one(struct xs_db *db, const struct bq *b, int mode, unsigned *total)
{
	struct xs_prefix	 prefixes[] = {
		{ "vendor", SEARCH_PREFIX_VENDOR },
		{ "name", SEARCH_PREFIX_NAME },
	};
	struct xs_fgroup	 g[G__MAX];
	struct xs_query		 q;
	struct xs_result	*res;
	char			 err[256];
	size_t			 i;

	memset(g, 0, sizeof(g));
	for (i = 0; i < G__MAX; i++) {
		g[i].slot = gslot[i];
		g[i].prefix = gprefix[i];
		if (gprefix[i] == NULL) {
			g[i].numeric = 1;
			g[i].has_range = b->has[i];
			g[i].lo = b->lo[i];
			g[i].hi = b->hi[i];
			g[i].blo = i == G_AVAIL ? avail_lo : price_lo;
			g[i].bhi = i == G_AVAIL ? avail_hi : price_hi;
			g[i].nbuckets = i == G_AVAIL ? 5 : 4;
		} else {
			g[i].sel = (const char *const *)b->sel[i];
			g[i].nsel = b->nsel[i];
		}
	}
	xs_query_init(&q);
	q.text = b->text;
	q.prefixes = prefixes;
	q.nprefixes = 2;
	q.limit = 20;
	q.tiebreak_slot = SEARCH_SLOT_TIEBREAK;
	q.snippet_slot = SEARCH_SLOT_SNIPPET_KO;
	q.snippet_len = 160;
	q.fgroups = g;
	q.nfgroups = G__MAX;
	q.fcount = mode;
	q.fpack = 1;
	q.fpack_slot = SEARCH_SLOT_FACETS;
	if (xs_search(db, &q, &res, err, sizeof(err)) != XS_OK) {
		fprintf(stderr, "xsbench: %s: %s\n", b->text, err);
		return (-1);
	}
	*total = res->total;
	xs_result_free(res);
	return (0);
}

int
main(int argc, char **argv)
{
	static struct bq	 qs[MAXQ];
	static char		 lines[MAXQ][1024];
	static double		 t[MAXQ];
	static unsigned		 totals[MAXQ];
	static const struct {
		const char	*name;
		int		 mode;
	} modes[] = {
		{ "compact", XS_FCOUNT },
		{ "matcher", XS_FCOUNT_MATCHER },
		{ "spy", XS_FCOUNT_SPY },
	};
	struct xs_db		*db;
	FILE			*f;
	char			 err[256];
	size_t			 n = 0, i, m, r, rounds;
	double			 t0, sum;
	unsigned		 total;

	if (argc < 3) {
		fprintf(stderr, "usage: xsbench INDEX PATHS [rounds]\n");
		return (2);
	}
	rounds = argc > 3 ? (size_t)atoi(argv[3]) : 3;
	if ((db = xs_open(argv[1], err, sizeof(err))) == NULL) {
		fprintf(stderr, "xsbench: %s\n", err);
		return (1);
	}
	if ((f = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return (1);
	}
	while (n < MAXQ && fgets(lines[n], sizeof(lines[n]), f) != NULL) {
		lines[n][strcspn(lines[n], "\n")] = '\0';
		if (lines[n][0] == '\0')
			continue;
		(void)parse(lines[n], &qs[n]);
		n++;
	}
	fclose(f);
	printf("# xsbench %s: %zu searches, %zu rounds, CPU time per search\n",
	    argv[2], n, rounds);
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		/* XSB_MODES=compact,spy: only those. */
		if (getenv("XSB_MODES") != NULL &&
		    strstr(getenv("XSB_MODES"), modes[m].name) == NULL)
			continue;
		/* A first round warms the caches and the page cache. */
		for (i = 0; i < n; i++) {
			if (run_one(db, &qs[i], modes[m].mode, &total) != 0)
				return (1);
			if (m > 0 && getenv("XSB_MODES") == NULL &&
			    total != totals[i]) {
				fprintf(stderr, "xsbench: %s: %s total %u, "
				    "%s %u\n", qs[i].text, modes[0].name,
				    totals[i], modes[m].name, total);
				return (1);
			}
			totals[i] = total;
		}
		for (i = 0; i < n; i++)
			t[i] = 0;
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < n; i++) {
				t0 = cpu_us();
				if (run_one(db, &qs[i], modes[m].mode,
				    &total) != 0)
					return (1);
				t[i] += cpu_us() - t0;
				if (total != totals[i]) {
					fprintf(stderr, "xsbench: %s: total "
					    "%u then %u\n", qs[i].text,
					    totals[i], total);
					return (1);
				}
			}
		}
		sum = 0;
		for (i = 0; i < n; i++) {
			t[i] /= rounds;
			sum += t[i];
		}
		qsort(t, n, sizeof(t[0]), cmp_d);
		printf("%s mean_us=%.0f p50_us=%.0f p90_us=%.0f p99_us=%.0f "
		    "max_us=%.0f\n", modes[m].name, sum / n, t[n / 2],
		    t[n * 9 / 10], t[n * 99 / 100], t[n - 1]);
	}
	xs_close(db);
	return (0);
}
