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
#define SEARCH_SLOT_CONTRACTS	7	/* contracts made on Gureum */
/*
 * Facets (sql/0024_search_facets.sql, search_listing_facets()): lists of
 * values joined by XS_MV_SEP, each also a boolean term prefix + value;
 * numbers as xs_doc_value_num(). A value may carry labels after a TAB
 * (category: code TAB name_ko TAB name_en; runs-on: id TAB ko TAB en).
 */
#define SEARCH_SLOT_CATEGORY	8
#define SEARCH_SLOT_CERT	9	/* schemes granted, not revoked */
#define SEARCH_SLOT_CERT_VALID	10	/* schemes in force today (KST) */
#define SEARCH_SLOT_CSAP	11	/* grades satisfied (at least) */
#define SEARCH_SLOT_CSAP_VALID	12
#define SEARCH_SLOT_VALID	13	/* "1": a certificate in force */
#define SEARCH_SLOT_DOMESTIC	14	/* "1": data centre in Korea */
#define SEARCH_SLOT_SIZE	15	/* vendor size sme, midsize, large */
#define SEARCH_SLOT_TRIAL	16	/* "1": free trial */
#define SEARCH_SLOT_AVAIL	17	/* SLA availability target, number */
#define SEARCH_SLOT_PRICE	18	/* reference monthly won; none: unset */
#define SEARCH_SLOT_RUNS_ON	19	/* listing ids it runs on */
#define SEARCH_SLOT_DEPLOY	20	/* deployment model */
#define SEARCH_SLOT_FACETS	21	/* slots 3, 8-20 packed (xs_doc_pack) */

#define SEARCH_PREFIX_NAME	"XN"
#define SEARCH_PREFIX_SUMMARY	"XS"
#define SEARCH_PREFIX_VENDOR	"XV"
#define SEARCH_PREFIX_TYPE	"XT"	/* boolean: XTsaas */
#define SEARCH_PREFIX_CATEGORY	"XC"
#define SEARCH_PREFIX_CERT	"XR"
#define SEARCH_PREFIX_CERT_VALID "XK"
#define SEARCH_PREFIX_CSAP	"XG"
#define SEARCH_PREFIX_CSAP_VALID "XH"
#define SEARCH_PREFIX_VALID	"XL"
#define SEARCH_PREFIX_DOMESTIC	"XD"
#define SEARCH_PREFIX_SIZE	"XZ"
#define SEARCH_PREFIX_TRIAL	"XF"
#define SEARCH_PREFIX_RUNS_ON	"XO"
#define SEARCH_PREFIX_DEPLOY	"XM"

#endif
