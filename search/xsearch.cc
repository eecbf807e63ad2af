/*
 * xsearch.cc - the C interface to Xapian declared in xsearch.h.
 *
 * This is the project's only C++.  It exists so that the rest of Gureum
 * can stay C and never see an exception: every extern "C" function runs
 * its body inside try/catch and turns whatever was thrown (Xapian::Error,
 * std::exception, anything else) into an XS_E* code and a message in the
 * caller's buffer, through xs_fail().  An exception that escaped would
 * abort the Kore worker.
 *
 * Indexing and query parsing share one configuration (english_stem(),
 * STEM_SOME, CJK n-grams) because terms only meet if both sides make them
 * the same way.  Query parsing is forgiving: text the full parser rejects
 * is parsed again as plain words, then with punctuation removed, because a
 * user's typo is not a server error.
 *
 * Snippets come from Xapian's MSet::snippet(), which in 1.4.22 escapes
 * & < > but not quotes.  We do not rely on it alone: the source text is
 * made valid UTF-8 without control characters, matches are marked with
 * \x01 and \x02, and html_snippet() then escapes < > " ' itself and turns
 * the markers into <mark> and </mark>.
 *
 * Facet counts are exact, so a search looks at every match; on 25,000
 * listings doing that with match spies that read each document's values
 * as strings was most of a search's time.  A reader therefore keeps, per
 * index revision, each facet slot decoded into arrays, each term's
 * documents as a bitset, and the orders of a search without words (struct
 * rcache, "Compact facet counting" below): the text's matches become a
 * bitset and the counts set operations over it.  The match-spy way stays
 * (XS_FCOUNT_SPY) as the reference the unit tests compare with.
 *
 * Results are built in C++ containers and copied into malloc'd C structs
 * at the end (c_result()), so xs_result_free() is plain free().
 */

#include <xapian.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <deque>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <new>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "xsearch.h"

#define HI_START	"\x01"
#define HI_END		"\x02"
#define OMIT		"\xe2\x80\xa6"		/* U+2026 HORIZONTAL ELLIPSIS */
#define FIELD_GAP	100			/* term positions between fields */
#define MODIFIED_RETRIES 3

/*
 * What a reader keeps between searches for one revision of the index
 * (see "Compact facet counting" below): each facet slot's values decoded
 * once into arrays indexed by docid.  Rebuilt, slot by slot and lazily,
 * when the revision or the database changes.
 */
struct slot_terms {
	std::vector<uint32_t>		start;	/* docid -> first entry */
	std::vector<uint32_t>		ent;	/* whole-value ids */
	std::vector<uint32_t>		kent;	/* their key ids */
	std::vector<std::string>	whole;	/* "key" or "key\tlabel" */
	std::vector<uint32_t>		key_of;	/* whole id -> key id */
	std::vector<uint32_t>		rank;	/* whole id -> place in
						   byte order of wholes */
	std::unordered_map<std::string, uint32_t> keys;
};

struct slot_num {
	std::vector<double>		v;
	std::vector<unsigned char>	has;	/* 0: no value */
};

struct slot_raw {
	std::vector<uint32_t>		code;	/* 0: no value, else 1 + id */
	std::vector<std::string>	values;
};

struct rcache {
	Xapian::rev			rev = 0;
	std::string			uuid;
	Xapian::docid			maxdid = 0;
	bool				docid_is_id = false;
	std::unordered_map<unsigned, std::unique_ptr<slot_terms>> terms;
	std::unordered_map<unsigned, std::unique_ptr<slot_num>> nums;
	std::unordered_map<unsigned, std::unique_ptr<slot_raw>> raws;
	/* Match sets of terms and query nodes (see bits_eval()). */
	std::unordered_map<std::string, std::shared_ptr<const struct bits>> bits;
	/* Documents of each key of a term slot with few keys, by slot. */
	std::unordered_map<unsigned, std::vector<struct bits>> kbits;
	/* Every document in each order a search without words asks for. */
	std::unordered_map<std::string, std::vector<Xapian::docid>> orders;
	/* The counts of a search without words and selections, by facets. */
	std::unordered_map<std::string, std::shared_ptr<const struct counted>>
					counted;
};

struct xs_db {
	Xapian::Database	db;
	std::unique_ptr<rcache>	cache;
};

/*
 * The writer of a new index numbers documents by listing id (docid = id),
 * and says so in the metadata key below, so that a reader takes a hit's
 * id from its docid instead of reading the document's term list.  An
 * index written before that (no key) keeps docids chosen by Xapian.
 */
#define DOCID_KEY	"xs.docid"
#define DOCID_IS_ID	"id"

struct xs_writer {
	Xapian::WritableDatabase db;
	bool			 docid_is_id;
};

struct xs_doc {
	Xapian::Document	doc;
	Xapian::TermGenerator	tg;
	int64_t			id;
	std::string		idterm;
	unsigned		nfields;
};

struct hit {
	int64_t		id;
	double		weight;
	int		percent;
	std::string	data;
	bool		has_snippet;
	std::string	snippet;
};

struct facet {
	unsigned					slot;
	std::vector<std::pair<std::string, unsigned>>	values;
};

struct result {
	unsigned		total;
	bool			exact;
	bool			relaxed;
	std::vector<hit>	hits;
	std::vector<facet>	facets;
	std::vector<facet>	gfacets;	/* facet groups (fgroups) */
};

static const unsigned QP_FULL = Xapian::QueryParser::FLAG_PHRASE |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_PARTIAL |
    Xapian::QueryParser::FLAG_CJK_NGRAM;
static const unsigned QP_PLAIN = Xapian::QueryParser::FLAG_CJK_NGRAM;

/* Copies a message into err; never fails, never throws. */
static void
xs_err(char *err, size_t errlen, const char *op, const char *type,
    const char *msg, const char *detail)
{
	if (err == NULL || errlen == 0)
		return;
	if (detail != NULL && *detail != '\0')
		(void)snprintf(err, errlen, "%s: %s%s%s (%s)", op, type,
		    *type != '\0' ? ": " : "", msg, detail);
	else
		(void)snprintf(err, errlen, "%s: %s%s%s", op, type,
		    *type != '\0' ? ": " : "", msg);
}

static int
xs_einval(char *err, size_t errlen, const char *op, const char *msg)
{
	xs_err(err, errlen, op, "", msg, NULL);
	return (XS_EINVAL);
}

/*
 * Maps the exception being handled to an XS_E* code and a message.  Must
 * be called from inside a catch block.  Uses no allocation so that it
 * works after std::bad_alloc.
 */
static int
xs_fail(const char *op, char *err, size_t errlen) noexcept
{
	try {
		throw;
	} catch (const Xapian::DatabaseLockError &e) {
		xs_err(err, errlen, op, e.get_type(), e.get_msg().c_str(),
		    e.get_error_string());
		return (XS_ELOCKED);
	} catch (const Xapian::DatabaseNotFoundError &e) {
		xs_err(err, errlen, op, e.get_type(), e.get_msg().c_str(),
		    e.get_error_string());
		return (XS_ENOTFOUND);
	} catch (const Xapian::QueryParserError &e) {
		xs_err(err, errlen, op, e.get_type(), e.get_msg().c_str(),
		    e.get_error_string());
		return (XS_EQUERY);
	} catch (const Xapian::InvalidArgumentError &e) {
		xs_err(err, errlen, op, e.get_type(), e.get_msg().c_str(),
		    e.get_error_string());
		return (XS_EINVAL);
	} catch (const Xapian::Error &e) {
		xs_err(err, errlen, op, e.get_type(), e.get_msg().c_str(),
		    e.get_error_string());
		return (XS_EIO);
	} catch (const std::bad_alloc &) {
		xs_err(err, errlen, op, "", "out of memory", NULL);
		return (XS_ENOMEM);
	} catch (const std::exception &e) {
		xs_err(err, errlen, op, "std::exception", e.what(), NULL);
		return (XS_EIO);
	} catch (...) {
		xs_err(err, errlen, op, "", "unknown C++ exception", NULL);
		return (XS_EIO);
	}
}

/* The one stemmer of the project, for the indexer and the query parser. */
static Xapian::Stem
english_stem(void)
{
	return (Xapian::Stem("english"));
}

static std::string
id_term(int64_t id)
{
	return ("Q" + std::to_string(id));
}

/*
 * Appends the code point of the UTF-8 sequence at s[i] (and advances i),
 * or U+FFFD for an invalid byte (advancing one byte): overlong forms,
 * surrogates and values above U+10FFFF are invalid.  C0 controls other
 * than tab, LF and CR become a space, which also keeps our \x01 and \x02
 * markers out of source text.
 */
