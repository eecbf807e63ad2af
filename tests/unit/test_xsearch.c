/*
 * test_xsearch.c - unit tests for search/xsearch.h, the C API over Xapian.
 *
 * The group setup builds a real Xapian database under a mkdtemp directory
 * from the 20 listings in the corpus table (Korean, English and mixed),
 * the way the indexer does: name, vendor and description as weighted
 * text fields with prefixes, type and CSAP as boolean filter terms, a hash
 * of the id as the tie-break slot, price, type and vendor as value slots,
 * the description again in a value slot for snippets.  Each test then asks
 * one question of it.  Expected ids are written out by hand from the table
 * where a reader can check them, and computed from the table where they
 * are counts (filters, facets).  Tests that change the index (reopen,
 * delete) use their own database so the order of tests does not matter.
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

#define SLOT_TIE	0
#define SLOT_PRICE	1
#define SLOT_TYPE	2
#define SLOT_VENDOR	3
#define SLOT_DESC	4

#define NDOCS		20
#define ERRLEN		256

struct listing {
	int64_t		 id;
	const char	*name;
	const char	*vendor;
	const char	*desc;
	const char	*type;		/* SAAS, PAAS, IAAS */
	int		 csap;
	double		 price;
};

static const struct listing corpus[NDOCS] = {
	{ 1, "클라우드 서버 호스팅", "가비아",
	    "고성능 가상 서버를 시간 단위로 빌려 쓰는 호스팅 상품", "IAAS", 1, 50000 },
	{ 2, "Microsoft Office 365", "Microsoft",
	    "Word, Excel, PowerPoint를 포함한 오피스 제품군", "SAAS", 0, 12000 },
	{ 3, "NHN 클라우드 오브젝트 스토리지", "NHN",
	    "대용량 파일을 저장하는 오브젝트 스토리지", "IAAS", 1, 30000 },
	{ 4, "네이버 웍스 협업 도구", "네이버",
	    "메일, 메신저, 캘린더를 하나로 묶은 협업 도구", "SAAS", 1, 8000 },
	{ 5, "Web servers hosting", "Acme",
	    "<script>alert(1)</script> fast web servers & \"quoted\" hosting",
	    "IAAS", 0, 20000 },
	{ 6, "한컴오피스 웹", "한글과컴퓨터",
	    "한글 문서를 웹 브라우저에서 편집", "SAAS", 1, 9000 },
	{ 7, "Kubernetes 컨테이너 플랫폼", "NHN",
	    "컨테이너 오케스트레이션 관리형 서비스", "PAAS", 1, 70000 },
	{ 8, "PostgreSQL 데이터베이스", "KT",
	    "관리형 데이터베이스 서비스 with automatic backups", "PAAS", 1, 60000 },
	{ 9, "보안 관제 서비스", "SK쉴더스",
	    "24시간 보안 관제와 침해 대응", "SAAS", 0, 40000 },
	{ 10, "전자결재 그룹웨어", "다우기술",
	    "전자결재와 게시판을 제공하는 그룹웨어", "SAAS", 1, 7000 },
	{ 11, "Backup storage", "Acme",
	    "Encrypted backup storage for virtual machines", "IAAS", 0, 15000 },
	{ 12, "가상 데스크톱 VDI", "KT",
	    "어디서나 접속하는 가상 데스크톱", "IAAS", 1, 45000 },
	{ 13, "AI 챗봇 빌더", "네이버",
	    "대화형 챗봇을 만드는 도구", "PAAS", 0, 35000 },
	{ 14, "Email marketing platform", "Stibee",
	    "Newsletters and email campaigns", "SAAS", 0, 5000 },
	{ 15, "CDN 콘텐츠 전송", "가비아",
	    "이미지와 동영상을 빠르게 전송", "IAAS", 0, 25000 },
	{ 16, "모니터링 대시보드", "와탭",
	    "서버와 애플리케이션 성능 모니터링", "SAAS", 1, 11000 },
	{ 17, "Identity access management", "Okta",
	    "Single sign-on for government agencies", "SAAS", 0, 13000 },
	{ 18, "학습관리시스템 LMS", "NHN",
	    "온라인 강의와 학습 관리", "SAAS", 1, 10000 },
	{ 19, "Microscope imaging analytics", "BioLab",
	    "Image analysis for research labs", "SAAS", 0, 22000 },
	{ 20, "Mail server", "Acme",
	    "A managed mail server for small agencies", "IAAS", 0, 6000 },
};

static const struct xs_prefix prefixes[] = {
	{ "name", "XN" },
	{ "vendor", "XV" },
};

static char		 dbdir[64];
static char		 dbpath[96];
static struct xs_db	*rdb;

/* The tie-break value: a hash of the id, so equal scores get a fair order. */
static void
tie_value(int64_t id, char buf[17])
{
	uint64_t	z = (uint64_t)id + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	(void)snprintf(buf, 17, "%016" PRIx64, z);
}

static const struct listing *
listing_get(int64_t id)
{
	size_t	i;

	for (i = 0; i < NDOCS; i++)
		if (corpus[i].id == id)
			return (&corpus[i]);
	return (NULL);
}

