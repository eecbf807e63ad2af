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

#endif /* ELIGRULES_H */