static void
utf8_clean_char(const std::string &s, size_t &i, std::string &out)
{
	unsigned char	 c = s[i];
	size_t		 n, k;
	unsigned long	 cp, min;

	if (c < 0x80) {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			out += ' ';
		else
			out += (char)c;
		i++;
		return;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1; cp = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2; cp = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3; cp = c & 0x07; min = 0x10000;
	} else
		goto bad;
	if (s.size() - i <= n)
		goto bad;
	for (k = 1; k <= n; k++) {
		unsigned char cc = s[i + k];
		if ((cc & 0xc0) != 0x80)
			goto bad;
		cp = (cp << 6) | (cc & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	out.append(s, i, n + 1);
	i += n + 1;
	return;
bad:
	out += "\xef\xbf\xbd";
	i++;
}

/* Returns s as valid UTF-8 without C0 controls (see utf8_clean_char). */
static std::string
utf8_clean(const std::string &s)
{
	std::string	out;
	size_t		i = 0;

	out.reserve(s.size());
	while (i < s.size())
		utf8_clean_char(s, i, out);
	return (out);
}

/*
 * Turns MSet::snippet() output into safe HTML: markers become <mark> and
 * </mark> (always balanced, adjacent marks merged so that the Korean
 * n-grams of one word read <mark>클라우</mark>드), < > " ' are escaped,
 * & is left alone because Xapian has escaped it already (a raw one could
 * not open a tag anyway), and invalid UTF-8 becomes U+FFFD.
 */
static std::string
html_snippet(const std::string &s)
{
	std::string	out;
	size_t		i = 0;
	bool		open = false;

	out.reserve(s.size() + 32);
	while (i < s.size()) {
		char c = s[i];
		if (c == HI_END[0] && i + 1 < s.size() &&
		    s[i + 1] == HI_START[0] && open) {
			i += 2;		/* </mark><mark> */
			continue;
		}
		switch (c) {
		case HI_START[0]:
			if (!open)
				out += "<mark>";
			open = true;
			i++;
			break;
		case HI_END[0]:
			if (open)
				out += "</mark>";
			open = false;
			i++;
			break;
		case '<':
			out += "&lt;";
			i++;
			break;
		case '>':
			out += "&gt;";
			i++;
			break;
		case '"':
			out += "&quot;";
			i++;
			break;
		case '\'':
			out += "&#39;";
			i++;
			break;
		default:
			utf8_clean_char(s, i, out);
			break;
		}
	}
	if (open)
		out += "</mark>";
	return (out);
}

static bool
is_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v');
}

/*
 * Xapian reads a query made only of -exclusions as if the dashes were not
 * there ("-nhn" finds NHN).  If every word starts with '-', returns true
 * and the words without their dash in pos, so the caller can search for
 * everything but them.
 */
static bool
only_exclusions(const std::string &text, std::string &pos)
{
	size_t	i = 0, n = 0;

	pos.clear();
	while (i < text.size()) {
		while (i < text.size() && is_space(text[i]))
			i++;
		if (i == text.size())
			break;
		if (text[i] != '-' || i + 1 == text.size() ||
		    is_space(text[i + 1]))
			return (false);
		i++;
		while (i < text.size() && !is_space(text[i]))
			pos += text[i++];
		pos += ' ';
		n++;
	}
	return (n > 0);
}

/* Returns text with ASCII punctuation replaced by spaces. */
static std::string
strip_operators(const std::string &text)
{
	std::string	out(text);

	for (auto &c : out) {
		unsigned char u = c;
		if (u < 0x80 && std::ispunct(u))
			c = ' ';
	}
	return (out);
}

/*
 * Parses the user's text into a query; throws QueryParserError only if
 * even the plain parse fails.  Sets *relaxed when it had to fall back.
 */
static Xapian::Query
parse_text(Xapian::Database &db, const struct xs_query *q, bool *relaxed)
{
	static const char	*opwords[] = { "and", "or", "not" };
	Xapian::SimpleStopper	ops(opwords, opwords + 3);
	Xapian::QueryParser	qp;
	std::string		text(q->text != NULL ? q->text : "");
	std::string		pos;
	Xapian::Query		parsed;
	size_t			i;

	*relaxed = false;
	if (std::all_of(text.begin(), text.end(), is_space))
		return (Xapian::Query::MatchAll);

	qp.set_database(db);
	qp.set_stemmer(english_stem());
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	qp.set_default_op(Xapian::Query::OP_AND);
	for (i = 0; i < q->nprefixes; i++)
		qp.add_prefix(q->prefixes[i].field, q->prefixes[i].prefix);

	if (only_exclusions(text, pos)) {
		try {
			qp.set_default_op(Xapian::Query::OP_OR);
			parsed = qp.parse_query(pos,
			    QP_FULL & ~Xapian::QueryParser::FLAG_LOVEHATE);
			qp.set_default_op(Xapian::Query::OP_AND);
			if (!parsed.empty())
				return (Xapian::Query(Xapian::Query::OP_AND_NOT,
				    Xapian::Query::MatchAll, parsed));
		} catch (const Xapian::QueryParserError &) {
			qp.set_default_op(Xapian::Query::OP_AND);
		}
	}

	try {
		parsed = qp.parse_query(text, QP_FULL);
	} catch (const Xapian::QueryParserError &) {
		/*
		 * Mostly an operator with nothing after it ("서버 and" while
		 * typing): drop operator words rather than require them.
		 */
		*relaxed = true;
		qp.set_stopper(&ops);
		try {
			parsed = qp.parse_query(text, QP_PLAIN);
		} catch (const Xapian::QueryParserError &) {
			parsed = qp.parse_query(strip_operators(text), QP_PLAIN);
		}
	}
	if (parsed.empty())
		return (Xapian::Query::MatchAll);
	return (parsed);
}

/* Returns the filter for q's groups, or an empty query if none applies. */
static Xapian::Query
filter_query(const struct xs_query *q)
{
	std::vector<Xapian::Query>	groups;
	size_t				i, j;

	for (i = 0; i < q->ngroups; i++) {
		const struct xs_filter		*g = &q->groups[i];
		std::vector<Xapian::Query>	 terms;

		for (j = 0; j < g->nterms; j++)
			terms.emplace_back(g->terms[j]);
		if (!terms.empty())
			groups.emplace_back(Xapian::Query::OP_OR,
			    terms.begin(), terms.end());
	}
	if (groups.empty())
		return (Xapian::Query());
	return (Xapian::Query(Xapian::Query::OP_AND, groups.begin(),
	    groups.end()));
}

/* Returns the listing id kept in doc's "Q" term, or 0 if there is none. */
static int64_t
doc_id(const Xapian::Document &doc)
{
	Xapian::TermIterator	t = doc.termlist_begin();
	std::string		term;
	const char		*s;
	char			*end;
	long long		v;

	t.skip_to("Q");
	if (t == doc.termlist_end())
		return (0);
	term = *t;
	if (term.size() < 2 || term[0] != 'Q')
		return (0);
	s = term.c_str() + 1;
	errno = 0;
	v = std::strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return (0);
	return ((int64_t)v);
}

static bool
facet_order(const std::pair<std::string, unsigned> &a,
    const std::pair<std::string, unsigned> &b)
{
	if (a.second != b.second)
		return (a.second > b.second);
	return (a.first < b.first);
}

/*
 * Facet groups (struct xs_fgroup): the filter of the hits query, and a
 * match spy that counts every group in one pass over the documents the
 * text matches, each group with the other groups' selections applied and
 * its own removed.
 */

/* Returns the AND of the groups that have a selection, or an empty query. */
static Xapian::Query
fgroup_filter(const struct xs_query *q)
{
	std::vector<Xapian::Query>	groups;
	size_t				i, j;

	for (i = 0; i < q->nfgroups; i++) {
		const struct xs_fgroup		*g = &q->fgroups[i];
		std::vector<Xapian::Query>	 terms;

		if (g->numeric) {
			if (g->has_range)
				groups.emplace_back(Xapian::Query::OP_VALUE_RANGE,
				    g->slot, Xapian::sortable_serialise(g->lo),
				    Xapian::sortable_serialise(g->hi));
			continue;
		}
		for (j = 0; j < g->nsel; j++)
			terms.emplace_back(std::string(g->prefix) + g->sel[j]);
		if (!terms.empty())
			groups.emplace_back(Xapian::Query::OP_OR,
			    terms.begin(), terms.end());
	}
	if (groups.empty())
		return (Xapian::Query());
	return (Xapian::Query(Xapian::Query::OP_AND, groups.begin(),
	    groups.end()));
}

static bool
fgroup_selects(const struct xs_fgroup *g)
{
	return (g->numeric ? g->has_range != 0 : g->nsel > 0);
}

class GroupSpy : public Xapian::MatchSpy {
public:
	struct count {
		unsigned	n;
		std::string	value;	/* the first stored value seen */
	};

	explicit GroupSpy(const struct xs_query *q) : q_(q),
	    sel_(q->nfgroups), counts_(q->nfgroups), index_(q->nfgroups),
	    buckets_(q->nfgroups), store_(q->nfgroups), vals_(q->nfgroups)
	{
		for (size_t i = 0; i < q->nfgroups; i++) {
			const struct xs_fgroup *g = &q->fgroups[i];

			for (size_t j = 0; !g->numeric && j < g->nsel; j++)
				sel_[i].emplace_back(g->sel[j]);
			buckets_[i].assign(g->numeric ? g->nbuckets : 0, 0);
			if (q->fpack && g->slot < 256)
				group_of_[g->slot] = (int)i + 1;
		}
	}

	/*
	 * The groups' values of doc, as views into the packed value or into
	 * a copy of each slot's value (valid until the next document).
	 */
	void load(const Xapian::Document &doc)
	{
		size_t	i, len;
		int	g;

		if (!q_->fpack) {
			for (i = 0; i < q_->nfgroups; i++) {
				store_[i] = doc.get_value(q_->fgroups[i].slot);
				vals_[i] = std::string_view(store_[i]);
			}
			return;
		}
		for (i = 0; i < q_->nfgroups; i++)
			vals_[i] = std::string_view();
		pack_ = doc.get_value(q_->fpack_slot);
		/* Records: slot (1 byte), length (2 bytes, big-endian), bytes. */
		for (i = 0; i + 3 <= pack_.size(); i += 3 + len) {
			len = ((unsigned char)pack_[i + 1] << 8) |
			    (unsigned char)pack_[i + 2];
			if (i + 3 + len > pack_.size())
				break;
			if ((g = group_of_[(unsigned char)pack_[i]]) != 0)
				vals_[g - 1] = std::string_view(pack_.data() +
				    i + 3, len);
		}
	}

	void operator()(const Xapian::Document &doc, double) override
	{
		size_t	i, nfail = 0, failed = 0;

		load(doc);
		for (i = 0; i < q_->nfgroups; i++) {
			if (!passes(i)) {
				if (++nfail > 1)
					return;
				failed = i;
			}
		}
		for (i = 0; i < q_->nfgroups; i++)
			if (nfail == 0 || i == failed)
				tally(i);
	}

	/* Moves the counts into r.gfacets. */
	void result(struct result &r)
	{
		for (size_t i = 0; i < q_->nfgroups; i++) {
			facet	f;

			f.slot = q_->fgroups[i].slot;
			if (q_->fgroups[i].numeric) {
				for (auto n : buckets_[i])
					f.values.emplace_back(std::string(), n);
			} else {
				for (auto &c : counts_[i])
					f.values.emplace_back(c.value, c.n);
				std::sort(f.values.begin(), f.values.end(),
				    facet_order);
			}
			r.gfacets.push_back(std::move(f));
		}
	}

private:
	/* The number in a value stored by xs_doc_value_num. */
	static double
	number(std::string_view v)
	{
		return (Xapian::sortable_unserialise(std::string(v)));
	}

	/* Calls fn(key, whole) for each value of a stored list. */
	template <typename F> static bool
	each(std::string_view v, F fn)
	{
		size_t	start = 0, end, tab;

		while (start < v.size()) {
			if ((end = v.find(XS_MV_SEP, start)) ==
			    std::string_view::npos)
				end = v.size();
			if (end > start) {
				tab = v.find('\t', start);
				if (tab == std::string_view::npos || tab > end)
					tab = end;
				if (fn(v.substr(start, tab - start),
				    v.substr(start, end - start)))
					return (true);
			}
			start = end + 1;
		}
		return (false);
	}

	bool passes(size_t i)
	{
		const struct xs_fgroup	*g = &q_->fgroups[i];
		std::string_view	 v = vals_[i];
		double			 x;

		if (g->numeric) {
			if (!g->has_range)
				return (true);
			if (v.empty())
				return (false);
			x = number(v);
			return (x >= g->lo && x <= g->hi);
		}
		if (sel_[i].empty())
			return (true);
		return (each(v, [&](std::string_view k, std::string_view) {
			for (auto &s : sel_[i])
				if (k == s)
					return (true);
			return (false);
		}));
	}

	void tally(size_t i)
	{
		const struct xs_fgroup	*g = &q_->fgroups[i];
		std::string_view	 v = vals_[i];
		double			 x;

		if (g->numeric) {
			if (v.empty())
				return;
			x = number(v);
			for (size_t b = 0; b < g->nbuckets; b++)
				if (x >= g->blo[b] && x <= g->bhi[b])
					buckets_[i][b]++;
			return;
		}
		(void)each(v, [&](std::string_view k, std::string_view whole) {
			auto	it = index_[i].find(k);

			if (it != index_[i].end()) {
				it->second->n++;
				return (false);
			}
			/* A deque does not move its elements: keys stay valid. */
			counts_[i].push_back(count{1, std::string(whole)});
			index_[i].emplace(std::string_view(
			    counts_[i].back().value).substr(0, k.size()),
			    &counts_[i].back());
			return (false);
		});
	}

	const struct xs_query					*q_;
	int							 group_of_[256] = {};
	std::string						 pack_;
	std::vector<std::vector<std::string>>			 sel_;
	std::vector<std::deque<count>>				 counts_;
	std::vector<std::unordered_map<std::string_view, count *>> index_;
	std::vector<std::vector<unsigned>>			 buckets_;
	std::vector<std::string>				 store_;
	std::vector<std::string_view>				 vals_;
};

/*
 * Compact facet counting.  GroupSpy above reads and splits every facet
 * slot of every matching document as a string, on every search: on
 * 25,000 listings with a dozen facets that is most of a search's time.
 * Here each slot is decoded once per index revision (struct rcache):
 * a term slot into ids per docid (values interned, the key before the
 * TAB to an id of its own), a numeric slot into a double per docid.  A
 * search then resolves the selections to key ids once and, per matching
 * document, looks at small integers only.
 *
 * The counting runs as its own pass with BoolWeight (no BM25 to
 * compute), the text query without the groups' selections, and
 * GroupDecider as the MatchDecider: Xapian offers it every document the
 * text matches (check_at_least = the document count), it tallies the
 * document for the groups GroupSpy would (and the facet slots for the
 * documents passing every selection) and rejects it, so nothing is kept
 * for an MSet.  The hits come from the selections' terms as before, but
 * that pass no longer has to see every match (the total is the counting
 * pass's), so Xapian may stop early.  One full pass instead of two or
 * three, over integers instead of strings.  test_xsfacet.c compares the
 * two ways on the same searches and both with counts made from the
 * corpus directly.
 */

/* Returns db's cache for its current revision, emptied if that changed. */
static rcache &
cache_get(struct xs_db *xdb)
{
	Xapian::Database	&db = xdb->db;
	Xapian::rev		 rev = db.get_revision();
	std::string		 uuid = db.get_uuid();

	if (xdb->cache && xdb->cache->rev == rev && xdb->cache->uuid == uuid)
		return (*xdb->cache);
	std::unique_ptr<rcache> c(new rcache());
	c->rev = rev;
	c->uuid = uuid;
	c->maxdid = db.get_lastdocid();
	c->docid_is_id = db.get_metadata(DOCID_KEY) == DOCID_IS_ID;
	xdb->cache = std::move(c);
	return (*xdb->cache);
}

static const slot_terms &
cache_terms(Xapian::Database &db, rcache &c, unsigned slot)
{
	auto	found = c.terms.find(slot);

	if (found != c.terms.end())
		return (*found->second);

	std::unique_ptr<slot_terms>			 t(new slot_terms());
	std::unordered_map<std::string, uint32_t>	 wholes;
	Xapian::docid					 next = 1, d;

	t->start.assign(c.maxdid + 2, 0);
	for (auto it = db.valuestream_begin(slot);
	    it != db.valuestream_end(slot); ++it) {
		const std::string	v = *it;
		size_t			start = 0, end, tab;

		if ((d = it.get_docid()) > c.maxdid)
			break;
		for (; next <= d; next++)
			t->start[next] = t->ent.size();
		/* The pieces as GroupSpy::each() cuts them. */
		while (start < v.size()) {
			if ((end = v.find(XS_MV_SEP, start)) ==
			    std::string::npos)
				end = v.size();
			if (end > start) {
				std::string	w(v, start, end - start);
				uint32_t	id;

				tab = w.find('\t');
				auto wi = wholes.find(w);
				if (wi == wholes.end()) {
					std::string key(w, 0, tab ==
					    std::string::npos ? w.size() : tab);
					auto ki = t->keys.emplace(key,
					    (uint32_t)t->keys.size()).first;
					id = (uint32_t)t->whole.size();
					wholes.emplace(w, id);
					t->whole.push_back(w);
					t->key_of.push_back(ki->second);
				} else
					id = wi->second;
				t->ent.push_back(id);
				t->kent.push_back(t->key_of[id]);
			}
			start = end + 1;
		}
	}
	for (; next <= c.maxdid + 1; next++)
		t->start[next] = t->ent.size();
	/* facet_order() compares values as strings: the same order, once. */
	std::vector<uint32_t>	byname(t->whole.size());
	for (uint32_t i = 0; i < byname.size(); i++)
		byname[i] = i;
	std::sort(byname.begin(), byname.end(), [&t](uint32_t a, uint32_t b) {
		return (t->whole[a] < t->whole[b]);
	});
	t->rank.resize(byname.size());
	for (uint32_t i = 0; i < byname.size(); i++)
		t->rank[byname[i]] = i;
	return (*(c.terms[slot] = std::move(t)));
}

static const slot_num &
cache_num(Xapian::Database &db, rcache &c, unsigned slot)
{
	auto	found = c.nums.find(slot);

	if (found != c.nums.end())
		return (*found->second);

	std::unique_ptr<slot_num>	n(new slot_num());
	Xapian::docid			d;

	n->v.assign(c.maxdid + 1, 0.0);
	n->has.assign(c.maxdid + 1, 0);
	for (auto it = db.valuestream_begin(slot);
	    it != db.valuestream_end(slot); ++it) {
		if ((d = it.get_docid()) > c.maxdid)
			break;
		const std::string v = *it;
		if (v.empty())
			continue;
		n->v[d] = Xapian::sortable_unserialise(v);
		n->has[d] = 1;
	}
	return (*(c.nums[slot] = std::move(n)));
}

static const slot_raw &
cache_raw(Xapian::Database &db, rcache &c, unsigned slot)
{
	auto	found = c.raws.find(slot);

	if (found != c.raws.end())
		return (*found->second);

	std::unique_ptr<slot_raw>			 r(new slot_raw());
	std::unordered_map<std::string, uint32_t>	 ids;
	Xapian::docid					 d;

	r->code.assign(c.maxdid + 1, 0);
	for (auto it = db.valuestream_begin(slot);
	    it != db.valuestream_end(slot); ++it) {
		if ((d = it.get_docid()) > c.maxdid)
			break;
		const std::string v = *it;
		if (v.empty())
			continue;
		auto ins = ids.emplace(v, (uint32_t)r->values.size());
		if (ins.second)
			r->values.push_back(v);
		r->code[d] = ins.first->second + 1;
	}
	return (*(c.raws[slot] = std::move(r)));
}

/*
 * The match set of the counting pass without Xapian's matcher, when it
 * can be had for less: the text query's tree is evaluated over bitsets of
 * docids (AND, OR, NOT as word operations), each term's posting list
 * decoded into a bitset once per revision and kept (up to BITS_MAX
 * terms).  A node whose matches are not a function of its terms' sets
 * (a phrase, NEAR, a wildcard, a value range, ...) is run through Xapian
 * once, as its own boolean query, and its set kept by the node's
 * description, which says everything that decides its matches under the
 * one QueryParser configuration of this file.  On 25,000 documents a set
 * is 3 KB; a query of common words then costs a few microseconds instead
 * of a pass over tens of thousands of postings.
 */
#define BITS_MAX	2048

/*
 * Bits set in x.  Not __builtin_popcountll: without -mpopcnt (the build
 * targets any x86-64) that is a call into libgcc's table lookup.
 */
static inline unsigned
popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return ((unsigned)((x * 0x0101010101010101ULL) >> 56));
}