static int
put_listing(struct xs_writer *w, const struct listing *l)
{
	struct xs_doc	*doc;
	char		 err[ERRLEN], tie[17], term[32], data[256];
	int		 rc = -1;

	if ((doc = xs_doc_new(l->id, err, sizeof(err))) == NULL)
		return (-1);
	tie_value(l->id, tie);
	(void)snprintf(term, sizeof(term), "XT%s", l->type);
	(void)snprintf(data, sizeof(data), "{\"id\":%" PRId64 "}", l->id);
	if (xs_doc_text(doc, "XN", l->name, 3, err, sizeof(err)) != XS_OK ||
	    xs_doc_text(doc, "XV", l->vendor, 2, err, sizeof(err)) != XS_OK ||
	    xs_doc_text(doc, NULL, l->desc, 1, err, sizeof(err)) != XS_OK ||
	    xs_doc_term(doc, term, err, sizeof(err)) != XS_OK ||
	    (l->csap && xs_doc_term(doc, "XCSAP", err, sizeof(err)) != XS_OK) ||
	    xs_doc_value(doc, SLOT_TIE, tie, 16, err, sizeof(err)) != XS_OK ||
	    xs_doc_value_num(doc, SLOT_PRICE, l->price, err,
	    sizeof(err)) != XS_OK ||
	    xs_doc_value(doc, SLOT_TYPE, l->type, strlen(l->type), err,
	    sizeof(err)) != XS_OK ||
	    xs_doc_value(doc, SLOT_VENDOR, l->vendor, strlen(l->vendor), err,
	    sizeof(err)) != XS_OK ||
	    xs_doc_value(doc, SLOT_DESC, l->desc, strlen(l->desc), err,
	    sizeof(err)) != XS_OK ||
	    xs_doc_data(doc, data, strlen(data), err, sizeof(err)) != XS_OK)
		goto out;
	if (xs_writer_put(w, doc, err, sizeof(err)) != XS_OK)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "put_listing %" PRId64 ": %s\n", l->id, err);
	xs_doc_free(doc);
	return (rc);
}

