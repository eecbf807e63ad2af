/*
 * test_xsearch_facets.c - unit tests for the facet groups of xsearch.h
 * (struct xs_fgroup): every group counted in one pass with the other
 * groups' selections applied and its own removed.
 *
 * The set-up writes 300 documents whose facet values come from a fixed
 * pseudo-random sequence: a single-valued term group ("colour"), a
 * multi-valued one with TAB labels ("tags"), and a numeric one ("size")
 * some documents lack. Each test compares xs_search() with counts
 * computed here by brute force over the same table, for many selections,
 * so the expected numbers do not come from the code under test.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xsearch.h"

#define NDOCS		300
#define SLOT_COLOUR	10
#define SLOT_TAGS	11
#define SLOT_SIZE	12
#define SLOT_PACK	20
#define SLOT_SAME	21	/* the same number in every document */
#define SLOT_TIE	22	/* a scrambled order: (id * 7919) mod 301 */
#define ERRLEN		256

static const char *colours[] = { "red", "green", "blue", "grey" };
static const char *tags[] = { "a", "b", "c", "d", "e" };
static const double blo[] = { 0, 10, 50, 90 };
static const double bhi[] = { 9.5, 1e300, 1e300, 100 };

struct doc {
	int	 colour;	/* index into colours */
	int	 tags;		/* bit mask over tags */
	int	 has_size;
	double	 size;
	int	 word;		/* has the word "alpha" */
};

static struct doc	 docs[NDOCS];
static char		 dir[] = "/tmp/test_xsfacets.XXXXXX";
static struct xs_db	*db;

static unsigned
rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return ((*s >> 16) & 0x7fff);
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return (remove(p));
}

static int
setup(void **state)
{
	struct xs_writer	*w;
	struct xs_doc		*d;
	char			 err[ERRLEN], buf[256], term[32];
	unsigned		 s = 7;
	size_t			 len;
	int			 i, t;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return (-1);
	if ((w = xs_writer_open(dir, 1, err, sizeof(err))) == NULL)
		return (-1);
	for (i = 0; i < NDOCS; i++) {
		docs[i].colour = rnd(&s) % 4;
		docs[i].tags = rnd(&s) % 32;
		docs[i].has_size = rnd(&s) % 5 != 0;
		docs[i].size = (double)(rnd(&s) % 1000) / 10;
		docs[i].word = rnd(&s) % 3 == 0;
		if ((d = xs_doc_new(i + 1, err, sizeof(err))) == NULL)
			return (-1);
		assert_int_equal(xs_doc_text(d, NULL, docs[i].word ?
		    "alpha words" : "other words", 1, err, sizeof(err)), XS_OK);
		assert_int_equal(xs_doc_value(d, SLOT_COLOUR,
		    colours[docs[i].colour], strlen(colours[docs[i].colour]),
		    err, sizeof(err)), XS_OK);
		(void)snprintf(term, sizeof(term), "XC%s",
		    colours[docs[i].colour]);
		assert_int_equal(xs_doc_term(d, term, err, sizeof(err)), XS_OK);
		len = 0;
		buf[0] = '\0';
		for (t = 0; t < 5; t++) {
			if (!(docs[i].tags & (1 << t)))
				continue;
			len += snprintf(buf + len, sizeof(buf) - len,
			    "%s%s\tTag %s\tLabel %s", len ? "\x1f" : "",
			    tags[t], tags[t], tags[t]);
			(void)snprintf(term, sizeof(term), "XG%s", tags[t]);
			assert_int_equal(xs_doc_term(d, term, err, sizeof(err)),
			    XS_OK);
		}
		if (len > 0)
			assert_int_equal(xs_doc_value(d, SLOT_TAGS, buf, len,
			    err, sizeof(err)), XS_OK);
		if (docs[i].has_size)
			assert_int_equal(xs_doc_value_num(d, SLOT_SIZE,
			    docs[i].size, err, sizeof(err)), XS_OK);
		assert_int_equal(xs_doc_value_num(d, SLOT_SAME, 5, err,
		    sizeof(err)), XS_OK);
		assert_int_equal(xs_doc_value_num(d, SLOT_TIE,
		    (double)(((i + 1) * 7919) % 301), err, sizeof(err)), XS_OK);
		{
			const unsigned	slots[] = { SLOT_COLOUR, SLOT_TAGS,
			    SLOT_SIZE };

			assert_int_equal(xs_doc_pack(d, SLOT_PACK, slots, 3, err,
			    sizeof(err)), XS_OK);
		}
		assert_int_equal(xs_writer_put(w, d, err, sizeof(err)), XS_OK);
		xs_doc_free(d);
	}
	if (xs_writer_close(w, err, sizeof(err)) != XS_OK)
		return (-1);
	return ((db = xs_open(dir, err, sizeof(err))) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	(void)state;
	xs_close(db);
	return (nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS));
}

