/*
 * test_xsfacet.c - the compact facet counter of search/xsearch.cc against
 * the straightforward ones.
 *
 * xs_search() counts facet groups (struct xs_fgroup) and facet slots over
 * the text's match set and arrays it decodes once per index revision.
 * These tests build a generated corpus (400 documents: multi-valued term
 * facets with labels, a single-valued one, a numeric one with documents
 * lacking it, a plain facet slot, and a host facet of 100 keys, tallied
 * document by document where the others are counted by intersecting
 * sets) and check, for every combination of query text, selections,
 * ranges and sort orders below, that
 *  - the compact counter (XS_FCOUNT: the text's matches from kept
 *    bitsets), the same counter fed by Xapian's matcher
 *    (XS_FCOUNT_MATCHER) and the match-spy counter (XS_FCOUNT_SPY:
 *    GroupSpy, a second pass, ValueCountMatchSpy) give the same total,
 *    the same hits in the same order and the same counts, for words,
 *    partial words, phrases, OR, NOT, exclusions and Korean n-grams;
 *  - both agree with counts computed here directly from the corpus table
 *    (for the texts whose matches are easy to compute: all, one word);
 *  - after documents are changed and the reader reopens, the counts follow
 *    (the per-revision arrays are rebuilt);
 *  - an index whose ids cannot be docids (term mode) gives the same
 *    answers.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xsearch.h"

#define NDOCS		400
#define ERRLEN		256

#define SLOT_TIE	0
#define SLOT_CAT	10	/* multi-valued, with labels */
#define SLOT_SIZE	11	/* single value or none */
#define SLOT_AVAIL	12	/* numeric or none */
#define SLOT_TYPE	13	/* plain facet slot */
#define SLOT_HOST	14	/* multi-valued, 100 keys (counted one by one) */
#define NHOSTS		100

static const char *words[] = { "alpha", "beta", "gamma", "delta", "omega",
	"클라우드", "서버" };
#define NWORDS	(sizeof(words) / sizeof(words[0]))
static const char *cats[] = { "a", "b", "c", "d", "e" };
static const char *cat_labels[] = { "\tAlpha cat", "\t비 분류", "", "\tD",
	"\t<e>" };
#define NCATS	5
static const char *sizes[] = { "sme", "large" };
static const double avails[] = { 99.0, 99.5, 99.9, 99.95 };
static const char *types[] = { "iaas", "saas", "paas" };

struct gdoc {
	int64_t		id;
	unsigned	wordmask;
	unsigned	catmask;
	int		size;		/* -1: none */
	int		avail;		/* -1: none */
	int		type;
	int		host[2];	/* -1: none */
};

static struct gdoc	docs[NDOCS];
static char		dbdir[64];

static uint64_t	rng = 0x243f6a8885a308d3ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((unsigned)(rng % n));
}

static void
make_corpus(int64_t idbase)
{
	size_t	i;

	for (i = 0; i < NDOCS; i++) {
		docs[i].id = idbase + (int64_t)i * 7 + 3;
		docs[i].wordmask = 0;
		while (docs[i].wordmask == 0)
			docs[i].wordmask = rnd(1u << NWORDS) & rnd(1u << NWORDS);
		docs[i].catmask = rnd(1u << NCATS) & rnd(1u << NCATS);
		docs[i].size = (int)rnd(3) - 1;
		docs[i].avail = (int)rnd(5) - 1;
		docs[i].type = (int)rnd(3);
		docs[i].host[0] = (int)rnd(NHOSTS + 20) - 20;
		docs[i].host[1] = (int)rnd(NHOSTS + 60) - 60;
		if (docs[i].host[1] == docs[i].host[0])
			docs[i].host[1] = -1;
	}
}