struct bits {
	std::vector<uint64_t>	w;

	explicit bits(size_t nbits = 0) : w((nbits + 63) / 64, 0) { }
	void set(Xapian::docid d) { w[d >> 6] |= (uint64_t)1 << (d & 63); }
	bool has(Xapian::docid d) const
	{
		return ((d >> 6) < w.size() &&
		    (w[d >> 6] >> (d & 63) & 1) != 0);
	}
	unsigned count() const
	{
		unsigned n = 0;

		for (auto x : w)
			n += popcount64(x);
		return (n);
	}
	/* Calls fn(docid) for each member, ascending. */
	template <typename F> void each(F fn) const
	{
		for (size_t k = 0; k < w.size(); k++)
			for (uint64_t x = w[k]; x != 0; x &= x - 1)
				fn((Xapian::docid)(k * 64 +
				    (unsigned)__builtin_ctzll(x)));
	}
};

/* |a & b|, and the first member of a & b in *first (0: none). */
static unsigned
bits_and_count(const bits &a, const bits &b, Xapian::docid *first)
{
	size_t		k, n = std::min(a.w.size(), b.w.size());
	unsigned	c = 0;
	uint64_t	x;

	*first = 0;
	for (k = 0; k < n; k++) {
		if ((x = a.w[k] & b.w[k]) == 0)
			continue;
		if (*first == 0)
			*first = (Xapian::docid)(k * 64 +
			    (unsigned)__builtin_ctzll(x));
		c += popcount64(x);
	}
	return (c);
}