/* A selection: colour mask, tag mask (any of), size range or none. */
struct sel {
	int	 colours;
	int	 tags;
	int	 ranged;
	double	 lo, hi;
	int	 word;
};

static int
pass(const struct doc *d, const struct sel *s, int group)
{
	if (s->word && !d->word)
		return (0);
	if (group != 0 && s->colours && !(s->colours & (1 << d->colour)))
		return (0);
	if (group != 1 && s->tags && !(s->tags & d->tags))
		return (0);
	if (group != 2 && s->ranged && (!d->has_size || d->size < s->lo ||
	    d->size > s->hi))
		return (0);
	return (1);
}

static void
check_one(const struct sel *s, int pack)
{
	struct xs_query		 q;
	struct xs_fgroup	 g[3];
	struct xs_result	*r;
	const char		*csel[4], *tsel[5];
	char			 err[ERRLEN], key[8];
	unsigned		 want[5], total;
	size_t			 nc = 0, nt = 0, i, j;
	int			 k;

	for (k = 0; k < 4; k++)
		if (s->colours & (1 << k))
			csel[nc++] = colours[k];
	for (k = 0; k < 5; k++)
		if (s->tags & (1 << k))
			tsel[nt++] = tags[k];
	memset(g, 0, sizeof(g));
	g[0].slot = SLOT_COLOUR;
	g[0].prefix = "XC";
	g[0].sel = csel;
	g[0].nsel = nc;
	g[1].slot = SLOT_TAGS;
	g[1].prefix = "XG";
	g[1].sel = tsel;
	g[1].nsel = nt;
	g[2].slot = SLOT_SIZE;
	g[2].numeric = 1;
	g[2].has_range = s->ranged;
	g[2].lo = s->lo;
	g[2].hi = s->hi;
	g[2].blo = blo;
	g[2].bhi = bhi;
	g[2].nbuckets = 4;
	xs_query_init(&q);
	q.text = s->word ? "alpha" : "";
	q.fgroups = g;
	q.nfgroups = 3;
	q.fcount = 1;
	q.fpack = pack;
	q.fpack_slot = SLOT_PACK;
	q.limit = 1000;
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_OK);

	total = 0;
	for (i = 0; i < NDOCS; i++)
		total += pass(&docs[i], s, -1);
	assert_int_equal(r->total, total);
	assert_int_equal(r->nhits, total);
	for (i = 0; i < r->nhits; i++)
		assert_true(pass(&docs[r->hits[i].id - 1], s, -1));
	assert_int_equal(r->ngfacets, 3);

	/* colour: each value's count, the colour selection removed */
	for (k = 0; k < 4; k++) {
		want[k] = 0;
		for (i = 0; i < NDOCS; i++)
			want[k] += pass(&docs[i], s, 0) && docs[i].colour == k;
		for (j = 0; j < r->gfacets[0].nvalues; j++)
			if (strcmp(r->gfacets[0].values[j].value,
			    colours[k]) == 0)
				break;
		if (want[k] == 0)
			assert_int_equal(j, r->gfacets[0].nvalues);
		else
			assert_int_equal(r->gfacets[0].values[j].count, want[k]);
	}
	/* tags: multi-valued, the stored value keeps its labels */
	for (k = 0; k < 5; k++) {
		want[k] = 0;
		for (i = 0; i < NDOCS; i++)
			want[k] += pass(&docs[i], s, 1) &&
			    (docs[i].tags & (1 << k));
		(void)snprintf(key, sizeof(key), "%s\t", tags[k]);
		for (j = 0; j < r->gfacets[1].nvalues; j++)
			if (strncmp(r->gfacets[1].values[j].value, key, 2) == 0)
				break;
		if (want[k] == 0) {
			assert_int_equal(j, r->gfacets[1].nvalues);
			continue;
		}
		assert_int_equal(r->gfacets[1].values[j].count, want[k]);
		assert_true(strstr(r->gfacets[1].values[j].value, "\tLabel ")
		    != NULL);
	}
	/* size: overlapping buckets in order, documents without a size none */
	assert_int_equal(r->gfacets[2].nvalues, 4);
	for (k = 0; k < 4; k++) {
		want[k] = 0;
		for (i = 0; i < NDOCS; i++)
			want[k] += pass(&docs[i], s, 2) && docs[i].has_size &&
			    docs[i].size >= blo[k] && docs[i].size <= bhi[k];
		assert_int_equal(r->gfacets[2].values[k].count, want[k]);
	}
	/* by count descending, then value */
	for (j = 1; j < r->gfacets[1].nvalues; j++)
		assert_true(r->gfacets[1].values[j - 1].count >=
		    r->gfacets[1].values[j].count);
	xs_result_free(r);
}

