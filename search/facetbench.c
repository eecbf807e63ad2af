/*
 * facetbench.c - times xs_search() on a built index with the search page's
 * twelve facet groups counted from their slots, from the packed value
 * (xs_doc_pack), and the older single ValueCountMatchSpy facet, so that
 * the cost of facet counting is measured as ratios in one run on one
 * machine (docs/benchmarks.md, "Search facets"). Not built by make:
 *
 *	cc -O2 -Isearch -Iapp -o /tmp/facetbench search/facetbench.c \
 *	    build/xsearch.o -lxapian -lstdc++ -lm
 *	/tmp/facetbench "$(readlink -f var/index)" [query text]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search_slots.h"
#include "xsearch.h"

#define RUNS	50

static double
now_ms(void)
{
	struct timespec	t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec * 1e3 + t.tv_nsec / 1e6);
}

int
main(int argc, char **argv)
{
	static const unsigned	 slots[] = { SEARCH_SLOT_TYPE,
	    SEARCH_SLOT_CATEGORY, SEARCH_SLOT_CERT, SEARCH_SLOT_CSAP,
	    SEARCH_SLOT_VALID, SEARCH_SLOT_DOMESTIC, SEARCH_SLOT_SIZE,
	    SEARCH_SLOT_TRIAL, SEARCH_SLOT_AVAIL, SEARCH_SLOT_PRICE,
	    SEARCH_SLOT_RUNS_ON, SEARCH_SLOT_DEPLOY };
	static const char	*prefix[] = { "XT", "XC", "XR", "XG", "XL",
	    "XD", "XZ", "XF", NULL, NULL, "XO", "XM" };
	static const double	 lo[] = { 99, 99.5, 99.9, 99.95, 99.99 };
	static const double	 hi[] = { 1e300, 1e300, 1e300, 1e300, 1e300 };
	static const char	*names[] = { "no facets", "12 groups, slots",
	    "12 groups, packed", "12 groups, packed, type=saas",
	    "1 ValueCountMatchSpy" };
	const char		*saas[] = { "saas" };
	unsigned		 one[] = { SEARCH_SLOT_TYPE };
	struct xs_fgroup	 g[12];
	struct xs_query		 q;
	struct xs_result	*r;
	struct xs_db		*db;
	char			 err[256];
	double			 t0;
	unsigned		 total;
	int			 mode, k;
	size_t			 i;

	if (argc < 2 || (db = xs_open(argv[1], err, sizeof(err))) == NULL) {
		fprintf(stderr, "usage: facetbench index [query]\n");
		return (1);
	}
	memset(g, 0, sizeof(g));
	for (i = 0; i < 12; i++) {
		g[i].slot = slots[i];
		g[i].prefix = prefix[i];
		if (prefix[i] == NULL) {
			g[i].numeric = 1;
			g[i].blo = lo;
			g[i].bhi = hi;
			g[i].nbuckets = 5;
		}
	}
	for (mode = 0; mode < 5; mode++) {
		xs_query_init(&q);
		q.limit = 20;
		q.text = argc > 2 ? argv[2] : "";
		if (mode >= 1 && mode <= 3) {
			q.fgroups = g;
			q.nfgroups = 12;
			q.fcount = 1;
			q.fpack = mode >= 2;
			q.fpack_slot = SEARCH_SLOT_FACETS;
		}
		g[0].sel = saas;
		g[0].nsel = mode == 3 ? 1 : 0;
		if (mode == 4) {
			q.facet_slots = one;
			q.nfacets = 1;
		}
		total = 0;
		t0 = now_ms();
		for (k = 0; k < RUNS; k++) {
			if (xs_search(db, &q, &r, err, sizeof(err)) != XS_OK) {
				fprintf(stderr, "%s\n", err);
				return (1);
			}
			total = r->total;
			xs_result_free(r);
		}
		printf("%-30s %6.2f ms/search (%u matches)\n", names[mode],
		    (now_ms() - t0) / RUNS, total);
	}
	xs_close(db);
	return (0);
}