/* Records every document it is offered and rejects it: a counting pass. */
class Collect : public Xapian::MatchDecider {
public:
	explicit Collect(bits &b) : b_(b) { }
	bool operator()(const Xapian::Document &doc) const override
	{
		Xapian::docid d = doc.get_docid();

		if ((d >> 6) < b_.w.size())
			b_.set(d);
		return (false);
	}
private:
	bits	&b_;
};

static std::shared_ptr<const bits>
bits_keep(rcache &c, const std::string &key, std::shared_ptr<const bits> b)
{
	if (c.bits.size() >= BITS_MAX)
		c.bits.clear();
	c.bits.emplace(key, b);
	return (b);
}

/* The documents of one term. */
static std::shared_ptr<const bits>
bits_term(Xapian::Database &db, rcache &c, const std::string &term)
{
	std::string	key("T" + term);
	auto		found = c.bits.find(key);

	if (found != c.bits.end())
		return (found->second);
	std::shared_ptr<bits> b(new bits(c.maxdid + 1));
	for (auto p = db.postlist_begin(term); p != db.postlist_end(term);
	    ++p) {
		Xapian::docid d = *p;
		if (d <= c.maxdid)
			b->set(d);
	}
	return (bits_keep(c, key, b));
}

/* The documents of any query, as Xapian matches them (kept by node). */
static std::shared_ptr<const bits>
bits_xapian(Xapian::Database &db, rcache &c, const Xapian::Query &q)
{
	std::string	key("Q" + q.get_description());
	auto		found = c.bits.find(key);

	if (found != c.bits.end())
		return (found->second);
	std::shared_ptr<bits>	b(new bits(c.maxdid + 1));
	Collect			collect(*b);
	Xapian::Enquire		enq(db);

	enq.set_query(q);
	enq.set_weighting_scheme(Xapian::BoolWeight());
	(void)enq.get_mset(0, 0, db.get_doccount(), NULL, &collect);
	return (bits_keep(c, key, b));
}

/* out = the documents q matches. */
static void
bits_eval(Xapian::Database &db, rcache &c, const Xapian::Query &q, bits &out)
{
	size_t	i, n = q.get_num_subqueries();
	bits	tmp;

	out.w.assign((c.maxdid + 64) / 64, 0);
	switch (q.get_type()) {
	case Xapian::Query::LEAF_MATCH_NOTHING:
		return;
	case Xapian::Query::LEAF_MATCH_ALL:
		out = *bits_term(db, c, std::string());
		return;
	case Xapian::Query::LEAF_TERM:
		out = *bits_term(db, c, *q.get_terms_begin());
		return;
	case Xapian::Query::OP_SCALE_WEIGHT:
	case Xapian::Query::OP_AND_MAYBE:
		bits_eval(db, c, q.get_subquery(0), out);
		return;
	case Xapian::Query::OP_AND:
	case Xapian::Query::OP_FILTER:
	case Xapian::Query::OP_OR:
	case Xapian::Query::OP_SYNONYM:
	case Xapian::Query::OP_MAX:
	case Xapian::Query::OP_AND_NOT:
		break;
	default:
		out = *bits_xapian(db, c, q);
		return;
	}
	if (n == 0)
		return;
	bits_eval(db, c, q.get_subquery(0), out);
	for (i = 1; i < n; i++) {
		bits_eval(db, c, q.get_subquery(i), tmp);
		switch (q.get_type()) {
		case Xapian::Query::OP_AND:
		case Xapian::Query::OP_FILTER:
			for (size_t k = 0; k < out.w.size(); k++)
				out.w[k] &= tmp.w[k];
			break;
		case Xapian::Query::OP_AND_NOT:
			for (size_t k = 0; k < out.w.size(); k++)
				out.w[k] &= ~tmp.w[k];
			break;
		default:
			for (size_t k = 0; k < out.w.size(); k++)
				out.w[k] |= tmp.w[k];
			break;
		}
	}
}

/* Term slots with at most this many keys are counted by intersections. */
#define KBITS_MAX	64

/* The documents of each key of a term slot (t has at most KBITS_MAX). */
static const std::vector<bits> &
bits_keys(Xapian::Database &db, rcache &c, unsigned slot, const slot_terms &t)
{
	auto	found = c.kbits.find(slot);

	(void)db;
	if (found != c.kbits.end())
		return (found->second);
	std::vector<bits>	kb(t.keys.size(), bits(c.maxdid + 1));
	Xapian::docid		d;

	for (d = 1; d + 1 < t.start.size(); d++)
		for (uint32_t e = t.start[d]; e < t.start[d + 1]; e++)
			kb[t.kent[e]].set(d);
	return (c.kbits[slot] = std::move(kb));
}

/* The documents with a value in [lo, hi] in a numeric slot. */
static std::shared_ptr<const bits>
bits_bucket(rcache &c, unsigned slot, const slot_num &n, double lo, double hi)
{
	char	key[96];

	(void)snprintf(key, sizeof(key), "N%u:%a:%a", slot, lo, hi);
	auto found = c.bits.find(key);
	if (found != c.bits.end())
		return (found->second);
	std::shared_ptr<bits> b(new bits(c.maxdid + 1));
	for (Xapian::docid d = 1; d < n.has.size(); d++)
		if (n.has[d] && n.v[d] >= lo && n.v[d] <= hi)
			b->set(d);
	return (bits_keep(c, key, b));
}

class GroupDecider : public Xapian::MatchDecider {
public:
	GroupDecider(Xapian::Database &db, rcache &c,
	    const struct xs_query *q) : n_(q->nfgroups), g_(n_)
	{
		for (size_t i = 0; i < n_; i++) {
			const struct xs_fgroup	*fg = &q->fgroups[i];
			grp			&g = g_[i];

			g.fg = fg;
			g.selects = fg->numeric ? fg->has_range != 0 :
			    fg->nsel > 0;
			if (fg->numeric) {
				g.num = &cache_num(db, c, fg->slot);
				g.buckets.assign(fg->nbuckets, 0);
				continue;
			}
			g.terms = &cache_terms(db, c, fg->slot);
			g.sel.assign(g.terms->keys.size(), 0);
			for (size_t j = 0; j < fg->nsel; j++) {
				auto k = g.terms->keys.find(fg->sel[j]);
				if (k != g.terms->keys.end())
					g.sel[k->second] = 1;
			}
			g.counts.assign(g.terms->keys.size(), 0);
			g.first.assign(g.terms->keys.size(), 0);
		}
		for (size_t i = 0; i < q->nfacets; i++) {
			raw_.push_back(&cache_raw(db, c, q->facet_slots[i]));
			slots_.push_back(q->facet_slots[i]);
			rcounts_.emplace_back(raw_.back()->values.size(), 0);
		}
	}

	bool operator()(const Xapian::Document &doc) const override
	{
		consider(doc.get_docid());
		/* A counting pass: nothing is kept for an MSet. */
		return (false);
	}