/* Counting from the slots and from the packed value agree with the table. */
static void
check(const struct sel *s)
{
	check_one(s, 0);
	check_one(s, 1);
}

static void
test_no_selection(void **state)
{
	struct sel	s = { 0, 0, 0, 0, 0, 0 };

	(void)state;
	check(&s);
	s.word = 1;
	check(&s);
}

static void
test_many_selections(void **state)
{
	struct sel	s;
	unsigned	seed = 99;
	int		i;

	(void)state;
	for (i = 0; i < 200; i++) {
		s.colours = rnd(&seed) % 16;
		s.tags = rnd(&seed) % 32;
		s.ranged = rnd(&seed) % 2;
		s.lo = (double)(rnd(&seed) % 60);
		s.hi = s.lo + (double)(rnd(&seed) % 60);
		s.word = rnd(&seed) % 4 == 0;
		check(&s);
	}
}

static void
test_bad_groups(void **state)
{
	struct xs_query		 q;
	struct xs_fgroup	 g;
	struct xs_result	*r;
	const char		*sel[] = { "red" };
	char			 err[ERRLEN];

	(void)state;
	xs_query_init(&q);
	memset(&g, 0, sizeof(g));
	g.slot = SLOT_COLOUR;
	g.sel = sel;
	g.nsel = 1;
	q.fgroups = &g;
	q.nfgroups = 1;
	/* no prefix for a selection */
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_EINVAL);
	assert_null(r);
	g.prefix = "Qx";
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_EINVAL);
	g.prefix = "XC";
	g.slot = XS_NOSLOT;
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_EINVAL);
	g.slot = SLOT_COLOUR;
	q.fgroups = NULL;
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_EINVAL);
	q.fgroups = &g;
	g.numeric = 1;
	g.nbuckets = 2;
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_EINVAL);
	/* packed counting needs a pack slot and slots below 256 */
	q.fpack = 1;
	q.fpack_slot = XS_NOSLOT;
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_EINVAL);
	q.fpack = 0;
	/* well-formed: counts off gives no gfacets */
	g.numeric = 0;
	g.nbuckets = 0;
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_OK);
	assert_int_equal(r->ngfacets, 0);
	assert_true(r->total > 0);
	xs_result_free(r);
}

/*
 * A value order with no query text breaks ties by the tie-break slot when
 * asked (value_tiebreak), by document id otherwise.
 */
static void
test_value_tiebreak(void **state)
{
	struct xs_query		 q;
	struct xs_result	*r;
	char			 err[ERRLEN];
	size_t			 i;
	double			 prev, t;

	(void)state;
	xs_query_init(&q);
	q.limit = 100;
	q.sort = XS_SORT_VALUE;
	q.sort_slot = SLOT_SAME;
	q.sort_desc = 1;
	q.tiebreak_slot = SLOT_TIE;
	q.value_tiebreak = 1;
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_OK);
	assert_int_equal(r->nhits, 100);
	prev = -1;
	for (i = 0; i < r->nhits; i++) {
		t = (double)((r->hits[i].id * 7919) % 301);
		assert_true(t > prev);
		prev = t;
	}
	xs_result_free(r);
	/* Without it: document order. */
	q.value_tiebreak = 0;
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_OK);
	for (i = 0; i < r->nhits; i++)
		assert_int_equal(r->hits[i].id, (int64_t)i + 1);
	xs_result_free(r);
	/* With text, the value then relevance order stays. */
	q.value_tiebreak = 1;
	q.text = "alpha";
	assert_int_equal(xs_search(db, &q, &r, err, sizeof(err)), XS_OK);
	for (i = 0; i < r->nhits; i++)
		assert_true(docs[r->hits[i].id - 1].word);
	xs_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_selection),
		cmocka_unit_test(test_many_selections),
		cmocka_unit_test(test_bad_groups),
		cmocka_unit_test(test_value_tiebreak),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