/* Builds the corpus at path.  Returns 0 or -1. */
static int
build_index(const char *path)
{
	struct xs_writer	*w;
	char			 err[ERRLEN];
	size_t			 i;

	if ((w = xs_writer_open(path, 1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xs_writer_open: %s\n", err);
		return (-1);
	}
	for (i = 0; i < NDOCS; i++) {
		if (put_listing(w, &corpus[i]) != 0) {
			(void)xs_writer_close(w, err, sizeof(err));
			return (-1);
		}
	}
	if (xs_writer_commit(w, err, sizeof(err)) != XS_OK ||
	    xs_writer_close(w, err, sizeof(err)) != XS_OK) {
		fprintf(stderr, "commit: %s\n", err);
		return (-1);
	}
	return (0);
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
group_setup(void **state)
{
	char	err[ERRLEN];

	(void)state;
	(void)strcpy(dbdir, "/tmp/test_xsearch.XXXXXX");
	if (mkdtemp(dbdir) == NULL)
		return (-1);
	(void)snprintf(dbpath, sizeof(dbpath), "%s/main", dbdir);
	if (build_index(dbpath) != 0)
		return (-1);
	if ((rdb = xs_open(dbpath, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xs_open: %s\n", err);
		return (-1);
	}
	return (0);
}

static int
group_teardown(void **state)
{
	(void)state;
	xs_close(rdb);
	return (nftw(dbdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS));
}

/* Runs q on db and returns the result; fails the test on error. */
static struct xs_result *
search_q(struct xs_db *db, const struct xs_query *q)
{
	struct xs_result	*res = NULL;
	char			 err[ERRLEN] = "";
	int			 rc;

	rc = xs_search(db, q, &res, err, sizeof(err));
	if (rc != XS_OK)
		fail_msg("xs_search(%s): %d %s", q->text ? q->text : "(null)",
		    rc, err);
	assert_non_null(res);
	assert_true(res->exact);
	return (res);
}

static struct xs_result *
search_text(const char *text)
{
	struct xs_query	q;

	xs_query_init(&q);
	q.text = text;
	q.prefixes = prefixes;
	q.nprefixes = 2;
	q.limit = NDOCS + 5;
	q.tiebreak_slot = SLOT_TIE;
	return (search_q(rdb, &q));
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * Asserts that text finds exactly the ids in want (any order), and that
 * the total agrees with the hits.
 */
static void
expect_ids(const char *text, const int64_t *want, size_t nwant)
{
	struct xs_result	*res;
	int64_t			 got[NDOCS + 5], w[NDOCS + 5];
	size_t			 i;

	res = search_text(text);
	assert_int_equal(res->total, res->nhits);
	if (res->nhits != nwant) {
		for (i = 0; i < res->nhits; i++)
			fprintf(stderr, "  %s: got %" PRId64 "\n", text,
			    res->hits[i].id);
		fail_msg("%s: %zu hits, want %zu", text, res->nhits, nwant);
	}
	for (i = 0; i < nwant; i++) {
		got[i] = res->hits[i].id;
		w[i] = want[i];
	}
	qsort(got, nwant, sizeof(got[0]), cmp_id);
	qsort(w, nwant, sizeof(w[0]), cmp_id);
	for (i = 0; i < nwant; i++)
		assert_int_equal(got[i], w[i]);
	xs_result_free(res);
}

#define EXPECT(text, ...) do {						\
	static const int64_t want_[] = { __VA_ARGS__ };			\
	expect_ids((text), want_, sizeof(want_) / sizeof(want_[0]));	\
} while (0)
#define EXPECT_NONE(text)	expect_ids((text), NULL, 0)

static void
test_korean_full_word(void **state)
{
	(void)state;
	EXPECT("클라우드", 1, 3);
	EXPECT("그룹웨어", 10);
	EXPECT("스토리지", 3);
}

static void
test_korean_partial_word(void **state)
{
	(void)state;
	EXPECT("클라우", 1, 3);
	EXPECT("데이터베", 8);
	EXPECT("오브젝", 3);
}

static void
test_korean_short(void **state)
{
	(void)state;
	EXPECT("서버", 1, 16);		/* two syllables */
	EXPECT("관", 7, 8, 9, 18);	/* one syllable */
}

static void
test_english_stemming(void **state)
{
	(void)state;
	EXPECT("servers", 5, 20);
	EXPECT("server", 5, 20);
	EXPECT("backups", 8, 11);
	EXPECT("agency", 17, 20);
}

static void
test_english_partial(void **state)
{
	(void)state;
	EXPECT("micro", 2, 19);
	EXPECT("Micro", 2, 19);
	EXPECT("kube", 7);
	/* Only the last word is a prefix. */
	EXPECT_NONE("micro office");
	EXPECT("microsoft off", 2);
}

static void
test_mixed(void **state)
{
	(void)state;
	EXPECT("오피스 365", 2);
	EXPECT("NHN 클라우드", 3);
	EXPECT("nhn", 3, 7, 18);
	EXPECT("PostgreSQL 데이터베이스", 8);
}

static void
test_phrase(void **state)
{
	(void)state;
	EXPECT("\"backup storage\"", 11);
	EXPECT_NONE("\"storage backup\"");
	EXPECT("\"협업 도구\"", 4);
	EXPECT("\"web servers\"", 5);
}

static void
test_exclude(void **state)
{
	(void)state;
	EXPECT("nhn -컨테이너", 3, 18);
	EXPECT("nhn -kubernetes -lms", 3);
	/* Only exclusions: everything but them (Xapian alone would invert). */
	EXPECT("-acme", 1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17,
	    18, 19);
	EXPECT("-acme -nhn", 1, 2, 4, 6, 8, 9, 10, 12, 13, 14, 15, 16, 17, 19);
	EXPECT("NOT acme", 1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17,
	    18, 19);
}

static void
test_boolean(void **state)
{
	(void)state;
	EXPECT("kubernetes OR microscope", 7, 19);
	EXPECT("kubernetes or microscope", 7, 19);
	EXPECT("클라우드 OR 챗봇", 1, 3, 13);
	EXPECT("nhn AND 학습", 18);
	EXPECT("nhn NOT 클라우드", 7, 18);
	EXPECT("(kubernetes OR microscope) AND imaging", 19);
}

static void
test_prefix(void **state)
{
	(void)state;
	EXPECT("vendor:acme", 5, 11, 20);
	EXPECT("acme", 5, 11, 20);
	EXPECT_NONE("name:acme");
	EXPECT("name:mail", 20);
	EXPECT("name:servers", 5, 20);		/* stemmed with the prefix */
	EXPECT("name:클라우", 1, 3);
	EXPECT("vendor:네이버", 4, 13);
	EXPECT("vendor:nhn 클라우드", 3);
	/* An unknown field is just words. */
	EXPECT_NONE("price:cheap");
}

/* Returns the number of corpus entries matching types (OR) and csap. */
static size_t
count_filter(const char *const *types, size_t ntypes, int csap_only)
{
	size_t	i, j, n = 0;

	for (i = 0; i < NDOCS; i++) {
		int tok = ntypes == 0;
		for (j = 0; j < ntypes; j++)
			if (strcmp(corpus[i].type, types[j] + 2) == 0)
				tok = 1;
		if (tok && (!csap_only || corpus[i].csap))
			n++;
	}
	return (n);
}

static void
test_filters(void **state)
{
	static const char *const	 types[] = { "XTSAAS", "XTPAAS" };
	static const char *const	 csap[] = { "XCSAP" };
	struct xs_filter		 groups[2];
	struct xs_query			 q;
	struct xs_result		*res;
	const struct listing		*l;
	size_t				 i;

	(void)state;
	groups[0].terms = types;
	groups[0].nterms = 2;
	groups[1].terms = csap;
	groups[1].nterms = 1;
	xs_query_init(&q);
	q.limit = NDOCS;
	q.groups = groups;

	/* OR inside a group. */
	q.ngroups = 1;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, count_filter(types, 2, 0));
	xs_result_free(res);

	/* AND across groups. */
	q.ngroups = 2;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, count_filter(types, 2, 1));
	assert_int_equal(res->total, 7);	/* 4 6 10 16 18, 7 8 */
	for (i = 0; i < res->nhits; i++) {
		assert_non_null(l = listing_get(res->hits[i].id));
		assert_true(l->csap);
		assert_true(strcmp(l->type, "IAAS") != 0);
	}
	xs_result_free(res);

	/* The second group alone (a facet's own selection left out). */
	q.groups = &groups[1];
	q.ngroups = 1;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, count_filter(NULL, 0, 1));
	xs_result_free(res);

	/* With text. */
	q.groups = groups;
	q.ngroups = 2;
	q.text = "nhn";
	res = search_q(rdb, &q);
	assert_int_equal(res->total, 2);	/* 7 PAAS, 18 SAAS */
	xs_result_free(res);

	/* An empty group constrains nothing; an unknown term matches nothing. */
	groups[1].nterms = 0;
	q.text = NULL;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, count_filter(types, 2, 0));
	xs_result_free(res);
	groups[1].terms = (const char *const[]){ "XNOPE" };
	groups[1].nterms = 1;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, 0);
	assert_int_equal(res->nhits, 0);
	xs_result_free(res);
}

static void
test_empty_query_all(void **state)
{
	struct xs_query		 q;
	struct xs_result	*res;
	size_t			 i;

	(void)state;
	assert_int_equal(xs_doccount(rdb), NDOCS);
	res = search_text("");
	assert_int_equal(res->total, NDOCS);
	assert_int_equal(res->nhits, NDOCS);
	for (i = 0; i < res->nhits; i++) {
		assert_non_null(listing_get(res->hits[i].id));
		assert_true(strncmp(res->hits[i].data, "{\"id\":", 6) == 0);
	}
	xs_result_free(res);
	res = search_text("   \t ");
	assert_int_equal(res->total, NDOCS);
	xs_result_free(res);

	xs_query_init(&q);		/* text NULL, limit 10 */
	res = search_q(rdb, &q);
	assert_int_equal(res->total, NDOCS);
	assert_int_equal(res->nhits, 10);
	xs_result_free(res);
}