	/*
	 * Counts over the match set m what consider() on each member, in
	 * ascending order, would count, with set operations: the documents
	 * a group counts are those in m passing every other group's
	 * selection; for a group of few keys each key's count is the size of
	 * that set's intersection with the key's documents (kept per
	 * revision), a numeric bucket likewise; only groups of many keys
	 * (categories, runs-on hosts) are tallied document by document.
	 */
	void count_set(Xapian::Database &db, rcache &c, const bits &m)
	{
		std::vector<bits>	sel(n_);
		std::vector<size_t>	sg;
		bits			a, b;
		size_t			i, k;
		unsigned		na;

		/*
		 * Fewer matches than a quarter of the words: one by one (the
		 * same counts, without the set-up of the sets).
		 */
		if ((size_t)m.count() * 4 < m.w.size()) {
			m.each([&](Xapian::docid d) { consider(d); });
			return;
		}
		a = m;

		for (i = 0; i < n_; i++) {
			if (!g_[i].selects)
				continue;
			sg.push_back(i);
			sel[i].w.assign(m.w.size(), 0);
			m.each([&](Xapian::docid d) {
				if (passes(g_[i], d))
					sel[i].set(d);
			});
			for (k = 0; k < a.w.size(); k++)
				a.w[k] &= sel[i].w[k];
		}
		total_ = na = a.count();
		for (i = 0; i < n_; i++) {
			const bits	*bg = &a;

			if (g_[i].selects) {
				b = m;
				for (auto h : sg)
					if (h != i)
						for (k = 0; k < b.w.size(); k++)
							b.w[k] &= sel[h].w[k];
				bg = &b;
			}
			count_group(db, c, g_[i], *bg, bg == &a ? na :
			    bg->count());
		}
		for (i = 0; i < raw_.size(); i++)
			a.each([&](Xapian::docid d) {
				if (d < raw_[i]->code.size() &&
				    raw_[i]->code[d] != 0)
					rcounts_[i][raw_[i]->code[d] - 1]++;
			});
	}

	/* Whether document d passes every selection. */
	bool accepts(Xapian::docid d) const
	{
		for (size_t i = 0; i < n_; i++)
			if (!passes(g_[i], d))
				return (false);
		return (true);
	}

	/* Tallies document d, one the text matches. */
	void consider(Xapian::docid d) const
	{
		size_t		i, nfail = 0, failed = 0;

		for (i = 0; i < n_; i++) {
			if (!passes(g_[i], d)) {
				if (++nfail > 1)
					return;
				failed = i;
			}
		}
		for (i = 0; i < n_; i++)
			if (nfail == 0 || i == failed)
				tally(g_[i], d);
		if (nfail == 0) {
			total_++;
			for (i = 0; i < raw_.size(); i++)
				if (d < raw_[i]->code.size() &&
				    raw_[i]->code[d] != 0)
					rcounts_[i][raw_[i]->code[d] - 1]++;
		}
	}

	unsigned total() const { return (total_); }

	/* The counts as GroupSpy::result() gives them. */
	void result(struct result &r) const
	{
		for (size_t i = 0; i < n_; i++) {
			const grp	&g = g_[i];
			facet		 f;

			f.slot = g.fg->slot;
			if (g.fg->numeric) {
				for (auto n : g.buckets)
					f.values.emplace_back(std::string(), n);
			} else {
				std::vector<uint32_t>	ks(g.touched);

				/* facet_order(), on integers. */
				std::sort(ks.begin(), ks.end(), [&g](uint32_t a,
				    uint32_t b) {
					if (g.counts[a] != g.counts[b])
						return (g.counts[a] >
						    g.counts[b]);
					return (g.terms->rank[g.first[a]] <
					    g.terms->rank[g.first[b]]);
				});
				f.values.reserve(ks.size());
				for (auto k : ks)
					f.values.emplace_back(
					    g.terms->whole[g.first[k]],
					    g.counts[k]);
			}
			r.gfacets.push_back(std::move(f));
		}
		for (size_t i = 0; i < raw_.size(); i++) {
			facet	f;

			f.slot = slots_[i];
			for (size_t k = 0; k < rcounts_[i].size(); k++)
				if (rcounts_[i][k] > 0)
					f.values.emplace_back(raw_[i]->values[k],
					    rcounts_[i][k]);
			std::sort(f.values.begin(), f.values.end(),
			    facet_order);
			r.facets.push_back(std::move(f));
		}
	}

private:
	struct grp {
		const struct xs_fgroup		*fg = nullptr;
		bool				 selects = false;
		const slot_terms		*terms = nullptr;
		const slot_num			*num = nullptr;
		std::vector<unsigned char>	 sel;	/* by key id */
		mutable std::vector<unsigned>	 counts; /* by key id */
		mutable std::vector<uint32_t>	 first;	/* whole id seen first */
		mutable std::vector<uint32_t>	 touched; /* keys counted */
		mutable std::vector<unsigned>	 buckets;
	};

	static bool passes(const grp &g, Xapian::docid d)
	{
		if (!g.selects)
			return (true);
		if (g.num != nullptr) {
			if (d >= g.num->has.size() || !g.num->has[d])
				return (false);
			return (g.num->v[d] >= g.fg->lo &&
			    g.num->v[d] <= g.fg->hi);
		}
		if (d + 1 >= g.terms->start.size())
			return (false);
		for (uint32_t e = g.terms->start[d]; e < g.terms->start[d + 1];
		    e++)
			if (g.sel[g.terms->kent[e]])
				return (true);
		return (false);
	}

	/* One group's counts over the documents b it counts. */
	static void count_group(Xapian::Database &db, rcache &c, const grp &g,
	    const bits &b, unsigned nb)
	{
		Xapian::docid	d;
		size_t		k, nkeys;

		/*
		 * Intersections cost a pass over every word per key; a few
		 * documents are cheaper one by one.
		 */
		nkeys = g.num != nullptr ? g.fg->nbuckets : g.terms->keys.size();
		if (nkeys > KBITS_MAX || (size_t)nb * 16 < nkeys * b.w.size()) {
			b.each([&](Xapian::docid x) { tally(g, x); });
			return;
		}
		if (g.num != nullptr) {
			for (k = 0; k < g.fg->nbuckets; k++)
				g.buckets[k] = bits_and_count(b, *bits_bucket(c,
				    g.fg->slot, *g.num, g.fg->blo[k],
				    g.fg->bhi[k]), &d);
			return;
		}
		const std::vector<bits> &kb = bits_keys(db, c, g.fg->slot,
		    *g.terms);
		for (k = 0; k < kb.size(); k++) {
			g.counts[k] = bits_and_count(b, kb[k], &d);
			if (g.counts[k] == 0)
				continue;
			g.touched.push_back((uint32_t)k);
			/* The value of the first document, as tally() keeps. */
			for (uint32_t e = g.terms->start[d];
			    e < g.terms->start[d + 1]; e++)
				if (g.terms->kent[e] == k) {
					g.first[k] = g.terms->ent[e];
					break;
				}
		}
	}

	static void tally(const grp &g, Xapian::docid d)
	{
		if (g.num != nullptr) {
			if (d >= g.num->has.size() || !g.num->has[d])
				return;
			double x = g.num->v[d];
			for (size_t b = 0; b < g.fg->nbuckets; b++)
				if (x >= g.fg->blo[b] && x <= g.fg->bhi[b])
					g.buckets[b]++;
			return;
		}
		if (d + 1 >= g.terms->start.size())
			return;
		for (uint32_t e = g.terms->start[d]; e < g.terms->start[d + 1];
		    e++) {
			uint32_t k = g.terms->kent[e];
			if (g.counts[k]++ == 0) {
				g.first[k] = g.terms->ent[e];
				g.touched.push_back(k);
			}
		}
	}

	size_t				 n_;
	std::vector<grp>		 g_;
	std::vector<const slot_raw *>	 raw_;	/* facet_slots */
	std::vector<unsigned>		 slots_;
	mutable std::vector<std::vector<unsigned>> rcounts_;
	mutable unsigned		 total_ = 0;
};


/*
 * A search without words (the catalog's first page, browsing by filters)
 * matches every document with weight 0, so its order is the tie-break or
 * sort slot alone, then the docid: Xapian would read that slot for every
 * document on every such search.  The order is made once per revision
 * (match_all_order) and the hits are the first documents in it that pass
 * every selection.  Without selections the counts too are a function of
 * the revision alone, and are kept (struct counted), which is what the
 * catalog's front page asks for most.
 */
struct counted {
	unsigned		total;
	std::vector<facet>	gfacets;
	std::vector<facet>	facets;
};

/* Fills v[i].*field with slot's value of the docid v[i].did. */
struct order_row {
	std::string	value, tie;
	Xapian::docid	did;
};

static void
order_values(Xapian::Database &db, unsigned slot, std::vector<order_row> &v,
    std::string order_row::*field)
{
	size_t	i = 0;

	/* Both lists ascend by docid. */
	for (auto it = db.valuestream_begin(slot);
	    it != db.valuestream_end(slot); ++it) {
		while (i < v.size() && v[i].did < it.get_docid())
			i++;
		if (i < v.size() && v[i].did == it.get_docid())
			v[i].*field = *it;
	}
}

/*
 * Every document in the order Xapian gives a search without words: by
 * slot's value (descending if desc; none: by docid), then by tieslot's
 * value ascending (XS_NOSLOT: none), then by docid.
 */
