/*
 * eligrules.h - eligibility rule sets as JSON, the form the database
 * stores and the procurement office edits.
 *
 * One object per rule set, every enumeration by its stable name
 * (eligibility_name()), so a stored rule set reads as the rules do:
 *
 *	{"version": 2, "effective": "2023-01-31",
 *	 "name_ko": "...", "name_en": "...",
 *	 "excluded_data": ["security", "investigation", "sensitive", "pia"],
 *	 "internal": {"central": "not_eligible", ...},
 *	 "csap_required": {"iaas": true, "paas": false, ...},
 *	 "iaas_required": {"saas": true, ...},
 *	 "csap_fit": {"saas": {"saas_standard": "eligible", ...}, ...},
 *	 "grades": true, "default_grade": "mid",
 *	 "legacy_grade": {"iaas": "mid", ...}}
 *
 * Every key must be present and every table complete: a rule set with a
 * gap is refused rather than read with a default nobody chose. Pure C
 * over jansson values; no Kore, no libpq.
 */

#ifndef ELIGRULES_H
#define ELIGRULES_H

#include <jansson.h>

#include "eligibility.h"

/*
 * Reads a rule set from v into *rs and checks it with
 * eligibility_rules_check(). Returns 0, or -1 with *bad (when not NULL)
 * naming the offending key ("csap_fit.saas.daas"; static or in the
 * caller-provided buffer badbuf of badlen bytes).
 */
int		 eligrules_from_json(const json_t *v,
		    struct eligibility_ruleset *rs, char *badbuf,
		    size_t badlen);

/* The JSON form of rs; a new reference, NULL on allocation failure. */
json_t		*eligrules_to_json(const struct eligibility_ruleset *rs);

/*
 * Certificates from the JSON of eligibility_certs() (sql/0013): an array
 * of {scheme, csap_type, grade (high|medium|low|null), status,
 * issue_date, expiry_date, since} with dates as "YYYY-MM-DD" or null.
 * Writes at most max entries to out and their count to *n. A CSAP
 * certificate that is in force or ended but lacks its dates cannot be
 * judged on them and is read as pending (it then blocks, as an
 * unverified certificate must). Returns 0, or -1 for anything that is
 * not such an array (or more than max entries).
 */
int		 eligrules_certs_from_json(const json_t *v,
		    struct eligibility_cert *out, size_t max, size_t *n);

/*
 * The reasons of d as stored: [{code, date, have, need, type, agency,
 * service}], names as eligibility_name() gives them, date "YYYY-MM-DD"
 * or null. A new reference, NULL on allocation failure.
 */
json_t		*eligrules_reasons_to_json(const struct eligibility_decision *d);

/* One stored reason back into *r. Returns 0, or -1 if it is not one. */
int		 eligrules_reason_from_json(const json_t *v,
		    struct eligibility_reason *r);

#endif /* ELIGRULES_H */