static void
test_hit_fields(void **state)
{
	struct xs_result	*res;
	char			 want[64];

	(void)state;
	res = search_text("kubernetes");
	assert_int_equal(res->nhits, 1);
	assert_int_equal(res->hits[0].id, 7);
	(void)snprintf(want, sizeof(want), "{\"id\":7}");
	assert_int_equal(res->hits[0].datalen, strlen(want));
	assert_memory_equal(res->hits[0].data, want, strlen(want) + 1);
	assert_true(res->hits[0].weight > 0);
	assert_int_equal(res->hits[0].percent, 100);
	assert_null(res->hits[0].snippet);	/* not asked for */
	xs_result_free(res);
}

static void
test_exact_totals(void **state)
{
	struct xs_query		 q;
	struct xs_result	*res;

	(void)state;
	xs_query_init(&q);
	q.text = "nhn";
	q.limit = 1;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, 3);
	assert_int_equal(res->nhits, 1);
	xs_result_free(res);

	q.limit = 0;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, 3);
	assert_int_equal(res->nhits, 0);
	xs_result_free(res);

	q.text = NULL;
	q.offset = 100;
	q.limit = 10;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, NDOCS);
	assert_int_equal(res->nhits, 0);
	xs_result_free(res);
}

/* Pages of 3 put together equal one page of everything, for q. */
static void
check_paging(struct xs_query *q)
{
	struct xs_result	*all, *page;
	unsigned		 off;
	size_t			 i, n = 0;

	q->offset = 0;
	q->limit = NDOCS;
	all = search_q(rdb, q);
	for (off = 0; off < all->total; off += 3) {
		q->offset = off;
		q->limit = 3;
		page = search_q(rdb, q);
		assert_int_equal(page->total, all->total);
		for (i = 0; i < page->nhits; i++, n++)
			assert_int_equal(page->hits[i].id, all->hits[n].id);
		xs_result_free(page);
	}
	assert_int_equal(n, all->nhits);
	xs_result_free(all);
}

static void
test_paging_stable(void **state)
{
	struct xs_query		 q;
	struct xs_result	*res;
	char			 prev[17], cur[17];
	size_t			 i;

	(void)state;
	xs_query_init(&q);
	q.tiebreak_slot = SLOT_TIE;
	check_paging(&q);
	q.text = "acme";
	check_paging(&q);
	q.text = "관";
	check_paging(&q);

	/* All scores tie on an empty query: the hash slot gives the order. */
	q.text = NULL;
	q.offset = 0;
	q.limit = NDOCS;
	res = search_q(rdb, &q);
	assert_int_equal(res->nhits, NDOCS);
	tie_value(res->hits[0].id, prev);
	for (i = 1; i < res->nhits; i++) {
		tie_value(res->hits[i].id, cur);
		assert_true(strcmp(prev, cur) < 0);
		memcpy(prev, cur, sizeof(prev));
	}
	xs_result_free(res);

	q.sort = XS_SORT_VALUE;
	q.sort_slot = SLOT_TYPE;
	check_paging(&q);
}

static void
test_sort_value(void **state)
{
	struct xs_query		 q;
	struct xs_result	*res;
	size_t			 i;

	(void)state;
	xs_query_init(&q);
	q.limit = NDOCS;
	q.sort = XS_SORT_VALUE;
	q.sort_slot = SLOT_PRICE;
	res = search_q(rdb, &q);
	assert_int_equal(res->nhits, NDOCS);
	assert_int_equal(res->hits[0].id, 14);	/* 5,000 */
	assert_int_equal(res->hits[NDOCS - 1].id, 7);	/* 70,000 */
	for (i = 1; i < res->nhits; i++)
		assert_true(listing_get(res->hits[i - 1].id)->price <=
		    listing_get(res->hits[i].id)->price);
	xs_result_free(res);

	q.sort_desc = 1;
	res = search_q(rdb, &q);
	assert_int_equal(res->hits[0].id, 7);
	for (i = 1; i < res->nhits; i++)
		assert_true(listing_get(res->hits[i - 1].id)->price >=
		    listing_get(res->hits[i].id)->price);
	xs_result_free(res);

	/* With text: only matches, still by price. */
	q.text = "acme";
	q.sort_desc = 0;
	res = search_q(rdb, &q);
	assert_int_equal(res->nhits, 3);
	assert_int_equal(res->hits[0].id, 20);
	assert_int_equal(res->hits[1].id, 11);
	assert_int_equal(res->hits[2].id, 5);
	xs_result_free(res);
}

static unsigned
facet_count(const struct xs_facet *f, const char *value)
{
	size_t	i;

	for (i = 0; i < f->nvalues; i++)
		if (f->values[i].len == strlen(value) &&
		    memcmp(f->values[i].value, value, f->values[i].len) == 0)
			return (f->values[i].count);
	return (0);
}

