/*
 * What the indexer (ctl_index.c) writes into each search document and the
 * search handler (search.c) reads: value slots and term prefixes. One
 * header so that both sides agree.
 *
 * A result card's fields travel in the document data (JSON), not in
 * slots: names, summaries, vendor names, and "card", the signals of
 * catalog_card() (sql/0009_public_catalog.sql) that catalog.c labels.
 */

#ifndef GUREUM_SEARCH_SLOTS_H
#define GUREUM_SEARCH_SLOTS_H

#define SEARCH_SLOT_TIEBREAK	0	/* BLAKE2b of the id: fair tie order */
#define SEARCH_SLOT_SNIPPET_KO	1	/* text snippets are cut from */
#define SEARCH_SLOT_SNIPPET_EN	2
#define SEARCH_SLOT_TYPE	3	/* service type, for facets */
#define SEARCH_SLOT_PRICE_ASC	4	/* reference price; none sorts last */
#define SEARCH_SLOT_PRICE_DESC	5	/* reference price; none sorts last */
#define SEARCH_SLOT_NEWEST	6	/* epoch of the current version */

#define SEARCH_PREFIX_NAME	"XN"
#define SEARCH_PREFIX_SUMMARY	"XS"
#define SEARCH_PREFIX_VENDOR	"XV"
#define SEARCH_PREFIX_TYPE	"XT"	/* boolean: XTsaas */

#endif
