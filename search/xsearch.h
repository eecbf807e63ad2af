/*
 * xsearch.h - the project's small C interface to Xapian.
 *
 * Gureum searches listings with Xapian 1.4, a C++ library.  This header is
 * the only way C code reaches it: plain C types, opaque handles, and an
 * error code plus a message copied into a caller buffer (err, errlen) for
 * every call that can fail.  xsearch.cc catches every C++ exception at the
 * boundary, because one that escapes aborts the Kore worker.
 *
 * Two sides:
 *  - the writer (xs_writer_*, xs_doc_*) is used by the command-line indexer;
 *    Xapian allows one writer per database at a time;
 *  - the reader (xs_open, xs_reopen, xs_search) is used inside web workers;
 *    a handle is not thread-safe, so each worker opens its own.
 *
 * Text is indexed and parsed with one configuration: English Snowball
 * stemming (STEM_SOME) and CJK n-grams, so Hangul becomes unigrams and
 * bigrams and partial Korean words match.  A document is identified by an
 * int64 listing id kept as the unique term "Q<id>"; terms beginning with
 * "Q" are therefore reserved.  A new index also uses the id as Xapian's
 * docid when it fits (search/README.md).
 *
 * Memory: handles are allocated by xs_open, xs_writer_open and xs_doc_new
 * and released by xs_close, xs_writer_close and xs_doc_free.  Strings
 * passed in are copied; results are
 * owned by the struct xs_result and freed by xs_result_free().
 */

#ifndef XSEARCH_H
#define XSEARCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes.  Success is XS_OK (0) or, where said, a positive value. */
#define XS_OK		0
#define XS_EINVAL	(-1)	/* bad argument: a bug in the caller */
#define XS_ENOTFOUND	(-2)	/* no database at that path */
#define XS_ELOCKED	(-3)	/* another writer holds the database */
#define XS_ENOMEM	(-4)	/* allocation failed */
#define XS_EQUERY	(-5)	/* the user's query text cannot be used */
#define XS_EIO		(-6)	/* any other Xapian or system error */

#define XS_NOSLOT	0xffffffffU	/* "no value slot" (Xapian's BAD_VALUENO) */
/*
 * Bytes of query text accepted (85 Hangul syllables).  Cost grows with the
 * number of terms; the worst case is OR or -exclusion of many common words.
 * 256 bytes of them took 8 ms on a synthetic 25,000-listing index whose
 * common words are each in 5% of listings, 58 ms where they are in 70%.
 */
#define XS_QUERY_MAX	256
#define XS_LIMIT_MAX	1000		/* hits per call */
#define XS_TERM_MAX	240		/* bytes in a boolean or id term */
#define XS_SNIPPET_LEN	200		/* default snippet length in bytes */

struct xs_db;
struct xs_writer;
struct xs_doc;

/*
 * Reader.
 */

/*
 * Opens the database at path read-only.  Returns a handle the caller
 * releases with xs_close(), or NULL with a message in err: XS_ENOTFOUND
 * and XS_EIO are not distinguished here, the message says which.
 */
struct xs_db	*xs_open(const char *path, char *err, size_t errlen);

/*
 * Picks up what writers committed since the open or the last reopen.
 * Returns 1 if the database changed, 0 if not, or a negative XS_E* code.
 * Results already returned stay valid (they are copies).
 */
int		 xs_reopen(struct xs_db *db, char *err, size_t errlen);

/* Returns the number of documents, or 0 on error. */
unsigned	 xs_doccount(struct xs_db *db);

/* Releases db.  NULL is allowed. */
void		 xs_close(struct xs_db *db);

/*
 * Writer.
 */

/*
 * Opens the database at path for writing, creating it if it does not
 * exist; overwrite non-zero empties an existing one first.  Returns a
 * handle the caller releases with xs_writer_close(), or NULL with a
 * message in err (a lock held by another writer is reported as such).
 */
struct xs_writer *xs_writer_open(const char *path, int overwrite,
		    char *err, size_t errlen);

/*
 * Adds doc, replacing any document with the same id.  doc stays the
 * caller's (free it with xs_doc_free).  Returns XS_OK or XS_E*.
 * Readers see the change after xs_writer_commit() and xs_reopen().
 * Note that Xapian also commits on its own every 10,000 changes.
 */
int		 xs_writer_put(struct xs_writer *w, const struct xs_doc *doc,
		    char *err, size_t errlen);

/* Deletes the document with that id; an unknown id is not an error. */
int		 xs_writer_delete(struct xs_writer *w, int64_t id,
		    char *err, size_t errlen);

/* Makes the changes so far durable and visible.  Returns XS_OK or XS_E*. */
int		 xs_writer_commit(struct xs_writer *w, char *err, size_t errlen);

/*
 * Closes the writer and frees w in every case.  Xapian commits pending
 * changes on close; an error doing so is returned here.  NULL is allowed.
 */