static void
test_facets(void **state)
{
	static const unsigned	 slots[] = { SLOT_TYPE, SLOT_VENDOR };
	static const char *const types[] = { "SAAS", "PAAS", "IAAS" };
	struct xs_query		 q;
	struct xs_result	*res;
	unsigned		 want;
	size_t			 i, j;

	(void)state;
	xs_query_init(&q);
	q.limit = 0;		/* counts only */
	q.facet_slots = slots;
	q.nfacets = 2;
	res = search_q(rdb, &q);
	assert_int_equal(res->nfacets, 2);
	assert_int_equal(res->facets[0].slot, SLOT_TYPE);
	assert_int_equal(res->facets[0].nvalues, 3);
	for (i = 0; i < 3; i++) {
		want = 0;
		for (j = 0; j < NDOCS; j++)
			want += strcmp(corpus[j].type, types[i]) == 0;
		assert_int_equal(facet_count(&res->facets[0], types[i]), want);
	}
	/* By count descending: SAAS 10, IAAS 7, PAAS 3. */
	assert_string_equal(res->facets[0].values[0].value, "SAAS");
	assert_int_equal(res->facets[0].values[0].count, 10);
	assert_string_equal(res->facets[0].values[2].value, "PAAS");
	assert_int_equal(facet_count(&res->facets[1], "Acme"), 3);
	assert_int_equal(facet_count(&res->facets[1], "NHN"), 3);
	assert_int_equal(facet_count(&res->facets[1], "네이버"), 2);
	xs_result_free(res);

	/* Counts follow the query, not the page. */
	q.text = "nhn";
	q.limit = 1;
	res = search_q(rdb, &q);
	assert_int_equal(res->total, 3);
	assert_int_equal(facet_count(&res->facets[0], "SAAS"), 1);
	assert_int_equal(facet_count(&res->facets[0], "IAAS"), 1);
	assert_int_equal(facet_count(&res->facets[0], "PAAS"), 1);
	assert_int_equal(res->facets[1].nvalues, 1);
	assert_int_equal(res->facets[1].values[0].count, 3);
	xs_result_free(res);

	/* No match: facets present and empty. */
	q.text = "zzzzqqq";
	res = search_q(rdb, &q);
	assert_int_equal(res->total, 0);
	assert_int_equal(res->nfacets, 2);
	assert_int_equal(res->facets[0].nvalues, 0);
	assert_null(res->facets[0].values);
	xs_result_free(res);
}

static void
test_value_num(void **state)
{
	struct xs_query		 q;
	struct xs_result	*res;
	static const unsigned	 slot = SLOT_PRICE;

	(void)state;
	xs_query_init(&q);
	q.text = "kubernetes";
	q.facet_slots = &slot;
	q.nfacets = 1;
	res = search_q(rdb, &q);
	assert_int_equal(res->facets[0].nvalues, 1);
	assert_true(xs_value_num(res->facets[0].values[0].value,
	    res->facets[0].values[0].len) == 70000.0);
	xs_result_free(res);
	/* No value sorts below every number. */
	assert_true(xs_value_num(NULL, 0) < -1e300);
	assert_true(xs_value_num("", 0) < -1e300);
	(void)xs_value_num("\xff\xff\xff", 3);
}

static struct xs_result *
search_snippet(const char *text)
{
	struct xs_query	q;

	xs_query_init(&q);
	q.text = text;
	q.snippet_slot = SLOT_DESC;
	return (search_q(rdb, &q));
}

static void
test_snippet(void **state)
{
	struct xs_result	*res;
	const char		*s;

	(void)state;
	res = search_snippet("kubernetes");
	assert_int_equal(res->nhits, 1);
	/* Matched in the name, not the description: no mark, text shown. */
	assert_string_equal(res->hits[0].snippet,
	    "컨테이너 오케스트레이션 관리형 서비스");
	xs_result_free(res);

	res = search_snippet("agency");
	assert_int_equal(res->nhits, 2);
	assert_non_null(strstr(res->hits[0].snippet, "<mark>agencies</mark>"));
	xs_result_free(res);

	/* Korean n-grams of one word are marked as one run. */
	res = search_snippet("서버 호스팅");
	assert_int_equal(res->nhits, 1);
	s = res->hits[0].snippet;
	assert_non_null(strstr(s, "<mark>서버</mark>"));
	assert_non_null(strstr(s, "<mark>호스팅</mark>"));
	assert_null(strstr(s, "</mark><mark>"));
	xs_result_free(res);

	res = search_snippet("클라우");
	assert_int_equal(res->nhits, 2);
	xs_result_free(res);
}

static void
test_snippet_escaping(void **state)
{
	static const char	*texts[] = { "script", "alert", "quoted",
				    "servers", "" };
	struct xs_result	*res;
	const char		*s;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct xs_query q;
		xs_query_init(&q);
		q.text = texts[i];
		q.snippet_slot = SLOT_DESC;
		q.limit = NDOCS;
		q.groups = (const struct xs_filter[]){
			{ (const char *const[]){ "XTIAAS" }, 1 } };
		q.ngroups = 1;
		res = search_q(rdb, &q);
		assert_true(res->nhits >= 1);
		if (texts[i][0] != '\0')
			assert_int_equal(res->hits[0].id, 5);
		s = res->hits[0].id == 5 ? res->hits[0].snippet : NULL;
		if (s == NULL) {
			size_t j;
			for (j = 0; j < res->nhits; j++)
				if (res->hits[j].id == 5)
					s = res->hits[j].snippet;
		}
		assert_non_null(s);
		assert_null(strstr(s, "<script"));
		assert_null(strstr(s, "</script"));
		assert_null(strchr(s, '"'));
		assert_non_null(strstr(s, "&lt;"));
		assert_non_null(strstr(s, "&amp;"));
		assert_non_null(strstr(s, "&quot;"));
		if (i == 0)
			assert_non_null(strstr(s,
			    "&lt;<mark>script</mark>&gt;"));
		/* No '<' other than our own tags. */
		{
			const char *p;
			for (p = s; (p = strchr(p, '<')) != NULL; p++)
				assert_true(strncmp(p, "<mark>", 6) == 0 ||
				    strncmp(p, "</mark>", 7) == 0);
		}
		xs_result_free(res);
	}
}

