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
 * Only the type filter and the facet groups this file knows are read from
 * the paths; other parameters are ignored (the HTTP benchmark covers
 * them).
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

struct bq {
	char		*text;
	char		*types[MAXSEL];
	size_t		 ntypes;
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

	memset(q, 0, sizeof(*q));
	q->text = "";
	if ((qs = strchr(line, '?')) == NULL)
		return (0);
	for (kv = strtok(qs + 1, "&"); kv != NULL; kv = strtok(NULL, "&")) {
		if ((v = strchr(kv, '=')) == NULL)
			continue;
		*v++ = '\0';
		unescape(v);
		if (strcmp(kv, "q") == 0)
			q->text = v;
		else if (strcmp(kv, "type") == 0 && q->ntypes < MAXSEL)
			q->types[q->ntypes++] = v;
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
	struct xs_fgroup	 g[1];
	struct xs_query		 q;
	struct xs_result	*res;
	unsigned		 fslots[] = { SEARCH_SLOT_TYPE };
	char			 err[256];

	xs_query_init(&q);
	q.text = b->text;
	q.prefixes = prefixes;
	q.nprefixes = 2;
	q.limit = 20;
	q.tiebreak_slot = SEARCH_SLOT_TIEBREAK;
	q.snippet_slot = SEARCH_SLOT_SNIPPET_KO;
	q.snippet_len = 160;
	memset(g, 0, sizeof(g));
	g[0].slot = SEARCH_SLOT_TYPE;
	g[0].prefix = SEARCH_PREFIX_TYPE;
	g[0].sel = (const char *const *)b->types;
	g[0].nsel = b->ntypes;
	q.fgroups = g;
	q.nfgroups = 1;
	q.fcount = mode;
	(void)fslots;
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
		/* A first round warms the caches and the page cache. */
		for (i = 0; i < n; i++) {
			if (run_one(db, &qs[i], modes[m].mode, &total) != 0)
				return (1);
			if (m > 0 && total != totals[i]) {
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