static const std::vector<Xapian::docid> &
match_all_order(Xapian::Database &db, rcache &c, unsigned slot, bool desc,
    unsigned tieslot)
{
	std::string	key((desc ? "D" : "A") + std::to_string(slot) + "." +
			    std::to_string(tieslot));
	auto		found = c.orders.find(key);

	if (found != c.orders.end())
		return (found->second);

	std::vector<order_row>		v;
	std::vector<Xapian::docid>	order;

	for (auto p = db.postlist_begin(std::string());
	    p != db.postlist_end(std::string()); ++p)
		v.push_back(order_row{std::string(), std::string(), *p});
	if (slot != XS_NOSLOT) {
		order_values(db, slot, v, &order_row::value);
		if (tieslot != XS_NOSLOT)
			order_values(db, tieslot, v, &order_row::tie);
		std::stable_sort(v.begin(), v.end(), [desc](
		    const order_row &a, const order_row &b) {
			if (a.value != b.value)
				return (desc ? a.value > b.value :
				    a.value < b.value);
			return (a.tie < b.tie);
		});
	}
	order.reserve(v.size());
	for (auto &e : v)
		order.push_back(e.did);
	return (c.orders[key] = std::move(order));
}

/* What decides the counts of a search without words or selections. */
static std::string
counted_key(const struct xs_query *q)
{
	std::string	k;
	char		b[64];
	size_t		i, j;

	for (i = 0; i < q->nfgroups; i++) {
		const struct xs_fgroup *g = &q->fgroups[i];

		(void)snprintf(b, sizeof(b), "g%u.%d.%zu", g->slot, g->numeric,
		    g->numeric ? g->nbuckets : 0);
		k += b;
		for (j = 0; g->numeric && j < g->nbuckets; j++) {
			(void)snprintf(b, sizeof(b), ",%a,%a", g->blo[j],
			    g->bhi[j]);
			k += b;
		}
	}
	for (i = 0; i < q->nfacets; i++) {
		(void)snprintf(b, sizeof(b), "f%u", q->facet_slots[i]);
		k += b;
	}
	return (k + (q->fcount ? "c" : "n"));
}

/*
 * One attempt at a search; throws on any error.  q->fcount ==
 * XS_FCOUNT_SPY takes the straightforward way (GroupSpy, a second pass,
 * ValueCountMatchSpy) that the tests compare the compact one with.
 */
static void
run_search(struct xs_db *xdb, const struct xs_query *q, struct result &r)
{
	Xapian::Database					&db = xdb->db;
	std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>>	spies;
	std::unique_ptr<GroupSpy>				gspy;
	std::unique_ptr<GroupDecider>				gdec;
	Xapian::Query		query, filter;
	Xapian::doccount	ndocs;
	Xapian::MSet		mset;
	size_t			i, len;
	bool			relaxed, gsel, reference, counting, match_all;
	unsigned		vtie;
	const std::vector<Xapian::docid>			*ids;
	std::vector<Xapian::docid>				hitids;
	std::vector<std::tuple<Xapian::docid, double, int>>	hits;

	r = result();
	rcache &c = cache_get(xdb);
	reference = q->fcount == XS_FCOUNT_SPY;
	/* Also a bare count (limit 0) with facet groups: the same pass. */
	counting = (q->fcount && q->nfgroups > 0) || q->nfacets > 0 ||
	    (q->limit == 0 && q->nfgroups > 0);
	query = parse_text(db, q, &relaxed);
	bool all = query.get_type() == Xapian::Query::LEAF_MATCH_ALL;
	filter = filter_query(q);
	if (!filter.empty())
		query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
	/* Facet groups: counted on query, hits filtered by their selections. */
	Xapian::Query gquery(query);
	gsel = false;
	for (i = 0; i < q->nfgroups; i++)
		gsel = gsel || fgroup_selects(&q->fgroups[i]);
	if (gsel)
		query = Xapian::Query(Xapian::Query::OP_FILTER, query,
		    fgroup_filter(q));
	ndocs = db.get_doccount();

	Xapian::Enquire enq(db);
	Xapian::MultiValueKeyMaker km;
	enq.set_query(query);
	if (q->sort == XS_SORT_VALUE && q->value_tiebreak && all &&
	    q->tiebreak_slot != XS_NOSLOT) {
		/* No text: every weight is 0, so tie on the fair slot. */
		km.add_value(q->sort_slot, q->sort_desc != 0);
		km.add_value(q->tiebreak_slot, false);
		enq.set_sort_by_key(&km, false);
	} else if (q->sort == XS_SORT_VALUE)
		enq.set_sort_by_value_then_relevance(q->sort_slot,
		    q->sort_desc != 0);
	else if (q->tiebreak_slot != XS_NOSLOT)
		enq.set_sort_by_relevance_then_value(q->tiebreak_slot, false);

	match_all = gquery.get_type() == Xapian::Query::LEAF_MATCH_ALL &&
	    counting && !reference && q->fcount != XS_FCOUNT_MATCHER;
	/* The tie order of a value sort without words (see km above). */
	vtie = q->value_tiebreak && q->tiebreak_slot != XS_NOSLOT ?
	    q->tiebreak_slot : XS_NOSLOT;
	if (match_all && !gsel) {
		std::string	key(counted_key(q));
		auto		found = c.counted.find(key);

		if (found == c.counted.end()) {
			GroupDecider	dec(db, c, q);
			result		cr;

			dec.count_set(db, c, *bits_term(db, c, std::string()));
			dec.result(cr);
			std::shared_ptr<counted> k(new counted());
			k->total = dec.total();
			k->gfacets = std::move(cr.gfacets);
			k->facets = std::move(cr.facets);
			found = c.counted.emplace(key, k).first;
		}
		r.total = found->second->total;
		if (q->fcount)
			r.gfacets = found->second->gfacets;
		r.facets = found->second->facets;
		r.exact = true;
		ids = q->sort == XS_SORT_VALUE ? &match_all_order(db, c,
		    q->sort_slot, q->sort_desc != 0, vtie) :
		    &match_all_order(db, c, q->tiebreak_slot, false,
		    XS_NOSLOT);
		for (i = q->offset; i < ids->size() &&
		    hitids.size() < q->limit; i++)
			hitids.push_back((*ids)[i]);
		mset = enq.get_mset(0, 0);
	} else if (counting && !reference) {
		Xapian::Enquire	cenq(db);

		gdec.reset(new GroupDecider(db, c, q));
		if (q->fcount == XS_FCOUNT_MATCHER) {
			cenq.set_query(gquery);
			cenq.set_weighting_scheme(Xapian::BoolWeight());
			(void)cenq.get_mset(0, 0, ndocs, NULL, gdec.get());
		} else {
			bits	m;

			bits_eval(db, c, gquery, m);
			gdec->count_set(db, c, m);
		}
		gdec->result(r);
		if (!q->fcount)
			r.gfacets.clear();
		r.total = gdec->total();
		r.exact = true;
		if (match_all) {
			/* The first documents in order that pass. */
			unsigned	skip = q->offset;

			ids = q->sort == XS_SORT_VALUE ? &match_all_order(db,
			    c, q->sort_slot, q->sort_desc != 0, vtie) :
			    &match_all_order(db, c, q->tiebreak_slot, false,
			    XS_NOSLOT);
			for (i = 0; i < ids->size() &&
			    hitids.size() < q->limit; i++) {
				if (!gdec->accepts((*ids)[i]))
					continue;
				if (skip > 0)
					skip--;
				else
					hitids.push_back((*ids)[i]);
			}
			mset = enq.get_mset(0, 0);
		} else {
			/* The counting pass saw every match: hits need not. */
			mset = enq.get_mset(q->offset, q->limit);
		}
	} else {
		if (q->fcount && q->nfgroups > 0)
			gspy.reset(new GroupSpy(q));
		for (i = 0; i < q->nfacets; i++) {
			spies.emplace_back(new Xapian::ValueCountMatchSpy(
			    q->facet_slots[i]));
			enq.add_matchspy(spies.back().get());
		}
		if (gspy && !gsel)
			enq.add_matchspy(gspy.get());

		/* Looking at every document makes the count and the facets exact. */
		mset = enq.get_mset(q->offset, q->limit, ndocs);
		if (gspy && gsel) {
			/* One more pass without the selections, for the counts. */
			Xapian::Enquire genq(db);

			genq.set_query(gquery);
			genq.set_weighting_scheme(Xapian::BoolWeight());
			genq.add_matchspy(gspy.get());
			(void)genq.get_mset(0, 0, ndocs);
		}
		if (gspy)
			gspy->result(r);
		r.total = mset.get_matches_estimated();
		r.exact = mset.get_matches_lower_bound() ==
		    mset.get_matches_upper_bound();
		for (i = 0; i < q->nfacets; i++) {
			facet f;

			f.slot = q->facet_slots[i];
			for (auto v = spies[i]->values_begin();
			    v != spies[i]->values_end(); ++v)
				f.values.emplace_back(*v, v.get_termfreq());
			std::sort(f.values.begin(), f.values.end(),
			    facet_order);
			r.facets.push_back(std::move(f));
		}
	}
	r.relaxed = relaxed;

	len = q->snippet_len != 0 ? q->snippet_len : XS_SNIPPET_LEN;
	/* Without words every weight is 0, which Xapian shows as 100%. */
	for (i = 0; i < hitids.size(); i++)
		hits.push_back(std::make_tuple(hitids[i], 0.0, 100));
	for (auto it = mset.begin(); it != mset.end(); ++it)
		hits.push_back(std::make_tuple(*it, it.get_weight(),
		    it.get_percent()));
	for (auto &t : hits) {
		Xapian::Document	doc = db.get_document(std::get<0>(t));
		hit			h;

		h.id = c.docid_is_id ? (int64_t)std::get<0>(t) : doc_id(doc);
		h.weight = std::get<1>(t);
		h.percent = std::get<2>(t);
		h.data = doc.get_data();
		h.has_snippet = q->snippet_slot != XS_NOSLOT;
		/*
		 * No SNIPPET_BACKGROUND_MODEL: it looks up the frequency of
		 * every word of every snippet, which cost 0.45 ms a page of 20
		 * on a 25,000-listing index, for little gain on short texts.
		 */
		if (h.has_snippet)
			h.snippet = html_snippet(mset.snippet(
			    utf8_clean(doc.get_value(q->snippet_slot)), len,
			    english_stem(),
			    Xapian::MSet::SNIPPET_EXHAUSTIVE |
			    Xapian::MSet::SNIPPET_CJK_NGRAM,
			    HI_START, HI_END, OMIT));
		r.hits.push_back(std::move(h));
	}
}