/* Returns 1 if s is valid UTF-8. */
static int
valid_utf8(const unsigned char *s)
{
	size_t	n, k;

	while (*s != '\0') {
		if (*s < 0x80)
			n = 0;
		else if (*s >= 0xc2 && *s <= 0xdf)
			n = 1;
		else if (*s >= 0xe0 && *s <= 0xef)
			n = 2;
		else if (*s >= 0xf0 && *s <= 0xf4)
			n = 3;
		else
			return (0);
		for (k = 1; k <= n; k++)
			if ((s[k] & 0xc0) != 0x80)
				return (0);
		s += n + 1;
	}
	return (1);
}

/* A document whose description is hostile, in its own database. */
static void
test_snippet_hostile_source(void **state)
{
	char			 path[128], err[ERRLEN];
	struct xs_writer	*w;
	struct xs_doc		*doc;
	struct xs_db		*db;
	struct xs_result	*res;
	struct xs_query		 q;
	const char		*desc = "cloud \x01<img src=x onerror=alert(1)>"
				    "\x02 cloud \xff\xfe bad \xed\xa0\x80 "
				    "'single' <b>bold</b>";

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/hostile", dbdir);
	assert_non_null(w = xs_writer_open(path, 1, err, sizeof(err)));
	assert_non_null(doc = xs_doc_new(1, err, sizeof(err)));
	assert_int_equal(xs_doc_text(doc, NULL, desc, 1, err, sizeof(err)),
	    XS_OK);
	assert_int_equal(xs_doc_value(doc, SLOT_DESC, desc, strlen(desc),
	    err, sizeof(err)), XS_OK);
	assert_int_equal(xs_writer_put(w, doc, err, sizeof(err)), XS_OK);
	xs_doc_free(doc);
	assert_int_equal(xs_writer_close(w, err, sizeof(err)), XS_OK);

	assert_non_null(db = xs_open(path, err, sizeof(err)));
	xs_query_init(&q);
	q.text = "cloud";
	q.snippet_slot = SLOT_DESC;
	res = search_q(db, &q);
	assert_int_equal(res->nhits, 1);
	assert_true(valid_utf8((const unsigned char *)res->hits[0].snippet));
	assert_null(strstr(res->hits[0].snippet, "<img"));
	assert_null(strstr(res->hits[0].snippet, "<b>"));
	assert_null(strchr(res->hits[0].snippet, '\''));
	assert_null(strchr(res->hits[0].snippet, '\x01'));
	assert_non_null(strstr(res->hits[0].snippet, "<mark>cloud</mark>"));
	assert_non_null(strstr(res->hits[0].snippet, "&#39;single&#39;"));
	xs_result_free(res);
	xs_close(db);
}

/* Asserts that text gives results or a clean query error, never a crash. */
static int
hostile(const char *text)
{
	struct xs_query		 q;
	struct xs_result	*res = NULL;
	char			 err[ERRLEN] = "";
	int			 rc;

	xs_query_init(&q);
	q.text = text;
	q.prefixes = prefixes;
	q.nprefixes = 2;
	q.snippet_slot = SLOT_DESC;
	q.tiebreak_slot = SLOT_TIE;
	rc = xs_search(rdb, &q, &res, err, sizeof(err));
	if (rc == XS_OK) {
		assert_non_null(res);
		assert_true(res->exact);
		assert_true(res->nhits <= res->total);
		xs_result_free(res);
	} else {
		assert_int_equal(rc, XS_EQUERY);
		assert_null(res);
		assert_true(err[0] != '\0');
	}
	return (rc);
}

static void
test_hostile_queries(void **state)
{
	static const char *const texts[] = {
		"\"", "\"클라우드", "클라우드\"", "(", ")", "((클라우드", "클라우드))",
		"-", "--", "- -", "+", "*", "OR", "OR OR", "AND", "NOT",
		"a AND", "서버 and", "OR 클라우드", "NOT NOT NOT", "\"\"", "()",
		"vendor:", ":", "name:\"", "vendor:(acme", "-\"", "~", "^",
		"클라우드 AND OR NOT", "\xff\xfe", "\xc0\xaf", "클\xed\xa0\x80라",
		"\xe2\x82", "a\tb\nc\rd", "%s%n%x", "'; DROP TABLE x; --",
		"<script>alert(1)</script>", "micro*", "m*", "\"a\" \"b", "\x01\x02",
	};
	struct xs_result	*res;
	char			*big;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		assert_int_equal(hostile(texts[i]), XS_OK);

	/* Lone operators find everything rather than nothing. */
	res = search_text("-");
	assert_int_equal(res->total, NDOCS);
	xs_result_free(res);
	res = search_text("OR OR");
	assert_true(res->relaxed);
	xs_result_free(res);

	/* A trailing operator while typing: the operator word is dropped. */
	EXPECT("서버 and", 1, 16);
	EXPECT("클라우드 AND", 1, 3);
	EXPECT("kubernetes OR", 7);

	/* Unbalanced quotes and parens still find the words. */
	EXPECT("\"클라우드", 1, 3);
	EXPECT("(kubernetes", 7);
	EXPECT("kubernetes)", 7);

	/* 10,000 characters: a clean error. */
	assert_non_null(big = malloc(10001));
	memset(big, 'a', 10000);
	big[10000] = '\0';
	assert_int_equal(hostile(big), XS_EQUERY);
	/* The longest allowed query, made of many words, works. */
	for (i = 0; i + 2 <= XS_QUERY_MAX; i += 2) {
		big[i] = "abcdefghij"[(i / 2) % 10];
		big[i + 1] = ' ';
	}
	big[XS_QUERY_MAX] = '\0';
	assert_int_equal(hostile(big), XS_OK);
	/* Korean: 3 bytes a syllable. */
	for (i = 0; i + 3 <= XS_QUERY_MAX; i += 3)
		memcpy(big + i, (i / 3) % 2 ? "클" : "라", 3);
	big[i] = '\0';
	assert_int_equal(hostile(big), XS_OK);
	/* Operators in bulk. */
	for (i = 0; i + 3 <= XS_QUERY_MAX; i += 3)
		memcpy(big + i, "(\"-", 3);
	big[i] = '\0';
	assert_int_equal(hostile(big), XS_OK);
	free(big);
}