static int
put_doc(struct xs_writer *w, const struct gdoc *g)
{
	struct xs_doc	*doc;
	char		 err[ERRLEN], text[256], cat[256], term[64], tie[17];
	size_t		 k;
	int		 rc = -1;

	if ((doc = xs_doc_new(g->id, err, sizeof(err))) == NULL)
		return (-1);
	text[0] = cat[0] = '\0';
	for (k = 0; k < NWORDS; k++)
		if (g->wordmask & (1u << k)) {
			(void)strcat(text, words[k]);
			(void)strcat(text, " ");
		}
	(void)snprintf(tie, sizeof(tie), "%016" PRIx64,
	    (uint64_t)((uint64_t)g->id * UINT64_C(0x9e3779b97f4a7c15)));
	if (xs_doc_text(doc, NULL, text, 1, err, sizeof(err)) != XS_OK ||
	    xs_doc_value(doc, SLOT_TIE, tie, 16, err, sizeof(err)) != XS_OK ||
	    xs_doc_value(doc, SLOT_TYPE, types[g->type],
	    strlen(types[g->type]), err, sizeof(err)) != XS_OK)
		goto out;
	for (k = 0; k < NCATS; k++) {
		if (!(g->catmask & (1u << k)))
			continue;
		if (cat[0] != '\0')
			(void)strncat(cat, "\x1f", 2);
		(void)strcat(cat, cats[k]);
		(void)strcat(cat, cat_labels[k]);
		(void)snprintf(term, sizeof(term), "XC%s", cats[k]);
		if (xs_doc_term(doc, term, err, sizeof(err)) != XS_OK)
			goto out;
	}
	if (cat[0] != '\0' && xs_doc_value(doc, SLOT_CAT, cat, strlen(cat),
	    err, sizeof(err)) != XS_OK)
		goto out;
	if (g->size >= 0) {
		(void)snprintf(term, sizeof(term), "XZ%s", sizes[g->size]);
		if (xs_doc_term(doc, term, err, sizeof(err)) != XS_OK ||
		    xs_doc_value(doc, SLOT_SIZE, sizes[g->size],
		    strlen(sizes[g->size]), err, sizeof(err)) != XS_OK)
			goto out;
	}
	cat[0] = '\0';
	for (k = 0; k < 2; k++) {
		if (g->host[k] < 0)
			continue;
		if (cat[0] != '\0')
			(void)strncat(cat, "\x1f", 2);
		(void)snprintf(term, sizeof(term), "%d\t호스트 %d", g->host[k],
		    g->host[k]);
		(void)strcat(cat, term);
		(void)snprintf(term, sizeof(term), "XO%d", g->host[k]);
		if (xs_doc_term(doc, term, err, sizeof(err)) != XS_OK)
			goto out;
	}
	if (cat[0] != '\0' && xs_doc_value(doc, SLOT_HOST, cat, strlen(cat),
	    err, sizeof(err)) != XS_OK)
		goto out;
	if (g->avail >= 0 && xs_doc_value_num(doc, SLOT_AVAIL,
	    avails[g->avail], err, sizeof(err)) != XS_OK)
		goto out;
	if (xs_writer_put(w, doc, err, sizeof(err)) != XS_OK)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "put_doc %" PRId64 ": %s\n", g->id, err);
	xs_doc_free(doc);
	return (rc);
}

static int
build(const char *path)
{
	struct xs_writer	*w;
	char			 err[ERRLEN];
	size_t			 i;

	if ((w = xs_writer_open(path, 1, err, sizeof(err))) == NULL)
		return (-1);
	for (i = 0; i < NDOCS; i++)
		if (put_doc(w, &docs[i]) != 0) {
			(void)xs_writer_close(w, err, sizeof(err));
			return (-1);
		}
	return (xs_writer_close(w, err, sizeof(err)) == XS_OK ? 0 : -1);
}

/* One search setting: text, selections, a range, the sort. */
struct setting {
	const char	*text;
	int		 word;		/* index in words[] it matches, -1 all,
					   -2 not computed here */
	unsigned	 catsel;	/* bit mask of cats selected */
	int		 sizesel;	/* -1 none, else sizes[] index */
	int		 range;		/* 0 none, 1 [99.5, 99.95], 2 [99.9, 100] */
	int		 sort;		/* 0 relevance, 1 value asc, 2 desc */
	unsigned	 offset;
};

static const double blo[] = { 99.5, 99.9, 0 };
static const double bhi[] = { 100, 100, 99.4 };