/* Returns a malloc'd NUL-terminated copy of s, or NULL. */
static char *
c_bytes(const std::string &s) noexcept
{
	char	*p;

	if ((p = (char *)std::malloc(s.size() + 1)) == NULL)
		return (NULL);
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return (p);
}

/* Copies facets into a new C array (*out, *nout); -1 if out of memory. */
static int
c_facets(const std::vector<facet> &fs, struct xs_facet **out,
    size_t *nout) noexcept
{
	size_t	i, j;

	if (fs.empty())
		return (0);
	if ((*out = (struct xs_facet *)std::calloc(fs.size(),
	    sizeof(**out))) == NULL)
		return (-1);
	for (i = 0; i < fs.size(); i++) {
		struct xs_facet	*cf = &(*out)[i];

		(*nout)++;
		cf->slot = fs[i].slot;
		if (fs[i].values.empty())
			continue;
		cf->values = (struct xs_facet_value *)std::calloc(
		    fs[i].values.size(), sizeof(*cf->values));
		if (cf->values == NULL)
			return (-1);
		for (j = 0; j < fs[i].values.size(); j++) {
			cf->nvalues++;
			cf->values[j].len = fs[i].values[j].first.size();
			cf->values[j].count = fs[i].values[j].second;
			if ((cf->values[j].value =
			    c_bytes(fs[i].values[j].first)) == NULL)
				return (-1);
		}
	}
	return (0);
}

/* Copies r into a new struct xs_result; NULL if out of memory. */
static struct xs_result *
c_result(const struct result &r) noexcept
{
	struct xs_result	*res;
	size_t			 i, j;

	if ((res = (struct xs_result *)std::calloc(1, sizeof(*res))) == NULL)
		return (NULL);
	res->total = r.total;
	res->exact = r.exact;
	res->relaxed = r.relaxed;
	if (!r.hits.empty()) {
		res->hits = (struct xs_hit *)std::calloc(r.hits.size(),
		    sizeof(*res->hits));
		if (res->hits == NULL)
			goto fail;
	}
	for (i = 0; i < r.hits.size(); i++) {
		const hit	*h = &r.hits[i];
		struct xs_hit	*ch = &res->hits[i];

		res->nhits++;
		ch->id = h->id;
		ch->weight = h->weight;
		ch->percent = h->percent;
		ch->datalen = h->data.size();
		if ((ch->data = c_bytes(h->data)) == NULL)
			goto fail;
		if (h->has_snippet && (ch->snippet = c_bytes(h->snippet)) == NULL)
			goto fail;
	}
	if (!r.facets.empty()) {
		res->facets = (struct xs_facet *)std::calloc(r.facets.size(),
		    sizeof(*res->facets));
		if (res->facets == NULL)
			goto fail;
	}
	for (i = 0; i < r.facets.size(); i++) {
		const facet	*f = &r.facets[i];
		struct xs_facet	*cf = &res->facets[i];

		res->nfacets++;
		cf->slot = f->slot;
		if (f->values.empty())
			continue;
		cf->values = (struct xs_facet_value *)std::calloc(
		    f->values.size(), sizeof(*cf->values));
		if (cf->values == NULL)
			goto fail;
		for (j = 0; j < f->values.size(); j++) {
			cf->nvalues++;
			cf->values[j].len = f->values[j].first.size();
			cf->values[j].count = f->values[j].second;
			if ((cf->values[j].value =
			    c_bytes(f->values[j].first)) == NULL)
				goto fail;
		}
	}
	if (c_facets(r.gfacets, &res->gfacets, &res->ngfacets) == -1)
		goto fail;
	return (res);
fail:
	xs_result_free(res);
	return (NULL);
}

static int
check_query(const struct xs_query *q, char *err, size_t errlen)
{
	size_t	i, j;

	if (q->text != NULL && std::strlen(q->text) > XS_QUERY_MAX) {
		xs_err(err, errlen, "xs_search", "", "query text too long",
		    NULL);
		return (XS_EQUERY);
	}
	if (q->limit > XS_LIMIT_MAX)
		return (xs_einval(err, errlen, "xs_search", "limit too large"));
	if (q->nprefixes > 0 && q->prefixes == NULL)
		return (xs_einval(err, errlen, "xs_search", "prefixes NULL"));
	for (i = 0; i < q->nprefixes; i++) {
		if (q->prefixes[i].field == NULL ||
		    q->prefixes[i].field[0] == '\0' ||
		    q->prefixes[i].prefix == NULL ||
		    q->prefixes[i].prefix[0] == '\0')
			return (xs_einval(err, errlen, "xs_search",
			    "empty prefix or field"));
	}
	if (q->ngroups > 0 && q->groups == NULL)
		return (xs_einval(err, errlen, "xs_search", "groups NULL"));
	for (i = 0; i < q->ngroups; i++) {
		if (q->groups[i].nterms > 0 && q->groups[i].terms == NULL)
			return (xs_einval(err, errlen, "xs_search",
			    "filter terms NULL"));
		for (j = 0; j < q->groups[i].nterms; j++) {
			const char *t = q->groups[i].terms[j];
			if (t == NULL || t[0] == '\0' ||
			    std::strlen(t) > XS_TERM_MAX)
				return (xs_einval(err, errlen, "xs_search",
				    "bad filter term"));
		}
	}
	if (q->nfgroups > 0 && q->fgroups == NULL)
		return (xs_einval(err, errlen, "xs_search", "fgroups NULL"));
	if (q->fpack && q->fpack_slot == XS_NOSLOT)
		return (xs_einval(err, errlen, "xs_search", "no pack slot"));
	for (i = 0; i < q->nfgroups; i++) {
		const struct xs_fgroup *g = &q->fgroups[i];

		if (q->fpack && g->slot >= 256)
			return (xs_einval(err, errlen, "xs_search",
			    "facet group slot not packable"));
		if (g->slot == XS_NOSLOT)
			return (xs_einval(err, errlen, "xs_search",
			    "bad facet group slot"));
		if (g->numeric) {
			if (g->nbuckets > 0 && (g->blo == NULL ||
			    g->bhi == NULL))
				return (xs_einval(err, errlen, "xs_search",
				    "buckets NULL"));
			continue;
		}
		if (g->nsel > 0 && (g->sel == NULL || g->prefix == NULL ||
		    g->prefix[0] == '\0' || g->prefix[0] == 'Q'))
			return (xs_einval(err, errlen, "xs_search",
			    "bad facet group selection"));
		for (j = 0; j < g->nsel; j++) {
			const char *t = g->sel[j];
			if (t == NULL || t[0] == '\0' || std::strlen(t) +
			    std::strlen(g->prefix) > XS_TERM_MAX)
				return (xs_einval(err, errlen, "xs_search",
				    "bad facet group value"));
		}
	}
	if (q->sort != XS_SORT_RELEVANCE && q->sort != XS_SORT_VALUE)
		return (xs_einval(err, errlen, "xs_search", "bad sort"));
	if (q->sort == XS_SORT_VALUE && q->sort_slot == XS_NOSLOT)
		return (xs_einval(err, errlen, "xs_search", "no sort slot"));
	if (q->nfacets > 0 && q->facet_slots == NULL)
		return (xs_einval(err, errlen, "xs_search", "facet_slots NULL"));
	for (i = 0; i < q->nfacets; i++) {
		if (q->facet_slots[i] == XS_NOSLOT)
			return (xs_einval(err, errlen, "xs_search",
			    "bad facet slot"));
	}
	return (XS_OK);
}