static void
test_bad_arguments(void **state)
{
	struct xs_query		 q;
	struct xs_result	*res = (struct xs_result *)&q;
	struct xs_doc		*doc;
	char			 err[ERRLEN];
	char			 longterm[XS_TERM_MAX + 2];

	(void)state;
	xs_query_init(&q);
	assert_int_equal(xs_search(NULL, &q, &res, err, sizeof(err)),
	    XS_EINVAL);
	assert_null(res);
	assert_int_equal(xs_search(rdb, NULL, &res, err, sizeof(err)),
	    XS_EINVAL);
	assert_int_equal(xs_search(rdb, &q, NULL, err, sizeof(err)),
	    XS_EINVAL);
	q.limit = XS_LIMIT_MAX + 1;
	assert_int_equal(xs_search(rdb, &q, &res, err, sizeof(err)),
	    XS_EINVAL);
	assert_non_null(strstr(err, "limit"));
	xs_query_init(&q);
	q.sort = XS_SORT_VALUE;
	assert_int_equal(xs_search(rdb, &q, &res, NULL, 0), XS_EINVAL);

	assert_non_null(doc = xs_doc_new(99, err, sizeof(err)));
	assert_int_equal(xs_doc_term(doc, "Q1", err, sizeof(err)), XS_EINVAL);
	assert_int_equal(xs_doc_term(doc, "", err, sizeof(err)), XS_EINVAL);
	memset(longterm, 'X', sizeof(longterm) - 1);
	longterm[sizeof(longterm) - 1] = '\0';
	assert_int_equal(xs_doc_term(doc, longterm, err, sizeof(err)),
	    XS_EINVAL);
	assert_int_equal(xs_doc_text(doc, "XN", "x", 0, err, sizeof(err)),
	    XS_EINVAL);
	assert_int_equal(xs_doc_text(doc, "XN", NULL, 1, err, sizeof(err)),
	    XS_EINVAL);
	assert_int_equal(xs_doc_text(doc, "QX", "x", 1, err, sizeof(err)),
	    XS_EINVAL);
	assert_int_equal(xs_doc_value(doc, XS_NOSLOT, "x", 1, err,
	    sizeof(err)), XS_EINVAL);
	assert_int_equal(xs_doc_data(doc, NULL, 3, err, sizeof(err)),
	    XS_EINVAL);
	assert_int_equal(xs_doc_data(doc, NULL, 0, err, sizeof(err)), XS_OK);
	xs_doc_free(doc);

	xs_doc_free(NULL);
	xs_close(NULL);
	xs_result_free(NULL);
	assert_int_equal(xs_writer_close(NULL, err, sizeof(err)), XS_OK);
	assert_int_equal(xs_reopen(NULL, err, sizeof(err)), XS_EINVAL);
	assert_int_equal(xs_doccount(NULL), 0);
}

static void
test_open_missing(void **state)
{
	char	 path[128], err[ERRLEN] = "";

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/does-not-exist", dbdir);
	assert_null(xs_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "xs_open"));
	assert_non_null(strstr(err, "DatabaseNotFoundError"));
	assert_null(xs_open("", err, sizeof(err)));
	assert_null(xs_open(NULL, err, sizeof(err)));
	/* A tiny buffer is truncated, not overrun. */
	assert_null(xs_open(path, err, 8));
	assert_int_equal(strlen(err), 7);
	/* No buffer at all. */
	assert_null(xs_open(path, NULL, 0));
}

static void
test_writer_lock(void **state)
{
	char			 path[128], err[ERRLEN] = "";
	struct xs_writer	*w1, *w2;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/lock", dbdir);
	assert_non_null(w1 = xs_writer_open(path, 1, err, sizeof(err)));
	assert_null(w2 = xs_writer_open(path, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "DatabaseLockError"));
	assert_int_equal(xs_writer_close(w1, err, sizeof(err)), XS_OK);
	assert_non_null(w2 = xs_writer_open(path, 0, err, sizeof(err)));
	assert_int_equal(xs_writer_close(w2, err, sizeof(err)), XS_OK);
}