static struct xs_result *
run(struct xs_db *db, const struct setting *s, int fcount)
{
	struct xs_fgroup	 g[4];
	struct xs_query		 q;
	struct xs_result	*res = NULL;
	const char		*csel[NCATS], *ssel[1];
	unsigned		 fslots[] = { SLOT_TYPE };
	char			 err[ERRLEN] = "";
	size_t			 n = 0, k;
	int			 rc;

	for (k = 0; k < NCATS; k++)
		if (s->catsel & (1u << k))
			csel[n++] = cats[k];
	memset(g, 0, sizeof(g));
	g[0].slot = SLOT_CAT;
	g[0].prefix = "XC";
	g[0].sel = csel;
	g[0].nsel = n;
	g[1].slot = SLOT_SIZE;
	g[1].prefix = "XZ";
	if (s->sizesel >= 0) {
		ssel[0] = sizes[s->sizesel];
		g[1].sel = ssel;
		g[1].nsel = 1;
	}
	g[2].slot = SLOT_AVAIL;
	g[2].numeric = 1;
	g[2].has_range = s->range != 0;
	g[2].lo = s->range == 1 ? 99.5 : 99.9;
	g[2].hi = s->range == 1 ? 99.95 : 100;
	g[2].blo = blo;
	g[2].bhi = bhi;
	g[2].nbuckets = 3;
	g[3].slot = SLOT_HOST;
	g[3].prefix = "XO";
	if (s->range == 2) {
		static const char *hsel[] = { "7", "42", "99" };

		g[3].sel = hsel;
		g[3].nsel = 3;
	}

	xs_query_init(&q);
	q.text = s->text;
	q.offset = s->offset;
	q.limit = 15;
	q.tiebreak_slot = SLOT_TIE;
	if (s->sort != 0) {
		q.sort = XS_SORT_VALUE;
		q.sort_slot = SLOT_AVAIL;
		q.sort_desc = s->sort == 2;
		/* Half the sorted searches tie on the fair slot. */
		q.value_tiebreak = s->offset == 0;
	}
	q.fgroups = g;
	q.nfgroups = 4;
	q.fcount = fcount;
	q.facet_slots = fslots;
	q.nfacets = 1;
	rc = xs_search(db, &q, &res, err, sizeof(err));
	if (rc != XS_OK)
		fail_msg("xs_search(%s): %d %s", s->text, rc, err);
	assert_non_null(res);
	return (res);
}

static void
same_facets(const struct xs_facet *a, const struct xs_facet *b, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		assert_int_equal(a[i].slot, b[i].slot);
		assert_int_equal(a[i].nvalues, b[i].nvalues);
		for (j = 0; j < a[i].nvalues; j++) {
			assert_int_equal(a[i].values[j].count,
			    b[i].values[j].count);
			assert_int_equal(a[i].values[j].len, b[i].values[j].len);
			assert_memory_equal(a[i].values[j].value,
			    b[i].values[j].value, a[i].values[j].len);
		}
	}
}

/* The compact and the spy counters give the same answer. */
static void
same_answer(const struct xs_result *a, const struct xs_result *b)
{
	size_t	i;

	assert_int_equal(a->total, b->total);
	assert_true(a->exact);
	assert_int_equal(a->nhits, b->nhits);
	for (i = 0; i < a->nhits; i++) {
		assert_int_equal(a->hits[i].id, b->hits[i].id);
		assert_int_equal(a->hits[i].percent, b->hits[i].percent);
	}
	assert_int_equal(a->ngfacets, b->ngfacets);
	assert_int_equal(a->nfacets, b->nfacets);
	same_facets(a->gfacets, b->gfacets, a->ngfacets);
	same_facets(a->facets, b->facets, a->nfacets);
}

static int
text_ok(const struct setting *s, const struct gdoc *d)
{
	return (s->word == -1 || (d->wordmask & (1u << s->word)));
}

static int
cat_ok(const struct setting *s, const struct gdoc *d)
{
	return (s->catsel == 0 || (d->catmask & s->catsel) != 0);
}

static int
size_ok(const struct setting *s, const struct gdoc *d)
{
	return (s->sizesel < 0 || d->size == s->sizesel);
}

static int
avail_ok(const struct setting *s, const struct gdoc *d)
{
	double	v, lo, hi;

	if (s->range == 0)
		return (1);
	if (d->avail < 0)
		return (0);
	v = avails[d->avail];
	lo = s->range == 1 ? 99.5 : 99.9;
	hi = s->range == 1 ? 99.95 : 100;
	return (v >= lo && v <= hi);
}