int		 xs_writer_close(struct xs_writer *w, char *err, size_t errlen);

/*
 * Documents.  Build one, xs_writer_put() it, free it.  Every xs_doc_*
 * call copies its arguments and returns XS_OK, XS_EINVAL or XS_ENOMEM.
 */

/* Returns a new empty document for listing id, or NULL on ENOMEM. */
struct xs_doc	*xs_doc_new(int64_t id, char *err, size_t errlen);

/*
 * Indexes text (UTF-8) with weight (wdf increment, >= 1; use more for a
 * name or summary than for a description).  If prefix is neither NULL nor
 * "", the text is indexed twice: with prefix (for "name:" style searches
 * declared with struct xs_prefix) and without (for plain searches).
 * Fields are kept apart so that a phrase never spans two of them.  A
 * prefix must not begin with 'Q'.
 */
int		 xs_doc_text(struct xs_doc *doc, const char *prefix,
		    const char *text, unsigned weight, char *err, size_t errlen);

/*
 * Adds a boolean filter term such as "XTSAAS" (not weighted, not
 * searchable from query text).  Must be 1..XS_TERM_MAX bytes and must not
 * begin with 'Q'.
 */
int		 xs_doc_term(struct xs_doc *doc, const char *term,
		    char *err, size_t errlen);

/* Stores len bytes of val in value slot (any slot but XS_NOSLOT). */
int		 xs_doc_value(struct xs_doc *doc, unsigned slot,
		    const void *val, size_t len, char *err, size_t errlen);

/*
 * Stores v in slot as Xapian::sortable_serialise(v), which sorts as
 * numbers do.  For sorting and ranges, not for money arithmetic.
 */
int		 xs_doc_value_num(struct xs_doc *doc, unsigned slot, double v,
		    char *err, size_t errlen);

/* Sets the document data to len opaque bytes, returned with each hit. */
int		 xs_doc_data(struct xs_doc *doc, const void *data, size_t len,
		    char *err, size_t errlen);

/*
 * Stores in pack_slot the values doc has so far in slots[0..n) (each slot
 * below 256), so that facet counting reads one value per document
 * (struct xs_query fpack).  Call it after the values are set.
 */
int		 xs_doc_pack(struct xs_doc *doc, unsigned pack_slot,
		    const unsigned *slots, size_t n, char *err, size_t errlen);

/* Frees doc.  NULL is allowed. */
void		 xs_doc_free(struct xs_doc *doc);

/*
 * Decodes a value stored by xs_doc_value_num (for facets over numbers).
 * Returns the number; an empty value (a document without one) gives
 * -infinity, as it sorts first; other bytes give something meaningless.
 */
double		 xs_value_num(const void *val, size_t len);

/*
 * Query.
 */

/* A user-visible field name ("vendor", used as "vendor:x") and its term prefix. */
struct xs_prefix {
	const char	*field;
	const char	*prefix;
};

/*
 * One facet's selection: a document matches if it has any of the terms.
 * A group with no terms constrains nothing.  Groups are AND-ed, so a
 * caller counting a facet with its own selection removed runs the query
 * again with that group left out.
 */
struct xs_filter {
	const char	*const *terms;
	size_t		 nterms;
};

enum xs_sort {
	XS_SORT_RELEVANCE = 0,	/* then tiebreak_slot ascending, then docid */
	XS_SORT_VALUE		/* sort_slot, then relevance, then docid */
};

/*
 * All pointers are borrowed for the duration of xs_search() only.
 * Initialise with xs_query_init(), which sets every slot to XS_NOSLOT.
 */
/*
 * A facet group (additive to struct xs_filter and facet_slots): one
 * filter of the search page counted in one pass with every other group's
 * selection applied and its own removed.
 *
 * A term group: value slot `slot` holds the document's values for the
 * facet joined by XS_MV_SEP (a value may carry a display label after a
 * TAB, which the result keeps; selections, matching and counting use the
 * part before it; a document lists each value once). The document
 * matches if one of its values is in sel[0..nsel); nsel 0 constrains
 * nothing. The indexer also writes the boolean term prefix + value for
 * each value, which the hits query uses (posting lists are faster than
 * values for a selective filter).
 *
 * A numeric group (numeric non-zero): the slot holds xs_doc_value_num();
 * with has_range the document matches if lo <= v <= hi (a document
 * without a value never does). Counts are per bucket: documents with
 * blo[i] <= v <= bhi[i], in bucket order (buckets may overlap, e.g.
 * "at least 99.9").
 */
#define XS_MV_SEP	'\x1f'

/*
 * fcount values.  XS_FCOUNT_SPY counts the straightforward way (a match
 * spy reading every value as a string, a second pass for selections)
 * instead of over the reader's decoded per-revision arrays: slower, the
 * same answer; the unit tests compare the two.  XS_FCOUNT_MATCHER finds
 * the matches for counting with Xapian's matcher instead of the reader's
 * kept bitsets (the same answer again).
 */