static void
test_reopen_and_delete(void **state)
{
	static const struct listing	 extra = { 21, "클라우드 백업", "Acme",
					    "클라우드로 데이터를 백업", "IAAS", 0,
					    16000 };
	char				 path[128], err[ERRLEN];
	struct xs_writer		*w;
	struct xs_db			*db;
	struct xs_query			 q;
	struct xs_result		*res;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/reopen", dbdir);
	assert_int_equal(build_index(path), 0);
	assert_non_null(db = xs_open(path, err, sizeof(err)));
	assert_int_equal(xs_reopen(db, err, sizeof(err)), 0);

	xs_query_init(&q);
	q.text = "클라우드";
	res = search_q(db, &q);
	assert_int_equal(res->total, 2);
	xs_result_free(res);

	/* A second writer session adds a listing and commits. */
	assert_non_null(w = xs_writer_open(path, 0, err, sizeof(err)));
	assert_int_equal(put_listing(w, &extra), 0);
	assert_int_equal(xs_writer_commit(w, err, sizeof(err)), XS_OK);

	res = search_q(db, &q);		/* not yet seen */
	assert_int_equal(res->total, 2);
	xs_result_free(res);
	assert_int_equal(xs_reopen(db, err, sizeof(err)), 1);
	assert_int_equal(xs_reopen(db, err, sizeof(err)), 0);
	assert_int_equal(xs_doccount(db), NDOCS + 1);
	res = search_q(db, &q);
	assert_int_equal(res->total, 3);
	xs_result_free(res);

	/* Putting the same id again replaces, it does not add. */
	assert_int_equal(put_listing(w, &extra), 0);
	assert_int_equal(xs_writer_commit(w, err, sizeof(err)), XS_OK);
	assert_int_equal(xs_reopen(db, err, sizeof(err)), 1);
	assert_int_equal(xs_doccount(db), NDOCS + 1);

	/* Delete it; deleting an unknown id is fine. */
	assert_int_equal(xs_writer_delete(w, 21, err, sizeof(err)), XS_OK);
	assert_int_equal(xs_writer_delete(w, 12345, err, sizeof(err)), XS_OK);
	assert_int_equal(xs_writer_delete(w, -1, err, sizeof(err)), XS_OK);
	assert_int_equal(xs_writer_commit(w, err, sizeof(err)), XS_OK);
	assert_int_equal(xs_reopen(db, err, sizeof(err)), 1);
	assert_int_equal(xs_doccount(db), NDOCS);
	res = search_q(db, &q);
	assert_int_equal(res->total, 2);
	assert_true(res->hits[0].id != 21 && res->hits[1].id != 21);
	xs_result_free(res);

	/* Close without commit: Xapian commits. */
	assert_int_equal(xs_writer_delete(w, 1, err, sizeof(err)), XS_OK);
	assert_int_equal(xs_writer_close(w, err, sizeof(err)), XS_OK);
	assert_int_equal(xs_reopen(db, err, sizeof(err)), 1);
	assert_int_equal(xs_doccount(db), NDOCS - 1);

	/* Overwritten by a rebuild: seen as a change too. */
	assert_int_equal(build_index(path), 0);
	assert_int_equal(xs_reopen(db, err, sizeof(err)), 1);
	assert_int_equal(xs_doccount(db), NDOCS);
	xs_close(db);
}

/*
 * A reader whose revision the writer has since overwritten gets
 * DatabaseModifiedError from Xapian.  With 1.4.22 five commits of the
 * whole corpus are enough to provoke it here (checked by building
 * xsearch.cc with one attempt: XS_EIO "The revision being read has been
 * discarded"); xs_search must reopen and answer from the new revision.
 */
static void
test_modified_retry(void **state)
{
	char			 path[128], err[ERRLEN];
	struct xs_writer	*w;
	struct xs_db		*db;
	struct xs_query		 q;
	struct xs_result	*res;
	size_t			 i;
	int			 k;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/modified", dbdir);
	assert_int_equal(build_index(path), 0);
	assert_non_null(db = xs_open(path, err, sizeof(err)));
	assert_non_null(w = xs_writer_open(path, 0, err, sizeof(err)));
	for (k = 0; k < 5; k++) {
		for (i = 0; i < NDOCS; i++)
			assert_int_equal(put_listing(w, &corpus[i]), 0);
		assert_int_equal(xs_writer_commit(w, err, sizeof(err)), XS_OK);
	}
	xs_query_init(&q);
	q.text = "클라우드";
	q.snippet_slot = SLOT_DESC;
	res = search_q(db, &q);
	assert_int_equal(res->total, 2);
	xs_result_free(res);
	assert_int_equal(xs_writer_close(w, err, sizeof(err)), XS_OK);
	xs_close(db);
}

/* Ids beyond 32 bits and negative ones survive the "Q" term. */
static void
test_large_ids(void **state)
{
	static const int64_t	 ids[] = { INT64_MAX, INT64_MIN, -7, 0,
				    5000000000LL };
	char			 path[128], err[ERRLEN];
	struct xs_writer	*w;
	struct xs_doc		*doc;
	struct xs_db		*db;
	struct xs_query		 q;
	struct xs_result	*res;
	size_t			 i, j;
	int			 found;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/ids", dbdir);
	assert_non_null(w = xs_writer_open(path, 1, err, sizeof(err)));
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_non_null(doc = xs_doc_new(ids[i], err, sizeof(err)));
		assert_int_equal(xs_doc_text(doc, "XN", "same words", 1, err,
		    sizeof(err)), XS_OK);
		assert_int_equal(xs_writer_put(w, doc, err, sizeof(err)),
		    XS_OK);
		xs_doc_free(doc);
	}
	assert_int_equal(xs_writer_close(w, err, sizeof(err)), XS_OK);
	assert_non_null(db = xs_open(path, err, sizeof(err)));
	xs_query_init(&q);
	q.text = "words";
	res = search_q(db, &q);
	assert_int_equal(res->nhits, 5);
	for (i = 0; i < 5; i++) {
		found = 0;
		for (j = 0; j < res->nhits; j++)
			found |= res->hits[j].id == ids[i];
		assert_true(found);
	}
	xs_result_free(res);
	xs_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_korean_full_word),
		cmocka_unit_test(test_korean_partial_word),
		cmocka_unit_test(test_korean_short),
		cmocka_unit_test(test_english_stemming),
		cmocka_unit_test(test_english_partial),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_phrase),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_boolean),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_empty_query_all),
		cmocka_unit_test(test_hit_fields),
		cmocka_unit_test(test_exact_totals),
		cmocka_unit_test(test_paging_stable),
		cmocka_unit_test(test_sort_value),
		cmocka_unit_test(test_facets),
		cmocka_unit_test(test_value_num),
		cmocka_unit_test(test_snippet),
		cmocka_unit_test(test_snippet_escaping),
		cmocka_unit_test(test_snippet_hostile_source),
		cmocka_unit_test(test_hostile_queries),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_writer_lock),
		cmocka_unit_test(test_reopen_and_delete),
		cmocka_unit_test(test_modified_retry),
		cmocka_unit_test(test_large_ids),
	};

	return (cmocka_run_group_tests(tests, group_setup, group_teardown));
}