static int
host_ok(const struct setting *s, const struct gdoc *d)
{
	int	k;

	if (s->range != 2)
		return (1);
	for (k = 0; k < 2; k++)
		if (d->host[k] == 7 || d->host[k] == 42 || d->host[k] == 99)
			return (1);
	return (0);
}

static unsigned
count_value(const struct xs_facet *f, const char *key)
{
	size_t	i, kl = strlen(key);

	for (i = 0; i < f->nvalues; i++)
		if (f->values[i].len >= kl &&
		    memcmp(f->values[i].value, key, kl) == 0 &&
		    (f->values[i].len == kl || f->values[i].value[kl] == '\t'))
			return (f->values[i].count);
	return (0);
}

/* The counts computed from the corpus table, each facet without its own. */
static void
check_direct(const struct setting *s, const struct xs_result *r)
{
	unsigned	total = 0, cat[NCATS] = { 0 }, size[2] = { 0 },
			bucket[3] = { 0 }, type[3] = { 0 }, host[NHOSTS] = { 0 };
	size_t		i, k;
	double		v;
	char		key[16];

	for (i = 0; i < NDOCS; i++) {
		const struct gdoc *d = &docs[i];
		int t = text_ok(s, d), c = cat_ok(s, d), z = size_ok(s, d),
		    a = avail_ok(s, d), h = host_ok(s, d);

		if (!t)
			continue;
		if (c && z && a && h) {
			total++;
			type[d->type]++;
		}
		if (z && a && h)
			for (k = 0; k < NCATS; k++)
				cat[k] += (d->catmask >> k) & 1;
		if (c && a && h && d->size >= 0)
			size[d->size]++;
		if (c && z && h && d->avail >= 0) {
			v = avails[d->avail];
			for (k = 0; k < 3; k++)
				bucket[k] += v >= blo[k] && v <= bhi[k];
		}
		if (c && z && a)
			for (k = 0; k < 2; k++)
				if (d->host[k] >= 0)
					host[d->host[k]]++;
	}
	for (k = 0; k < NHOSTS; k++) {
		(void)snprintf(key, sizeof(key), "%zu", k);
		assert_int_equal(count_value(&r->gfacets[3], key), host[k]);
	}
	assert_int_equal(r->total, total);
	for (k = 0; k < NCATS; k++)
		assert_int_equal(count_value(&r->gfacets[0], cats[k]), cat[k]);
	for (k = 0; k < 2; k++)
		assert_int_equal(count_value(&r->gfacets[1], sizes[k]), size[k]);
	assert_int_equal(r->gfacets[2].nvalues, 3);
	for (k = 0; k < 3; k++)
		assert_int_equal(r->gfacets[2].values[k].count, bucket[k]);
	for (k = 0; k < 3; k++)
		assert_int_equal(count_value(&r->facets[0], types[k]), type[k]);
	/* A label travels with its value. */
	for (i = 0; i < r->gfacets[0].nvalues; i++)
		if (r->gfacets[0].values[i].value[0] == 'b')
			assert_string_equal(r->gfacets[0].values[i].value,
			    "b\t비 분류");
}

static const struct {
	const char	*text;
	int		 word;
} texts[] = {
	{ "", -1 }, { "alpha", 0 }, { "gamma", 2 }, { "클라우드", 5 },
	{ "beta delta", -2 }, { "alpha OR omega", -2 }, { "-beta", -2 },
	{ "\"gamma delta\"", -2 }, { "nothing", -2 }, { "a", -2 },
	{ "gam del", -2 }, { "클라", -2 }, { "alpha -클라우드 NOT beta", -2 },
	{ "(alpha OR beta) gamma", -2 }, { "omega AND", -2 },
};