#define XS_FCOUNT		1
#define XS_FCOUNT_SPY		2
#define XS_FCOUNT_MATCHER	3	/* decoded arrays, Xapian's matcher */

struct xs_fgroup {
	unsigned		 slot;
	const char		*prefix;	/* term groups: boolean term prefix */
	const char *const	*sel;
	size_t			 nsel;
	int			 numeric;
	int			 has_range;
	double			 lo, hi;
	const double		*blo, *bhi;
	size_t			 nbuckets;
};

struct xs_query {
	const char		*text;		/* NULL or blank: all documents */
	const struct xs_prefix	*prefixes;
	size_t			 nprefixes;
	const struct xs_filter	*groups;
	size_t			 ngroups;
	unsigned		 offset;
	unsigned		 limit;		/* 0..XS_LIMIT_MAX */
	enum xs_sort		 sort;
	unsigned		 sort_slot;	/* XS_SORT_VALUE */
	int			 sort_desc;	/* XS_SORT_VALUE: largest first */
	unsigned		 tiebreak_slot;	/* XS_SORT_RELEVANCE, or XS_NOSLOT */
	const unsigned		*facet_slots;
	size_t			 nfacets;
	unsigned		 snippet_slot;	/* text to snippet, or XS_NOSLOT */
	size_t			 snippet_len;	/* bytes to aim for */
	/* Facet groups (see struct xs_fgroup); results in res->gfacets. */
	const struct xs_fgroup	*fgroups;
	size_t			 nfgroups;
	int			 fcount;	/* non-zero: count them */
					/* XS_FCOUNT_SPY: the reference way */
	/*
	 * Non-zero: count from the one value in fpack_slot that
	 * xs_doc_pack() wrote (every group's slot must be in it), one read
	 * per document instead of one per group.  This concerns the match
	 * spy (XS_FCOUNT_SPY); the default way decodes each group's own slot
	 * once per index revision, so those slots must be written too.
	 */
	int			 fpack;
	unsigned		 fpack_slot;
	/*
	 * Non-zero: with XS_SORT_VALUE and no query text (all weights 0),
	 * equal values are ordered by tiebreak_slot, not by document id.
	 */
	int			 value_tiebreak;
};

struct xs_hit {
	int64_t		 id;
	double		 weight;	/* Xapian BM25 weight; 0 for "all" */
	int		 percent;	/* 0..100 */
	char		*data;		/* document data, NUL-terminated too */
	size_t		 datalen;
	char		*snippet;	/* HTML, or NULL if not asked for */
};

struct xs_facet_value {
	char		*value;		/* NUL-terminated too */
	size_t		 len;
	unsigned	 count;
};

/* Values of one slot in matching documents, by count descending then value. */
struct xs_facet {
	unsigned		 slot;
	struct xs_facet_value	*values;
	size_t			 nvalues;
};

struct xs_result {
	unsigned	 total;		/* matching documents, exact */
	int		 exact;		/* Xapian's bounds agree (always, by design) */
	int		 relaxed;	/* text was reparsed without operators */
	struct xs_hit	*hits;
	size_t		 nhits;
	struct xs_facet	*facets;	/* in the order of facet_slots */
	size_t		 nfacets;
	/*
	 * With q->fcount: one per facet group, in their order. Term groups:
	 * values by count descending then value, only values with a count
	 * (value is the whole stored value, label included). Numeric groups:
	 * one per bucket in bucket order, value "" and its count.
	 */
	struct xs_facet	*gfacets;
	size_t		 ngfacets;
};

/* Sets q to match all, first 10 hits by relevance, no slots. */
void		 xs_query_init(struct xs_query *q);

/*
 * Runs q on db.  On XS_OK *res holds a result the caller frees with
 * xs_result_free(); otherwise *res is NULL and err says why.
 *
 * Query text: words are AND-ed; "phrase", -exclude, OR, AND, NOT (any
 * case) and field:word for the fields in q->prefixes work; the last word
 * also matches as a prefix (micro finds Microsoft).  Text that the parser
 * rejects is parsed again as plain words (res->relaxed is set).  Text with
 * no searchable word matches everything; text made only of -exclusions
 * matches everything but them.  More than XS_QUERY_MAX bytes is XS_EQUERY.
 *
 * Snippets are cut from the value in q->snippet_slot, with matches in
 * <mark>..</mark>.  They are safe HTML: the source is escaped (& < > " ')
 * and invalid UTF-8 becomes U+FFFD.
 *
 * If a writer commits during the search, it reopens db and retries.
 */
int		 xs_search(struct xs_db *db, const struct xs_query *q,
		    struct xs_result **res, char *err, size_t errlen);

/* Frees res and everything in it.  NULL is allowed. */
void		 xs_result_free(struct xs_result *res);

#ifdef __cplusplus
}
#endif

#endif /* XSEARCH_H */