extern "C" {

struct xs_db *
xs_open(const char *path, char *err, size_t errlen)
{
	if (path == NULL || *path == '\0') {
		(void)xs_einval(err, errlen, "xs_open", "no path");
		return (NULL);
	}
	try {
		return (new xs_db{Xapian::Database(path), nullptr});
	} catch (...) {
		(void)xs_fail("xs_open", err, errlen);
		return (NULL);
	}
}

int
xs_reopen(struct xs_db *db, char *err, size_t errlen)
{
	if (db == NULL)
		return (xs_einval(err, errlen, "xs_reopen", "no database"));
	try {
		Xapian::rev	rev = db->db.get_revision();
		std::string	uuid = db->db.get_uuid();

		if (!db->db.reopen())
			return (0);
		return (rev != db->db.get_revision() ||
		    uuid != db->db.get_uuid() ? 1 : 0);
	} catch (...) {
		return (xs_fail("xs_reopen", err, errlen));
	}
}

unsigned
xs_doccount(struct xs_db *db)
{
	if (db == NULL)
		return (0);
	try {
		return (db->db.get_doccount());
	} catch (...) {
		return (0);
	}
}

void
xs_close(struct xs_db *db)
{
	try {
		delete db;
	} catch (...) {
	}
}

struct xs_writer *
xs_writer_open(const char *path, int overwrite, char *err, size_t errlen)
{
	int	flags;

	if (path == NULL || *path == '\0') {
		(void)xs_einval(err, errlen, "xs_writer_open", "no path");
		return (NULL);
	}
	flags = overwrite ? Xapian::DB_CREATE_OR_OVERWRITE :
	    Xapian::DB_CREATE_OR_OPEN;
	try {
		std::unique_ptr<xs_writer> w(new xs_writer{
		    Xapian::WritableDatabase(path, flags), false});

		/* docid = listing id in a new index, or one that says so. */
		if (w->db.get_lastdocid() == 0) {
			w->db.set_metadata(DOCID_KEY, DOCID_IS_ID);
			w->docid_is_id = true;
		} else
			w->docid_is_id = w->db.get_metadata(DOCID_KEY) ==
			    DOCID_IS_ID;
		return (w.release());
	} catch (...) {
		(void)xs_fail("xs_writer_open", err, errlen);
		return (NULL);
	}
}

int
xs_writer_put(struct xs_writer *w, const struct xs_doc *doc, char *err,
    size_t errlen)
{
	if (w == NULL || doc == NULL)
		return (xs_einval(err, errlen, "xs_writer_put", "NULL"));
	try {
		/*
		 * An id that cannot be a docid turns the index back to
		 * docids chosen by Xapian for good (readers then read the
		 * "Q" term); documents already placed keep their term.
		 */
		if (w->docid_is_id && (doc->id < 1 ||
		    doc->id > (int64_t)UINT32_MAX)) {
			w->db.set_metadata(DOCID_KEY, "term");
			w->docid_is_id = false;
		}
		if (w->docid_is_id)
			w->db.replace_document((Xapian::docid)doc->id,
			    doc->doc);
		else
			w->db.replace_document(doc->idterm, doc->doc);
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_writer_put", err, errlen));
	}
}

int
xs_writer_delete(struct xs_writer *w, int64_t id, char *err, size_t errlen)
{
	if (w == NULL)
		return (xs_einval(err, errlen, "xs_writer_delete", "NULL"));
	try {
		w->db.delete_document(id_term(id));
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_writer_delete", err, errlen));
	}
}

int
xs_writer_commit(struct xs_writer *w, char *err, size_t errlen)
{
	if (w == NULL)
		return (xs_einval(err, errlen, "xs_writer_commit", "NULL"));
	try {
		w->db.commit();
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_writer_commit", err, errlen));
	}
}

int
xs_writer_close(struct xs_writer *w, char *err, size_t errlen)
{
	int	rc = XS_OK;

	if (w == NULL)
		return (XS_OK);
	try {
		w->db.close();
	} catch (...) {
		rc = xs_fail("xs_writer_close", err, errlen);
	}
	try {
		delete w;
	} catch (...) {
	}
	return (rc);
}

struct xs_doc *
xs_doc_new(int64_t id, char *err, size_t errlen)
{
	struct xs_doc	*doc = NULL;

	try {
		doc = new xs_doc();
		doc->id = id;
		doc->idterm = id_term(id);
		doc->nfields = 0;
		doc->doc.add_boolean_term(doc->idterm);
		doc->tg.set_stemmer(english_stem());
		doc->tg.set_stemming_strategy(
		    Xapian::TermGenerator::STEM_SOME);
		doc->tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
		doc->tg.set_document(doc->doc);
		return (doc);
	} catch (...) {
		delete doc;
		(void)xs_fail("xs_doc_new", err, errlen);
		return (NULL);
	}
}

int
xs_doc_text(struct xs_doc *doc, const char *prefix, const char *text,
    unsigned weight, char *err, size_t errlen)
{
	if (doc == NULL || text == NULL || weight == 0)
		return (xs_einval(err, errlen, "xs_doc_text",
		    "NULL or zero weight"));
	if (prefix != NULL && prefix[0] == 'Q')
		return (xs_einval(err, errlen, "xs_doc_text",
		    "Q terms are reserved for ids"));
	try {
		if (doc->nfields++ > 0)
			doc->tg.increase_termpos(FIELD_GAP);
		if (prefix != NULL && *prefix != '\0') {
			doc->tg.index_text(text, weight, prefix);
			doc->tg.increase_termpos(FIELD_GAP);
		}
		doc->tg.index_text(text, weight);
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_doc_text", err, errlen));
	}
}

int
xs_doc_term(struct xs_doc *doc, const char *term, char *err, size_t errlen)
{
	size_t	len;

	if (doc == NULL || term == NULL)
		return (xs_einval(err, errlen, "xs_doc_term", "NULL"));
	len = std::strlen(term);
	if (len == 0 || len > XS_TERM_MAX)
		return (xs_einval(err, errlen, "xs_doc_term", "bad length"));
	if (term[0] == 'Q')
		return (xs_einval(err, errlen, "xs_doc_term",
		    "Q terms are reserved for ids"));
	try {
		doc->doc.add_boolean_term(term);
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_doc_term", err, errlen));
	}
}

int
xs_doc_value(struct xs_doc *doc, unsigned slot, const void *val, size_t len,
    char *err, size_t errlen)
{
	if (doc == NULL || slot == XS_NOSLOT || (val == NULL && len > 0))
		return (xs_einval(err, errlen, "xs_doc_value", "bad argument"));
	try {
		doc->doc.add_value(slot, len > 0 ?
		    std::string((const char *)val, len) : std::string());
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_doc_value", err, errlen));
	}
}

int
xs_doc_value_num(struct xs_doc *doc, unsigned slot, double v, char *err,
    size_t errlen)
{
	if (doc == NULL || slot == XS_NOSLOT)
		return (xs_einval(err, errlen, "xs_doc_value_num",
		    "bad argument"));
	try {
		doc->doc.add_value(slot, Xapian::sortable_serialise(v));
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_doc_value_num", err, errlen));
	}
}

int
xs_doc_data(struct xs_doc *doc, const void *data, size_t len, char *err,
    size_t errlen)
{
	if (doc == NULL || (data == NULL && len > 0))
		return (xs_einval(err, errlen, "xs_doc_data", "bad argument"));
	try {
		doc->doc.set_data(len > 0 ?
		    std::string((const char *)data, len) : std::string());
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_doc_data", err, errlen));
	}
}

int
xs_doc_pack(struct xs_doc *doc, unsigned pack_slot, const unsigned *slots,
    size_t n, char *err, size_t errlen)
{
	size_t	i;

	if (doc == NULL || pack_slot == XS_NOSLOT || (slots == NULL && n > 0))
		return (xs_einval(err, errlen, "xs_doc_pack", "bad argument"));
	for (i = 0; i < n; i++)
		if (slots[i] >= 256 || slots[i] == pack_slot)
			return (xs_einval(err, errlen, "xs_doc_pack",
			    "bad slot"));
	try {
		std::string	pack, v;

		for (i = 0; i < n; i++) {
			v = doc->doc.get_value(slots[i]);
			if (v.empty())
				continue;
			if (v.size() > 0xffff)
				return (xs_einval(err, errlen, "xs_doc_pack",
				    "value too long"));
			pack += (char)slots[i];
			pack += (char)(v.size() >> 8);
			pack += (char)(v.size() & 0xff);
			pack += v;
		}
		doc->doc.add_value(pack_slot, pack);
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_doc_pack", err, errlen));
	}
}

void
xs_doc_free(struct xs_doc *doc)
{
	try {
		delete doc;
	} catch (...) {
	}
}

double
xs_value_num(const void *val, size_t len)
{
	try {
		return (Xapian::sortable_unserialise(std::string(
		    (const char *)val, val != NULL ? len : 0)));
	} catch (...) {
		return (0.0);
	}
}

void
xs_query_init(struct xs_query *q)
{
	std::memset(q, 0, sizeof(*q));
	q->limit = 10;
	q->sort = XS_SORT_RELEVANCE;
	q->sort_slot = XS_NOSLOT;
	q->tiebreak_slot = XS_NOSLOT;
	q->snippet_slot = XS_NOSLOT;
	q->snippet_len = XS_SNIPPET_LEN;
}

int
xs_search(struct xs_db *db, const struct xs_query *q, struct xs_result **res,
    char *err, size_t errlen)
{
	int	rc, attempt;

	if (res == NULL)
		return (xs_einval(err, errlen, "xs_search", "res NULL"));
	*res = NULL;
	if (db == NULL || q == NULL)
		return (xs_einval(err, errlen, "xs_search", "NULL"));
	if ((rc = check_query(q, err, errlen)) != XS_OK)
		return (rc);
	try {
		struct result r;

		/* A commit by the indexer while we read: reopen, retry. */
		for (attempt = 1;; attempt++) {
			try {
				run_search(db, q, r);
				break;
			} catch (const Xapian::DatabaseModifiedError &) {
				if (attempt == MODIFIED_RETRIES)
					throw;
				db->db.reopen();
			}
		}
		if ((*res = c_result(r)) == NULL) {
			xs_err(err, errlen, "xs_search", "", "out of memory",
			    NULL);
			return (XS_ENOMEM);
		}
		return (XS_OK);
	} catch (...) {
		return (xs_fail("xs_search", err, errlen));
	}
}

void
xs_result_free(struct xs_result *res)
{
	size_t	i, j;

	if (res == NULL)
		return;
	for (i = 0; i < res->nhits; i++) {
		std::free(res->hits[i].data);
		std::free(res->hits[i].snippet);
	}
	std::free(res->hits);
	for (i = 0; i < res->nfacets; i++) {
		for (j = 0; j < res->facets[i].nvalues; j++)
			std::free(res->facets[i].values[j].value);
		std::free(res->facets[i].values);
	}
	std::free(res->facets);
	for (i = 0; i < res->ngfacets; i++) {
		for (j = 0; j < res->gfacets[i].nvalues; j++)
			std::free(res->gfacets[i].values[j].value);
		std::free(res->gfacets[i].values);
	}
	std::free(res->gfacets);
	std::free(res);
}

}	/* extern "C" */