/* Every combination on db; returns the number of settings checked. */
static unsigned
check_all(struct xs_db *db)
{
	struct setting		 s;
	struct xs_result	*a, *b;
	size_t			 t;
	unsigned		 n = 0;

	for (t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		for (s.catsel = 0; s.catsel < (1u << NCATS); s.catsel += 3) {
			for (s.sizesel = -1; s.sizesel < 2; s.sizesel++) {
				for (s.range = 0; s.range < 3; s.range++) {
					s.text = texts[t].text;
					s.word = texts[t].word;
					s.sort = (int)((n + t) % 3);
					s.offset = (n % 4 == 0) ? 10 : 0;
					a = run(db, &s, XS_FCOUNT);
					b = run(db, &s, XS_FCOUNT_SPY);
					same_answer(a, b);
					xs_result_free(b);
					b = run(db, &s, XS_FCOUNT_MATCHER);
					same_answer(a, b);
					if (s.word != -2)
						check_direct(&s, a);
					xs_result_free(a);
					xs_result_free(b);
					n++;
				}
			}
		}
	}
	return (n);
}

static void
test_compact_equals_spy(void **state)
{
	char		 path[128], err[ERRLEN];
	struct xs_db	*db;

	(void)state;
	make_corpus(0);
	(void)snprintf(path, sizeof(path), "%s/a", dbdir);
	assert_int_equal(build(path), 0);
	assert_non_null(db = xs_open(path, err, sizeof(err)));
	assert_true(check_all(db) > 500);
	xs_close(db);
}

/* Ids that cannot be docids: the index falls back to "Q" terms. */
static void
test_term_mode(void **state)
{
	char		 path[128], err[ERRLEN];
	struct xs_db	*db;
	struct setting	 s = { "", -1, 0, -1, 0, 0, 0 };
	struct xs_result *r;

	(void)state;
	make_corpus(5000000000LL);
	(void)snprintf(path, sizeof(path), "%s/b", dbdir);
	assert_int_equal(build(path), 0);
	assert_non_null(db = xs_open(path, err, sizeof(err)));
	r = run(db, &s, XS_FCOUNT);
	assert_true(r->nhits > 0);
	assert_true(r->hits[0].id > 5000000000LL);
	xs_result_free(r);
	assert_true(check_all(db) > 500);
	xs_close(db);
}

/* Changed documents: the reader's arrays follow the new revision. */
static void
test_revision_change(void **state)
{
	char			 path[128], err[ERRLEN];
	struct xs_db		*db;
	struct xs_writer	*w;
	struct setting		 s = { "", -1, 1, -1, 0, 0, 0 };
	struct xs_result	*r;
	size_t			 i;

	(void)state;
	make_corpus(0);
	(void)snprintf(path, sizeof(path), "%s/c", dbdir);
	assert_int_equal(build(path), 0);
	assert_non_null(db = xs_open(path, err, sizeof(err)));
	r = run(db, &s, XS_FCOUNT);
	check_direct(&s, r);
	xs_result_free(r);

	/* Every document now in category a, some deleted. */
	assert_non_null(w = xs_writer_open(path, 0, err, sizeof(err)));
	for (i = 0; i < NDOCS; i++) {
		docs[i].catmask |= 1;
		assert_int_equal(put_doc(w, &docs[i]), 0);
	}
	assert_int_equal(xs_writer_delete(w, docs[0].id, err, sizeof(err)),
	    XS_OK);
	assert_int_equal(xs_writer_close(w, err, sizeof(err)), XS_OK);
	memmove(&docs[0], &docs[1], sizeof(docs[0]) * (NDOCS - 1));
	docs[NDOCS - 1].wordmask = 0;	/* matches no text below */
	docs[NDOCS - 1].catmask = 0;
	docs[NDOCS - 1].size = docs[NDOCS - 1].avail = -1;
	assert_int_equal(xs_reopen(db, err, sizeof(err)), 1);
	r = run(db, &s, XS_FCOUNT);
	/* The deleted document (now a blank row) must not be counted. */
	assert_int_equal(r->total, NDOCS - 1);
	s.word = 0;
	s.text = "alpha";
	xs_result_free(r);
	r = run(db, &s, XS_FCOUNT);
	check_direct(&s, r);
	xs_result_free(r);
	xs_close(db);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

static int
setup(void **state)
{
	(void)state;
	(void)strcpy(dbdir, "/tmp/test_xsfacet.XXXXXX");
	return (mkdtemp(dbdir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	(void)state;
	return (nftw(dbdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_equals_spy),
		cmocka_unit_test(test_term_mode),
		cmocka_unit_test(test_revision_change),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
