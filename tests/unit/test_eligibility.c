/*
 * test_eligibility.c - unit tests for the eligibility engine
 * (app/eligibility.c).
 *
 * The heart is one table of cases, each a full set of facts with the
 * decision, the rule-set version and the exact list of reasons expected;
 * every row runs as its own named test.  The rows cover every rule under
 * both built-in rule sets: the switch between them on its effective date
 * and the day before, every agency type with both kinds of system, every
 * excluded data category, every vendor status, every service type, SaaS
 * on certified, uncertified, unknown and broken IaaS, the certificate
 * date boundaries (on expiry, the day after, on issue, the day before,
 * a leap day), every certificate status, the grade order, and several
 * reasons at once.  Edited rule sets (as the procurement office may
 * store them) are tested beside it, then hostile input: NULLs, counts
 * without arrays, enums out of range, impossible dates.  Messages are
 * tested by walking the code table, so no code can lack a Korean or an
 * English sentence, and by a sweep over every combination of facts
 * against an oracle written from the brief, not from the engine.
 *
 * Build: cc -std=c99 -D_GNU_SOURCE -Wall -Wextra -Wmissing-prototypes
 *	-Wstrict-prototypes -Wshadow -Werror -g -Iapp
 *	-fsanitize=address,undefined -o /tmp/test_eligibility
 *	tests/unit/test_eligibility.c app/eligibility.c -lcmocka
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eligibility.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define R(x)		ELIGIBILITY_R_##x

/* Contract start dates under each built-in rule set. */
#define D19		20220315
#define D23		20260301

#define CERT(t, g, st, iss, exp, since)					\
	{ ELIGIBILITY_SCHEME_CSAP, ELIGIBILITY_CSAP_##t,		\
	  ELIGIBILITY_GRADE_##g, ELIGIBILITY_CERT_##st, (iss), (exp),	\
	  (since) }
/* Valid from before the 2019 rules to after every start date used. */
#define GOOD(t, g)	CERT(t, g, VALID, 20190101, 20291231, 0)
#define SCHEME(s)							\
	{ ELIGIBILITY_SCHEME_##s, ELIGIBILITY_CSAP_IAAS,		\
	  ELIGIBILITY_GRADE_NONE, ELIGIBILITY_CERT_VALID, 20190101,	\
	  20291231, 0 }

#define FACTS(d, a, n, dat, s, g, v)					\
	.start = (d), .agency = ELIGIBILITY_AGENCY_##a,			\
	.nature = ELIGIBILITY_NATURE_##n, .data = (dat),		\
	.service = ELIGIBILITY_SERVICE_##s, .need = ELIGIBILITY_GRADE_##g, \
	.vendor = ELIGIBILITY_VENDOR_##v
#define CERTS(...)							\
	.certs = (const struct eligibility_cert[]){ __VA_ARGS__ },	\
	.ncerts = sizeof((const struct eligibility_cert[]){ __VA_ARGS__ }) \
	    / sizeof(struct eligibility_cert)
#define IAAS(...)							\
	.iaas_known = 1,						\
	.iaas = (const struct eligibility_cert[]){ __VA_ARGS__ },	\
	.niaas = sizeof((const struct eligibility_cert[]){ __VA_ARGS__ }) \
	    / sizeof(struct eligibility_cert)
#define IAAS_EMPTY	.iaas_known = 1
#define RESULT(o, v)	.outcome = ELIGIBILITY_##o, .version = (v)
#define WANT(...)							\
	.want = (const enum eligibility_code[]){ __VA_ARGS__ },		\
	.nwant = sizeof((const enum eligibility_code[]){ __VA_ARGS__ })	\
	    / sizeof(enum eligibility_code)
/* The whole expected reason for one code: date, have, need, type... */
#define PR(c, d, h, n, t, a, s)						\
	.pcheck = 1, .pr = { R(c), (d), ELIGIBILITY_GRADE_##h,		\
	  ELIGIBILITY_GRADE_##n, ELIGIBILITY_CSAP_##t,			\
	  ELIGIBILITY_AGENCY_##a, ELIGIBILITY_SERVICE_##s }
#define ERR(e)		.err = ELIGIBILITY_##e

#define SEC	ELIGIBILITY_DATA_BIT(ELIGIBILITY_DATA_SECURITY)
#define INV	ELIGIBILITY_DATA_BIT(ELIGIBILITY_DATA_INVESTIGATION)
#define SENS	ELIGIBILITY_DATA_BIT(ELIGIBILITY_DATA_SENSITIVE)
#define PIA	ELIGIBILITY_DATA_BIT(ELIGIBILITY_DATA_PIA)

struct elig_case {
	const char			*name;
	int				 start;
	enum eligibility_agency		 agency;
	enum eligibility_nature		 nature;
	unsigned int			 data;
	enum eligibility_service	 service;
	enum eligibility_grade		 need;
	enum eligibility_vendor		 vendor;
	const struct eligibility_cert	*certs;
	size_t				 ncerts;
	int				 iaas_known;
	const struct eligibility_cert	*iaas;
	size_t				 niaas;
	enum eligibility_err		 err;
	enum eligibility_outcome	 outcome;
	int				 version;
	const enum eligibility_code	*want;
	size_t				 nwant;
	int				 pcheck;
	struct eligibility_reason	 pr;
};

static const struct elig_case cases[] = {
	/* --- which rule set --- */
	{ "rules: 2019 set on its effective date 2019-11-28",
	  FACTS(20191128, CENTRAL, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "rules: none the day before 2019-11-28",
	  FACTS(20191127, CENTRAL, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), ERR(ENORULES) },
	{ "rules: 2019 set the day before 2023-01-31",
	  FACTS(20230130, CENTRAL, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "rules: 2023 set on its effective date 2023-01-31",
	  FACTS(20230131, CENTRAL, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 2),
	  WANT(R(GRADE_ASSUMED), R(CSAP_GRADE_RECOGNISED)),
	  PR(GRADE_ASSUMED, 0, NONE, MID, IAAS, CENTRAL, IAAS) },
	{ "rules: 2023 set years later",
	  FACTS(20291231, CENTRAL, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(ELIGIBLE, 2) },

	/* --- agency type x system nature, both rule sets --- */
	{ "2019 central citizen-facing",
	  FACTS(D19, CENTRAL, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "2019 metro citizen-facing",
	  FACTS(D19, METRO, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "2019 basic citizen-facing",
	  FACTS(D19, BASIC, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "2019 public institution citizen-facing",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "2019 central internal -> G-Cloud only",
	  FACTS(D19, CENTRAL, INTERNAL, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(INTERNAL_GCLOUD)),
	  PR(INTERNAL_GCLOUD, 0, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "2019 metro internal -> agency decides",
	  FACTS(D19, METRO, INTERNAL, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(AGENCY_DECISION, 1),
	  WANT(R(INTERNAL_ADVISED)),
	  PR(INTERNAL_ADVISED, 0, NONE, NONE, IAAS, METRO, IAAS) },
	{ "2019 basic internal -> agency decides",
	  FACTS(D19, BASIC, INTERNAL, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(AGENCY_DECISION, 1),
	  WANT(R(INTERNAL_ADVISED)),
	  PR(INTERNAL_ADVISED, 0, NONE, NONE, IAAS, BASIC, IAAS) },
	{ "2019 public institution internal",
	  FACTS(D19, PUBLIC, INTERNAL, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "2023 central citizen-facing",
	  FACTS(D23, CENTRAL, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(ELIGIBLE, 2) },
	{ "2023 metro citizen-facing",
	  FACTS(D23, METRO, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(ELIGIBLE, 2) },
	{ "2023 basic citizen-facing",
	  FACTS(D23, BASIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(ELIGIBLE, 2) },
	{ "2023 public institution citizen-facing",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(ELIGIBLE, 2) },
	{ "2023 central internal -> G-Cloud only",
	  FACTS(D23, CENTRAL, INTERNAL, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(INTERNAL_GCLOUD)) },
	{ "2023 metro internal -> agency decides",
	  FACTS(D23, METRO, INTERNAL, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(AGENCY_DECISION, 2),
	  WANT(R(INTERNAL_ADVISED)) },
	{ "2023 basic internal -> agency decides",
	  FACTS(D23, BASIC, INTERNAL, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(AGENCY_DECISION, 2),
	  WANT(R(INTERNAL_ADVISED)) },
	{ "2023 public institution internal",
	  FACTS(D23, PUBLIC, INTERNAL, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(ELIGIBLE, 2) },

	/* --- excluded data categories, both rule sets --- */
	{ "2019 national security data",
	  FACTS(D19, PUBLIC, CITIZEN, SEC, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(DATA_SECURITY)) },
	{ "2019 investigation data",
	  FACTS(D19, PUBLIC, CITIZEN, INV, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(DATA_INVESTIGATION)) },
	{ "2019 sensitive data",
	  FACTS(D19, PUBLIC, CITIZEN, SENS, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(DATA_SENSITIVE)) },
	{ "2019 privacy-impact-assessed system",
	  FACTS(D19, PUBLIC, CITIZEN, PIA, IAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(DATA_PIA)) },
	{ "2019 all four data categories",
	  FACTS(D19, PUBLIC, CITIZEN, PIA | SENS | INV | SEC, IAAS, NONE,
	      APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(DATA_SECURITY), R(DATA_INVESTIGATION), R(DATA_SENSITIVE),
	      R(DATA_PIA)) },
	{ "2023 national security data",
	  FACTS(D23, PUBLIC, CITIZEN, SEC, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(DATA_SECURITY)) },
	{ "2023 investigation data",
	  FACTS(D23, PUBLIC, CITIZEN, INV, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(DATA_INVESTIGATION)) },
	{ "2023 sensitive data",
	  FACTS(D23, PUBLIC, CITIZEN, SENS, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(DATA_SENSITIVE)) },
	{ "2023 privacy-impact-assessed system",
	  FACTS(D23, PUBLIC, CITIZEN, PIA, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(DATA_PIA)) },
	{ "2023 two data categories, even with grade high",
	  FACTS(D23, PUBLIC, CITIZEN, SEC | SENS, IAAS, HIGH, APPROVED),
	  CERTS(GOOD(IAAS, HIGH)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(DATA_SECURITY), R(DATA_SENSITIVE)) },

	/* --- vendor status, both rule sets --- */
	{ "2019 vendor applied, not approved",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, NONE, APPLIED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(VENDOR_NOT_APPROVED)) },
	{ "2019 vendor suspended",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, NONE, SUSPENDED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(VENDOR_SUSPENDED)) },
	{ "2019 vendor closed",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, NONE, CLOSED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(VENDOR_CLOSED)) },
	{ "2023 vendor applied, not approved",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPLIED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(VENDOR_NOT_APPROVED)) },
	{ "2023 vendor suspended",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, SUSPENDED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(VENDOR_SUSPENDED)) },
	{ "2023 vendor closed",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, CLOSED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(VENDOR_CLOSED)) },
	{ "2019 vendor suspended on a support service",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SUPPORT, NONE, SUSPENDED),
	  RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(VENDOR_SUSPENDED), R(CSAP_NOT_REQUIRED)) },

	/* --- service types --- */
	{ "2019 PaaS: no CSAP type, noted",
	  FACTS(D19, PUBLIC, CITIZEN, 0, PAAS, NONE, APPROVED),
	  RESULT(ELIGIBLE, 1), WANT(R(CSAP_NOT_REQUIRED)),
	  PR(CSAP_NOT_REQUIRED, 0, NONE, NONE, IAAS, CENTRAL, PAAS) },
	{ "2023 PaaS with grade high: no grade note either",
	  FACTS(D23, PUBLIC, CITIZEN, 0, PAAS, HIGH, APPROVED),
	  RESULT(ELIGIBLE, 2), WANT(R(CSAP_NOT_REQUIRED)) },
	{ "2019 support service: no CSAP",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SUPPORT, NONE, APPROVED),
	  RESULT(ELIGIBLE, 1), WANT(R(CSAP_NOT_REQUIRED)),
	  PR(CSAP_NOT_REQUIRED, 0, NONE, NONE, IAAS, CENTRAL, SUPPORT) },
	{ "2023 support service: no CSAP, no grade assumed",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SUPPORT, NONE, APPROVED),
	  RESULT(ELIGIBLE, 2), WANT(R(CSAP_NOT_REQUIRED)) },
	{ "2019 support service ignores broken certificates",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SUPPORT, NONE, APPROVED),
	  CERTS(CERT(IAAS, NONE, REVOKED, 20190101, 20291231, 20200101)),
	  RESULT(ELIGIBLE, 1), WANT(R(CSAP_NOT_REQUIRED)) },
	{ "2023 PaaS of a central ministry, internal",
	  FACTS(D23, CENTRAL, INTERNAL, 0, PAAS, NONE, APPROVED),
	  RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(INTERNAL_GCLOUD), R(CSAP_NOT_REQUIRED)) },
	{ "2019 DaaS with a DaaS certificate",
	  FACTS(D19, PUBLIC, CITIZEN, 0, DAAS, NONE, APPROVED),
	  CERTS(GOOD(DAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "2023 DaaS with a DaaS certificate of grade mid",
	  FACTS(D23, PUBLIC, CITIZEN, 0, DAAS, MID, APPROVED),
	  CERTS(GOOD(DAAS, MID)), RESULT(ELIGIBLE, 2) },
	{ "2019 DaaS with only an IaaS certificate",
	  FACTS(D19, PUBLIC, CITIZEN, 0, DAAS, NONE, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(CSAP_TYPE_MISMATCH)),
	  PR(CSAP_TYPE_MISMATCH, 0, NONE, NONE, IAAS, CENTRAL, DAAS) },
	{ "2019 IaaS with only a SaaS certificate",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(CSAP_TYPE_MISMATCH)),
	  PR(CSAP_TYPE_MISMATCH, 0, NONE, NONE, SAAS_STANDARD, CENTRAL,
	      IAAS) },
	{ "2023 SaaS with only a DaaS certificate",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(DAAS, MID)), IAAS(GOOD(IAAS, MID)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_TYPE_MISMATCH)),
	  PR(CSAP_TYPE_MISMATCH, 0, NONE, NONE, DAAS, CENTRAL, SAAS) },
	{ "2019 IaaS without certificates (NULL list)",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, NONE, APPROVED),
	  RESULT(NOT_ELIGIBLE, 1), WANT(R(CSAP_MISSING)) },
	{ "2019 IaaS with ISO 27001 and FedRAMP but no CSAP",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, NONE, APPROVED),
	  CERTS(SCHEME(ISO27001), SCHEME(FEDRAMP), SCHEME(QUALITY),
	      SCHEME(GS), SCHEME(CC)),
	  RESULT(NOT_ELIGIBLE, 1), WANT(R(CSAP_MISSING)) },
	{ "2023 IaaS with other schemes beside CSAP",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(SCHEME(ISO27001), GOOD(IAAS, MID), SCHEME(CC)),
	  RESULT(ELIGIBLE, 2) },

	/* --- SaaS and the IaaS it runs on --- */
	{ "2019 SaaS standard on certified IaaS",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)), IAAS(GOOD(IAAS, NONE)),
	  RESULT(ELIGIBLE, 1) },
	{ "2023 SaaS standard mid on IaaS mid",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, MID)), IAAS(GOOD(IAAS, MID)),
	  RESULT(ELIGIBLE, 2) },
	{ "2023 ungraded SaaS on ungraded IaaS, grade not given",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)), IAAS(GOOD(IAAS, NONE)),
	  RESULT(ELIGIBLE, 2),
	  WANT(R(GRADE_ASSUMED), R(CSAP_GRADE_RECOGNISED),
	      R(IAAS_CSAP_GRADE_RECOGNISED)),
	  PR(CSAP_GRADE_RECOGNISED, 0, MID, NONE, SAAS_STANDARD, CENTRAL,
	      IAAS) },
	{ "2019 SaaS on unknown IaaS",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(IAAS_UNKNOWN)) },
	{ "2019 SaaS on IaaS without certificates",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)), IAAS_EMPTY,
	  RESULT(NOT_ELIGIBLE, 1), WANT(R(IAAS_CSAP_MISSING)) },
	{ "2019 SaaS on IaaS with ISO 27001 only",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)), IAAS(SCHEME(ISO27001)),
	  RESULT(NOT_ELIGIBLE, 1), WANT(R(IAAS_CSAP_MISSING)) },
	{ "2019 SaaS on IaaS expired the day before",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)),
	  IAAS(CERT(IAAS, NONE, VALID, 20170315, 20220314, 0)),
	  RESULT(NOT_ELIGIBLE, 1), WANT(R(IAAS_CSAP_EXPIRED)),
	  PR(IAAS_CSAP_EXPIRED, 20220314, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "2019 SaaS on IaaS expiring on the start date",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)),
	  IAAS(CERT(IAAS, NONE, VALID, 20170316, 20220315, 0)),
	  RESULT(ELIGIBLE, 1) },
	{ "2023 SaaS on IaaS marked expired",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, MID)),
	  IAAS(CERT(IAAS, MID, EXPIRED, 20210101, 20251231, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(IAAS_CSAP_EXPIRED)),
	  PR(IAAS_CSAP_EXPIRED, 20251231, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "2023 SaaS on suspended IaaS",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, MID)),
	  IAAS(CERT(IAAS, MID, SUSPENDED, 20210101, 20291231, 20260115)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(IAAS_CSAP_SUSPENDED)),
	  PR(IAAS_CSAP_SUSPENDED, 20260115, NONE, NONE, IAAS, CENTRAL,
	      IAAS) },
	{ "2023 SaaS on revoked IaaS",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, MID)),
	  IAAS(CERT(IAAS, MID, REVOKED, 20210101, 20291231, 20251001)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(IAAS_CSAP_REVOKED)),
	  PR(IAAS_CSAP_REVOKED, 20251001, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "2023 SaaS on IaaS still pending",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, MID)),
	  IAAS(CERT(IAAS, MID, PENDING, 0, 0, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(IAAS_CSAP_PENDING)) },
	{ "2023 SaaS on IaaS valid only from the next day",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, MID)),
	  IAAS(CERT(IAAS, MID, VALID, 20260302, 20310301, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(IAAS_CSAP_NOT_YET_VALID)),
	  PR(IAAS_CSAP_NOT_YET_VALID, 20260302, NONE, NONE, IAAS, CENTRAL,
	      IAAS) },
	{ "2019 SaaS on an 'IaaS' holding only a SaaS certificate",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, NONE)), IAAS(GOOD(SAAS_STANDARD, NONE)),
	  RESULT(NOT_ELIGIBLE, 1), WANT(R(IAAS_CSAP_TYPE_MISMATCH)),
	  PR(IAAS_CSAP_TYPE_MISMATCH, 0, NONE, NONE, SAAS_STANDARD, CENTRAL,
	      IAAS) },
	{ "2023 SaaS high on IaaS mid, system needs high",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, HIGH, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, HIGH)), IAAS(GOOD(IAAS, MID)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(IAAS_CSAP_GRADE_TOO_LOW)),
	  PR(IAAS_CSAP_GRADE_TOO_LOW, 0, MID, HIGH, IAAS, CENTRAL, IAAS) },
	{ "2023 SaaS high on IaaS high, system needs high",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, HIGH, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, HIGH)), IAAS(GOOD(IAAS, HIGH)),
	  RESULT(ELIGIBLE, 2) },
	{ "2019 uncertified SaaS on uncertified IaaS",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  IAAS_EMPTY, RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(CSAP_MISSING), R(IAAS_CSAP_MISSING)) },
	{ "2019 SaaS and its IaaS both expired",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(CERT(SAAS_STANDARD, NONE, VALID, 20170101, 20211231, 0)),
	  IAAS(CERT(IAAS, NONE, VALID, 20170101, 20220101, 0)),
	  RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(CSAP_EXPIRED), R(IAAS_CSAP_EXPIRED)),
	  PR(CSAP_EXPIRED, 20211231, NONE, NONE, IAAS, CENTRAL, IAAS) },

	/* --- SaaS 간편 --- */
	{ "2019 SaaS simple only -> agency judges the work",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_SIMPLE, NONE)), IAAS(GOOD(IAAS, NONE)),
	  RESULT(AGENCY_DECISION, 1), WANT(R(CSAP_TYPE_AGENCY)),
	  PR(CSAP_TYPE_AGENCY, 0, NONE, NONE, SAAS_SIMPLE, CENTRAL, SAAS) },
	{ "2019 SaaS simple and standard: standard wins",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_SIMPLE, NONE), GOOD(SAAS_STANDARD, NONE)),
	  IAAS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1) },
	{ "2019 SaaS simple valid, standard expired: expiry not shown",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(CERT(SAAS_STANDARD, NONE, EXPIRED, 20170101, 20211231, 0),
	      GOOD(SAAS_SIMPLE, NONE)),
	  IAAS(GOOD(IAAS, NONE)), RESULT(AGENCY_DECISION, 1),
	  WANT(R(CSAP_TYPE_AGENCY)) },
	{ "2019 SaaS simple, metro internal: two agency reasons",
	  FACTS(D19, METRO, INTERNAL, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_SIMPLE, NONE)), IAAS(GOOD(IAAS, NONE)),
	  RESULT(AGENCY_DECISION, 1),
	  WANT(R(INTERNAL_ADVISED), R(CSAP_TYPE_AGENCY)) },
	{ "2019 SaaS simple expired: expiry shown",
	  FACTS(D19, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(CERT(SAAS_SIMPLE, NONE, VALID, 20170101, 20211231, 0)),
	  IAAS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(CSAP_EXPIRED)) },
	{ "2023 ungraded SaaS simple, system needs low",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, LOW, APPROVED),
	  CERTS(GOOD(SAAS_SIMPLE, NONE)), IAAS(GOOD(IAAS, MID)),
	  RESULT(ELIGIBLE, 2), WANT(R(CSAP_GRADE_RECOGNISED)),
	  PR(CSAP_GRADE_RECOGNISED, 0, LOW, NONE, SAAS_SIMPLE, CENTRAL,
	      IAAS) },
	{ "2023 ungraded SaaS simple, system needs mid",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_SIMPLE, NONE)), IAAS(GOOD(IAAS, MID)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_GRADE_TOO_LOW)),
	  PR(CSAP_GRADE_TOO_LOW, 0, LOW, MID, IAAS, CENTRAL, IAAS) },
	{ "2023 ungraded SaaS simple, grade not given",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, NONE, APPROVED),
	  CERTS(GOOD(SAAS_SIMPLE, NONE)), IAAS(GOOD(IAAS, MID)),
	  RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(GRADE_ASSUMED), R(CSAP_GRADE_TOO_LOW)),
	  PR(CSAP_GRADE_TOO_LOW, 0, LOW, MID, IAAS, CENTRAL, IAAS) },
	{ "2023 SaaS simple graded mid, system needs mid",
	  FACTS(D23, PUBLIC, CITIZEN, 0, SAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_SIMPLE, MID)), IAAS(GOOD(IAAS, MID)),
	  RESULT(ELIGIBLE, 2) },

	/* --- certificate dates and statuses (2023 set, grade mid) --- */
	{ "start on the expiry date: still valid",
	  FACTS(20260301, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20210302, 20260301, 0)),
	  RESULT(ELIGIBLE, 2) },
	{ "start the day after expiry: expired (2026-03-01)",
	  FACTS(20260302, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20210302, 20260301, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_EXPIRED)),
	  PR(CSAP_EXPIRED, 20260301, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "start on the issue date: valid",
	  FACTS(20260301, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20260301, 20310228, 0)),
	  RESULT(ELIGIBLE, 2) },
	{ "start the day before issue: not yet valid",
	  FACTS(20260228, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20260301, 20310228, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_NOT_YET_VALID)),
	  PR(CSAP_NOT_YET_VALID, 20260301, NONE, NONE, IAAS, CENTRAL,
	      IAAS) },
	{ "issued and expiring the same day, start that day",
	  FACTS(20260301, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20260301, 20260301, 0)),
	  RESULT(ELIGIBLE, 2) },
	{ "leap day: start on expiry 2024-02-29",
	  FACTS(20240229, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20190301, 20240229, 0)),
	  RESULT(ELIGIBLE, 2) },
	{ "leap day: start 2024-03-01 after expiry 2024-02-29",
	  FACTS(20240301, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20190301, 20240229, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_EXPIRED)),
	  PR(CSAP_EXPIRED, 20240229, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "status expired although the dates would allow",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, EXPIRED, 20220101, 20261231, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_EXPIRED)),
	  PR(CSAP_EXPIRED, 20261231, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "status suspended",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, SUSPENDED, 20220101, 20261231, 20250601)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_SUSPENDED)),
	  PR(CSAP_SUSPENDED, 20250601, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "status suspended from a day after the start still blocks",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, SUSPENDED, 20220101, 20261231, 20260302)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_SUSPENDED)) },
	{ "status revoked",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, REVOKED, 20220101, 20261231, 20251115)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_REVOKED)),
	  PR(CSAP_REVOKED, 20251115, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "status pending, no dates yet",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, PENDING, 0, 0, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_PENDING)) },
	{ "status pending with dates that would allow",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, PENDING, 20260101, 20301231, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_PENDING)) },
	{ "old expired and renewed valid certificate",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, EXPIRED, 20160101, 20201231, 0),
	      CERT(IAAS, MID, VALID, 20210101, 20251231, 0),
	      CERT(IAAS, MID, VALID, 20260101, 20301231, 0)),
	  RESULT(ELIGIBLE, 2) },
	{ "two expired certificates: the later expiry shown",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20190101, 20240101, 0),
	      CERT(IAAS, MID, VALID, 20210101, 20251231, 0),
	      CERT(IAAS, MID, EXPIRED, 20180101, 20221231, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_EXPIRED)),
	  PR(CSAP_EXPIRED, 20251231, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "two future certificates: the earlier start shown",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, VALID, 20270101, 20311231, 0),
	      CERT(IAAS, MID, VALID, 20260601, 20310531, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_NOT_YET_VALID)),
	  PR(CSAP_NOT_YET_VALID, 20260601, NONE, NONE, IAAS, CENTRAL,
	      IAAS) },
	{ "two revoked certificates: the later revocation shown",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, REVOKED, 20220101, 20261231, 20250101),
	      CERT(IAAS, MID, REVOKED, 20220101, 20261231, 20250701),
	      CERT(IAAS, MID, REVOKED, 20220101, 20261231, 20250301)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_REVOKED)),
	  PR(CSAP_REVOKED, 20250701, NONE, NONE, IAAS, CENTRAL, IAAS) },
	{ "five problems, one certificate each: each shown, in order",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(CERT(IAAS, MID, REVOKED, 20220101, 20261231, 20251115),
	      CERT(IAAS, MID, VALID, 20170101, 20211231, 0),
	      CERT(IAAS, MID, SUSPENDED, 20220101, 20261231, 20251001),
	      CERT(IAAS, MID, VALID, 20260401, 20310331, 0),
	      CERT(IAAS, MID, PENDING, 0, 0, 0)),
	  RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(CSAP_PENDING), R(CSAP_NOT_YET_VALID), R(CSAP_EXPIRED),
	      R(CSAP_SUSPENDED), R(CSAP_REVOKED)) },
	{ "a fitting expired and a valid wrong-type certificate",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(SAAS_STANDARD, MID),
	      CERT(IAAS, MID, VALID, 20210101, 20251231, 0)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_EXPIRED)) },

	/* --- grades (2023 set) --- */
	{ "grade high satisfies high",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, HIGH, APPROVED),
	  CERTS(GOOD(IAAS, HIGH)), RESULT(ELIGIBLE, 2) },
	{ "grade high satisfies mid",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, HIGH)), RESULT(ELIGIBLE, 2) },
	{ "grade high satisfies low",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, LOW, APPROVED),
	  CERTS(GOOD(IAAS, HIGH)), RESULT(ELIGIBLE, 2) },
	{ "grade mid satisfies low",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, LOW, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(ELIGIBLE, 2) },
	{ "grade low satisfies low",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, LOW, APPROVED),
	  CERTS(GOOD(IAAS, LOW)), RESULT(ELIGIBLE, 2) },
	{ "grade mid does not satisfy high",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, HIGH, APPROVED),
	  CERTS(GOOD(IAAS, MID)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(CSAP_GRADE_TOO_LOW)),
	  PR(CSAP_GRADE_TOO_LOW, 0, MID, HIGH, IAAS, CENTRAL, IAAS) },
	{ "grade low does not satisfy mid",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, LOW)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(CSAP_GRADE_TOO_LOW)),
	  PR(CSAP_GRADE_TOO_LOW, 0, LOW, MID, IAAS, CENTRAL, IAAS) },
	{ "grade low does not satisfy high",
	  FACTS(D23, PUBLIC, CITIZEN, 0, DAAS, HIGH, APPROVED),
	  CERTS(GOOD(DAAS, LOW)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(CSAP_GRADE_TOO_LOW)),
	  PR(CSAP_GRADE_TOO_LOW, 0, LOW, HIGH, IAAS, CENTRAL, IAAS) },
	{ "ungraded IaaS counts as mid: not high",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, HIGH, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(CSAP_GRADE_TOO_LOW)),
	  PR(CSAP_GRADE_TOO_LOW, 0, MID, HIGH, IAAS, CENTRAL, IAAS) },
	{ "ungraded IaaS counts as mid: enough for low",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, LOW, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 2),
	  WANT(R(CSAP_GRADE_RECOGNISED)),
	  PR(CSAP_GRADE_RECOGNISED, 0, MID, NONE, IAAS, CENTRAL, IAAS) },
	{ "ungraded DaaS, grade not given",
	  FACTS(D23, PUBLIC, CITIZEN, 0, DAAS, NONE, APPROVED),
	  CERTS(GOOD(DAAS, NONE)), RESULT(ELIGIBLE, 2),
	  WANT(R(GRADE_ASSUMED), R(CSAP_GRADE_RECOGNISED)),
	  PR(CSAP_GRADE_RECOGNISED, 0, MID, NONE, DAAS, CENTRAL, IAAS) },
	{ "graded and ungraded valid: the graded one needs no note",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, MID, APPROVED),
	  CERTS(GOOD(IAAS, NONE), GOOD(IAAS, HIGH)), RESULT(ELIGIBLE, 2) },
	{ "low and high valid, system needs high",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, HIGH, APPROVED),
	  CERTS(GOOD(IAAS, LOW), GOOD(IAAS, HIGH)), RESULT(ELIGIBLE, 2) },
	{ "low and mid valid, system needs high: best grade shown",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, HIGH, APPROVED),
	  CERTS(GOOD(IAAS, MID), GOOD(IAAS, LOW)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(CSAP_GRADE_TOO_LOW)),
	  PR(CSAP_GRADE_TOO_LOW, 0, MID, HIGH, IAAS, CENTRAL, IAAS) },
	{ "high expired, mid valid, system needs high",
	  FACTS(D23, PUBLIC, CITIZEN, 0, IAAS, HIGH, APPROVED),
	  CERTS(CERT(IAAS, HIGH, EXPIRED, 20240101, 20251231, 0),
	      GOOD(IAAS, MID)),
	  RESULT(NOT_ELIGIBLE, 2), WANT(R(CSAP_GRADE_TOO_LOW)) },
	{ "2019: grade given but rules have none",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, HIGH, APPROVED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(ELIGIBLE, 1),
	  WANT(R(GRADE_NOT_APPLICABLE)),
	  PR(GRADE_NOT_APPLICABLE, 0, NONE, HIGH, IAAS, CENTRAL, IAAS) },
	{ "2019: a low-graded certificate is not compared",
	  FACTS(D19, PUBLIC, CITIZEN, 0, IAAS, HIGH, APPROVED),
	  CERTS(GOOD(IAAS, LOW)), RESULT(ELIGIBLE, 1),
	  WANT(R(GRADE_NOT_APPLICABLE)) },

	/* --- several reasons at once --- */
	{ "2019 everything wrong with a SaaS",
	  FACTS(D19, CENTRAL, INTERNAL, SEC | PIA, SAAS, NONE, CLOSED),
	  CERTS(CERT(SAAS_STANDARD, NONE, VALID, 20170101, 20220101, 0)),
	  RESULT(NOT_ELIGIBLE, 1),
	  WANT(R(DATA_SECURITY), R(DATA_PIA), R(INTERNAL_GCLOUD),
	      R(VENDOR_CLOSED), R(CSAP_EXPIRED), R(IAAS_UNKNOWN)) },
	{ "2023 blocks outrank an agency reason",
	  FACTS(D23, METRO, INTERNAL, SENS, SAAS, HIGH, SUSPENDED),
	  CERTS(GOOD(SAAS_SIMPLE, NONE)), IAAS(GOOD(IAAS, MID)),
	  RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(DATA_SENSITIVE), R(INTERNAL_ADVISED), R(VENDOR_SUSPENDED),
	      R(CSAP_GRADE_TOO_LOW), R(IAAS_CSAP_GRADE_TOO_LOW)),
	  PR(IAAS_CSAP_GRADE_TOO_LOW, 0, MID, HIGH, IAAS, CENTRAL, IAAS) },
	{ "2023 notes beside a block",
	  FACTS(D23, BASIC, INTERNAL, 0, IAAS, NONE, APPLIED),
	  CERTS(GOOD(IAAS, NONE)), RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(INTERNAL_ADVISED), R(VENDOR_NOT_APPROVED),
	      R(GRADE_ASSUMED), R(CSAP_GRADE_RECOGNISED)) },
	{ "2023 every certificate problem of a SaaS and its IaaS",
	  FACTS(D23, CENTRAL, INTERNAL, ELIGIBILITY_DATA_ALL, SAAS, MID,
	      APPLIED),
	  CERTS(CERT(SAAS_STANDARD, MID, PENDING, 0, 0, 0),
	      CERT(SAAS_SIMPLE, MID, REVOKED, 20220101, 20261231, 20250505),
	      GOOD(DAAS, MID)),
	  IAAS(CERT(IAAS, MID, SUSPENDED, 20220101, 20261231, 20251212),
	      CERT(IAAS, HIGH, VALID, 20260601, 20310531, 0)),
	  RESULT(NOT_ELIGIBLE, 2),
	  WANT(R(DATA_SECURITY), R(DATA_INVESTIGATION), R(DATA_SENSITIVE),
	      R(DATA_PIA), R(INTERNAL_GCLOUD), R(VENDOR_NOT_APPROVED),
	      R(CSAP_PENDING), R(CSAP_REVOKED),
	      R(IAAS_CSAP_NOT_YET_VALID), R(IAAS_CSAP_SUSPENDED)),
	  PR(IAAS_CSAP_SUSPENDED, 20251212, NONE, NONE, IAAS, CENTRAL,
	      IAAS) },
};

/* Prints a decision's codes, for a failing row. */
static void
print_reasons(const struct eligibility_decision *d)
{
	size_t	i;

	print_message("  got %s v%d:", eligibility_name(ELIGIBILITY_K_OUTCOME,
	    (int)d->outcome), d->version);
	for (i = 0; i < d->nreasons; i++)
		print_message(" %s", eligibility_code_name(d->reasons[i].code));
	print_message("\n");
}

/* Every decision, whatever it is, must keep these promises. */
static void
check_invariants(const struct eligibility_decision *d)
{
	enum eligibility_outcome	 worst = ELIGIBILITY_ELIGIBLE, o;
	char				 buf[ELIGIBILITY_MSG_MAX];
	size_t				 i;

	assert_true(d->nreasons <= ELIGIBILITY_CODE__MAX);
	for (i = 0; i < d->nreasons; i++) {
		if (i > 0)
			assert_true(d->reasons[i - 1].code <
			    d->reasons[i].code);
		o = eligibility_code_outcome(d->reasons[i].code);
		assert_true(o < ELIGIBILITY_OUTCOME__MAX);
		if (o > worst)
			worst = o;
		assert_int_equal(eligibility_reason_format(&d->reasons[i],
		    "ko", buf, sizeof(buf)), ELIGIBILITY_OK);
		assert_true(buf[0] != '\0');
		assert_int_equal(eligibility_reason_format(&d->reasons[i],
		    "en", buf, sizeof(buf)), ELIGIBILITY_OK);
		assert_true(buf[0] != '\0');
	}
	/* The outcome is the worst reason's, so NOT_ELIGIBLE has one. */
	assert_int_equal(d->outcome, worst);
	assert_null(d->bad);
	assert_int_equal(d->bad_index, -1);
}

static void
facts_of(const struct elig_case *c, struct eligibility_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->agency = c->agency;
	f->nature = c->nature;
	f->data = c->data;
	f->service = c->service;
	f->start = c->start;
	f->need = c->need;
	f->vendor = c->vendor;
	f->certs = c->certs;
	f->ncerts = c->ncerts;
	f->iaas_known = c->iaas_known;
	f->iaas_certs = c->iaas;
	f->niaas_certs = c->niaas;
}

static void
test_case_row(void **state)
{
	const struct elig_case		*c = *state;
	struct eligibility_facts	 f;
	struct eligibility_decision	 d;
	enum eligibility_err		 rc;
	size_t				 i;
	int				 seen = 0;

	facts_of(c, &f);
	rc = eligibility_decide(eligibility_builtin, eligibility_nbuiltin,
	    &f, &d);
	assert_int_equal(rc, c->err);
	if (c->err != ELIGIBILITY_OK) {
		assert_int_equal(d.nreasons, 0);
		return;
	}
	if (d.outcome != c->outcome || d.version != c->version ||
	    d.nreasons != c->nwant)
		print_reasons(&d);
	assert_int_equal(d.version, c->version);
	assert_int_equal(d.effective, eligibility_builtin[c->version - 1]
	    .effective);
	assert_int_equal(d.nreasons, c->nwant);
	for (i = 0; i < c->nwant; i++) {
		if (d.reasons[i].code != c->want[i])
			print_reasons(&d);
		assert_string_equal(eligibility_code_name(d.reasons[i].code),
		    eligibility_code_name(c->want[i]));
	}
	assert_int_equal(d.outcome, c->outcome);
	check_invariants(&d);
	if (!c->pcheck)
		return;
	for (i = 0; i < d.nreasons; i++) {
		if (d.reasons[i].code != c->pr.code)
			continue;
		seen = 1;
		assert_int_equal(d.reasons[i].date, c->pr.date);
		assert_int_equal(d.reasons[i].have, c->pr.have);
		assert_int_equal(d.reasons[i].need, c->pr.need);
		assert_int_equal(d.reasons[i].type, c->pr.type);
		assert_int_equal(d.reasons[i].agency, c->pr.agency);
		assert_int_equal(d.reasons[i].service, c->pr.service);
	}
	assert_true(seen);
}

/* --- the issue's example, end to end --- */

static void
test_issue_example(void **state)
{
	static const struct eligibility_cert	cert[] = {
		CERT(SAAS_STANDARD, MID, VALID, 20210302, 20260301, 0),
	};
	static const struct eligibility_cert	iaas[] = { GOOD(IAAS, MID) };
	struct eligibility_facts		f;
	struct eligibility_decision		d;
	char					buf[ELIGIBILITY_MSG_MAX];

	(void)state;
	memset(&f, 0, sizeof(f));
	f.agency = ELIGIBILITY_AGENCY_CENTRAL;
	f.nature = ELIGIBILITY_NATURE_CITIZEN;
	f.service = ELIGIBILITY_SERVICE_SAAS;
	f.start = 20260302;
	f.need = ELIGIBILITY_GRADE_MID;
	f.vendor = ELIGIBILITY_VENDOR_APPROVED;
	f.certs = cert;
	f.ncerts = 1;
	f.iaas_known = 1;
	f.iaas_certs = iaas;
	f.niaas_certs = 1;
	assert_int_equal(eligibility_decide(eligibility_builtin,
	    eligibility_nbuiltin, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.outcome, ELIGIBILITY_NOT_ELIGIBLE);
	assert_int_equal(d.version, 2);
	assert_int_equal(d.effective, 20230131);
	assert_int_equal(d.nreasons, 1);
	assert_int_equal(eligibility_reason_format(&d.reasons[0], "ko", buf,
	    sizeof(buf)), ELIGIBILITY_OK);
	assert_string_equal(buf,
	    "이 서비스는 CSAP 인증이 만료되어(2026-03-01) 계약할 수 없습니다.");
	assert_int_equal(eligibility_reason_format(&d.reasons[0], "en", buf,
	    sizeof(buf)), ELIGIBILITY_OK);
	assert_string_equal(buf, "This service cannot be contracted: its CSAP "
	    "certificate expired on 2026-03-01.");
}

/* --- built-in rule sets and picking --- */

static void
test_builtin(void **state)
{
	const struct eligibility_ruleset	*v1, *v2;
	const char				*bad = "x";
	size_t					 i;

	(void)state;
	assert_int_equal(eligibility_nbuiltin, 2);
	for (i = 0; i < eligibility_nbuiltin; i++) {
		assert_int_equal(eligibility_rules_check(
		    &eligibility_builtin[i], &bad), ELIGIBILITY_OK);
		assert_null(bad);
	}
	v1 = &eligibility_builtin[0];
	v2 = &eligibility_builtin[1];
	assert_int_equal(v1->version, 1);
	assert_int_equal(v1->effective, 20191128);
	assert_int_equal(v2->version, 2);
	assert_int_equal(v2->effective, 20230131);
	assert_int_equal(v1->grades, 0);
	assert_int_equal(v2->grades, 1);
	assert_int_equal(v2->default_grade, ELIGIBILITY_GRADE_MID);
	assert_int_equal(v2->legacy_grade[ELIGIBILITY_CSAP_SAAS_SIMPLE],
	    ELIGIBILITY_GRADE_LOW);
	assert_int_equal(v1->excluded_data, ELIGIBILITY_DATA_ALL);
	assert_int_equal(v2->excluded_data, ELIGIBILITY_DATA_ALL);
	assert_int_equal(v1->csap_fit[ELIGIBILITY_SERVICE_SAAS]
	    [ELIGIBILITY_CSAP_SAAS_SIMPLE], ELIGIBILITY_AGENCY_DECISION);
	assert_int_equal(v2->csap_fit[ELIGIBILITY_SERVICE_SAAS]
	    [ELIGIBILITY_CSAP_SAAS_SIMPLE], ELIGIBILITY_ELIGIBLE);
	assert_true(strstr(v1->name_ko, "네거티브") != NULL);
	assert_true(strstr(v2->name_en, "grades") != NULL);
}

static void
test_pick(void **state)
{
	struct eligibility_ruleset	sets[4];
	const char			*bad;
	long				 bi;
	size_t				 idx;

	(void)state;
	/* Order in the array does not matter. */
	sets[0] = eligibility_builtin[1];
	sets[1] = eligibility_builtin[0];
	assert_int_equal(eligibility_rules_pick(sets, 2, 20230130, &idx,
	    &bad, &bi), ELIGIBILITY_OK);
	assert_int_equal(sets[idx].version, 1);
	assert_null(bad);
	assert_int_equal(bi, -1);
	assert_int_equal(eligibility_rules_pick(sets, 2, 20230131, &idx,
	    NULL, NULL), ELIGIBILITY_OK);
	assert_int_equal(sets[idx].version, 2);
	assert_int_equal(eligibility_rules_pick(sets, 2, 20191127, &idx,
	    &bad, &bi), ELIGIBILITY_ENORULES);
	assert_null(bad);

	/* A correction published for the same day: the higher version. */
	sets[2] = eligibility_builtin[1];
	sets[2].version = 7;
	sets[3] = eligibility_builtin[1];
	sets[3].version = 5;
	assert_int_equal(eligibility_rules_pick(sets, 4, 20240101, &idx,
	    NULL, NULL), ELIGIBILITY_OK);
	assert_int_equal(sets[idx].version, 7);

	/* A later set. */
	sets[3].effective = 20250701;
	assert_int_equal(eligibility_rules_pick(sets, 4, 20250630, &idx,
	    NULL, NULL), ELIGIBILITY_OK);
	assert_int_equal(sets[idx].version, 7);
	assert_int_equal(eligibility_rules_pick(sets, 4, 20250701, &idx,
	    NULL, NULL), ELIGIBILITY_OK);
	assert_int_equal(sets[idx].version, 5);

	/* A version used twice. */
	sets[3].version = 1;
	assert_int_equal(eligibility_rules_pick(sets, 4, 20250701, &idx,
	    &bad, &bi), ELIGIBILITY_EINVAL);
	assert_string_equal(bad, "version");
	assert_int_equal(bi, 3);

	/* An invalid set anywhere in the array. */
	sets[3].version = 5;
	sets[2].internal[1] = (enum eligibility_outcome)3;
	assert_int_equal(eligibility_rules_pick(sets, 4, 20250701, &idx,
	    &bad, &bi), ELIGIBILITY_EINVAL);
	assert_string_equal(bad, "internal");
	assert_int_equal(bi, 2);

	/* Arguments. */
	assert_int_equal(eligibility_rules_pick(NULL, 0, 20250701, &idx,
	    &bad, &bi), ELIGIBILITY_ENORULES);
	assert_int_equal(eligibility_rules_pick(NULL, 2, 20250701, &idx,
	    &bad, &bi), ELIGIBILITY_EINVAL);
	assert_string_equal(bad, "rules");
	assert_int_equal(eligibility_rules_pick(eligibility_builtin, 2,
	    20250230, &idx, &bad, &bi), ELIGIBILITY_EINVAL);
	assert_string_equal(bad, "date");
	assert_int_equal(eligibility_rules_pick(eligibility_builtin, 2,
	    20250701, NULL, &bad, &bi), ELIGIBILITY_EINVAL);
	assert_string_equal(bad, "idx");
}

/* One broken field of a rule set and the name the check gives it. */
struct rules_row {
	const char	*bad;
	int		 which;
	long		 value;
};

static const struct rules_row rules_rows[] = {
	{ "version", 0, 0 },
	{ "version", 0, -1 },
	{ "effective", 1, 0 },
	{ "effective", 1, 20230229 },
	{ "effective", 1, 18991231 },
	{ "name_ko", 2, 0 },
	{ "name_ko", 3, 0 },
	{ "name_en", 4, 0 },
	{ "name_en", 5, 0 },
	{ "excluded_data", 6, 1L << ELIGIBILITY_DATA__MAX },
	{ "internal", 7, ELIGIBILITY_OUTCOME__MAX },
	{ "internal", 7, -1 },
	{ "csap_required", 8, 2 },
	{ "csap_required", 8, -1 },
	{ "iaas_required", 9, 2 },
	{ "csap_fit", 10, ELIGIBILITY_OUTCOME__MAX },
	{ "csap_fit", 10, -5 },
	{ "grades", 11, 2 },
	{ "default_grade", 12, ELIGIBILITY_GRADE__MAX },
	{ "default_grade", 12, -1 },
	{ "legacy_grade", 13, ELIGIBILITY_GRADE__MAX },
};

static void
test_rules_check(void **state)
{
	struct eligibility_ruleset	rs;
	const char			*bad;
	size_t				 i;

	(void)state;
	assert_int_equal(eligibility_rules_check(NULL, &bad),
	    ELIGIBILITY_EINVAL);
	assert_string_equal(bad, "rules");
	assert_int_equal(eligibility_rules_check(NULL, NULL),
	    ELIGIBILITY_EINVAL);
	for (i = 0; i < NELEM(rules_rows); i++) {
		rs = eligibility_builtin[1];
		switch (rules_rows[i].which) {
		case 0:
			rs.version = (int)rules_rows[i].value;
			break;
		case 1:
			rs.effective = (int)rules_rows[i].value;
			break;
		case 2:
			rs.name_ko[0] = '\0';
			break;
		case 3:
			memset(rs.name_ko, 'x', sizeof(rs.name_ko));
			break;
		case 4:
			rs.name_en[0] = '\0';
			break;
		case 5:
			memset(rs.name_en, 'x', sizeof(rs.name_en));
			break;
		case 6:
			rs.excluded_data = (unsigned int)rules_rows[i].value;
			break;
		case 7:
			rs.internal[ELIGIBILITY_AGENCY__MAX - 1] =
			    (enum eligibility_outcome)rules_rows[i].value;
			break;
		case 8:
			rs.csap_required[ELIGIBILITY_SERVICE_DAAS] =
			    (int)rules_rows[i].value;
			break;
		case 9:
			rs.iaas_required[ELIGIBILITY_SERVICE_PAAS] =
			    (int)rules_rows[i].value;
			break;
		case 10:
			rs.csap_fit[ELIGIBILITY_SERVICE__MAX - 1]
			    [ELIGIBILITY_CSAP__MAX - 1] =
			    (enum eligibility_outcome)rules_rows[i].value;
			break;
		case 11:
			rs.grades = (int)rules_rows[i].value;
			break;
		case 12:
			rs.default_grade =
			    (enum eligibility_grade)rules_rows[i].value;
			break;
		default:
			rs.legacy_grade[ELIGIBILITY_CSAP_DAAS] =
			    (enum eligibility_grade)rules_rows[i].value;
			break;
		}
		bad = NULL;
		assert_int_equal(eligibility_rules_check(&rs, &bad),
		    ELIGIBILITY_EINVAL);
		assert_non_null(bad);
		if (strcmp(bad, rules_rows[i].bad) != 0)
			fail_msg("row %zu: bad %s, want %s", i, bad,
			    rules_rows[i].bad);
	}
}

/* --- edited rule sets, as the procurement office may store them --- */

/* Decides with the built-ins plus one edited set in force from 2024. */
static enum eligibility_err
decide_with(const struct eligibility_ruleset *edited,
    const struct eligibility_facts *f, struct eligibility_decision *d)
{
	struct eligibility_ruleset	sets[3];

	sets[0] = eligibility_builtin[0];
	sets[1] = eligibility_builtin[1];
	sets[2] = *edited;
	return (eligibility_decide(sets, 3, f, d));
}

static struct eligibility_ruleset
edited_base(void)
{
	struct eligibility_ruleset	rs;

	rs = eligibility_builtin[1];
	rs.version = 3;
	rs.effective = 20240101;
	return (rs);
}

static void
saas_facts(struct eligibility_facts *f, const struct eligibility_cert *c,
    size_t nc, const struct eligibility_cert *ic, size_t nic)
{
	memset(f, 0, sizeof(*f));
	f->agency = ELIGIBILITY_AGENCY_PUBLIC;
	f->nature = ELIGIBILITY_NATURE_CITIZEN;
	f->service = ELIGIBILITY_SERVICE_SAAS;
	f->start = D23;
	f->need = ELIGIBILITY_GRADE_MID;
	f->vendor = ELIGIBILITY_VENDOR_APPROVED;
	f->certs = c;
	f->ncerts = nc;
	f->iaas_known = 1;
	f->iaas_certs = ic;
	f->niaas_certs = nic;
}

static void
test_edited_iaas_agency(void **state)
{
	static const struct eligibility_cert	saas[] = {
		GOOD(SAAS_STANDARD, MID)
	};
	static const struct eligibility_cert	iaas[] = { GOOD(IAAS, MID) };
	struct eligibility_ruleset		rs;
	struct eligibility_facts		f;
	struct eligibility_decision		d;

	(void)state;
	rs = edited_base();
	rs.csap_fit[ELIGIBILITY_SERVICE_IAAS][ELIGIBILITY_CSAP_IAAS] =
	    ELIGIBILITY_AGENCY_DECISION;
	saas_facts(&f, saas, 1, iaas, 1);
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.version, 3);
	assert_int_equal(d.outcome, ELIGIBILITY_AGENCY_DECISION);
	assert_int_equal(d.nreasons, 1);
	assert_int_equal(d.reasons[0].code, R(IAAS_CSAP_TYPE_AGENCY));
	assert_int_equal(d.reasons[0].type, ELIGIBILITY_CSAP_IAAS);
	check_invariants(&d);

	/* The same row judges an IaaS service's own certificate. */
	f.service = ELIGIBILITY_SERVICE_IAAS;
	f.certs = iaas;
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.outcome, ELIGIBILITY_AGENCY_DECISION);
	assert_int_equal(d.nreasons, 1);
	assert_int_equal(d.reasons[0].code, R(CSAP_TYPE_AGENCY));
	check_invariants(&d);

	/* Before the edited set is in force, version 2 answers. */
	f.start = 20231231;
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.version, 2);
	assert_int_equal(d.outcome, ELIGIBILITY_ELIGIBLE);
}

static void
test_edited_grades(void **state)
{
	static const struct eligibility_cert	iaas[] = { GOOD(IAAS, NONE) };
	struct eligibility_ruleset		rs;
	struct eligibility_facts		f;
	struct eligibility_decision		d;
	char					buf[ELIGIBILITY_MSG_MAX];

	(void)state;
	/* No default grade: nothing assumed, any grade will do. */
	rs = edited_base();
	rs.default_grade = ELIGIBILITY_GRADE_NONE;
	saas_facts(&f, iaas, 1, NULL, 0);
	f.service = ELIGIBILITY_SERVICE_IAAS;
	f.need = ELIGIBILITY_GRADE_NONE;
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.outcome, ELIGIBILITY_ELIGIBLE);
	assert_int_equal(d.nreasons, 1);
	assert_int_equal(d.reasons[0].code, R(CSAP_GRADE_RECOGNISED));

	/* Ungraded certificates no longer count: too low, "등급 없음". */
	rs.legacy_grade[ELIGIBILITY_CSAP_IAAS] = ELIGIBILITY_GRADE_NONE;
	f.need = ELIGIBILITY_GRADE_LOW;
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.outcome, ELIGIBILITY_NOT_ELIGIBLE);
	assert_int_equal(d.nreasons, 1);
	assert_int_equal(d.reasons[0].code, R(CSAP_GRADE_TOO_LOW));
	assert_int_equal(d.reasons[0].have, ELIGIBILITY_GRADE_NONE);
	assert_int_equal(eligibility_reason_format(&d.reasons[0], "ko", buf,
	    sizeof(buf)), ELIGIBILITY_OK);
	assert_string_equal(buf, "이 서비스의 CSAP 인증 등급(등급 없음)이 "
	    "이 시스템에 필요한 등급(하 이상)보다 낮아 계약할 수 없습니다.");
	check_invariants(&d);
}

static void
test_edited_tables(void **state)
{
	struct eligibility_ruleset		rs;
	struct eligibility_facts		f;
	struct eligibility_decision		d;

	(void)state;
	/* PaaS must run on certified IaaS, without a CSAP of its own. */
	rs = edited_base();
	rs.iaas_required[ELIGIBILITY_SERVICE_PAAS] = 1;
	saas_facts(&f, NULL, 0, NULL, 0);
	f.service = ELIGIBILITY_SERVICE_PAAS;
	f.iaas_known = 0;
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.outcome, ELIGIBILITY_NOT_ELIGIBLE);
	assert_int_equal(d.nreasons, 2);
	assert_int_equal(d.reasons[0].code, R(CSAP_NOT_REQUIRED));
	assert_int_equal(d.reasons[1].code, R(IAAS_UNKNOWN));
	check_invariants(&d);

	/* Internal systems opened to every agency; no exclusions. */
	rs = edited_base();
	memset(rs.internal, 0, sizeof(rs.internal));
	rs.excluded_data = 0;
	f.service = ELIGIBILITY_SERVICE_SUPPORT;
	f.agency = ELIGIBILITY_AGENCY_CENTRAL;
	f.nature = ELIGIBILITY_NATURE_INTERNAL;
	f.data = ELIGIBILITY_DATA_ALL;
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.outcome, ELIGIBILITY_ELIGIBLE);
	assert_int_equal(d.nreasons, 1);
	assert_int_equal(d.reasons[0].code, R(CSAP_NOT_REQUIRED));

	/* Only some categories excluded. */
	rs.excluded_data = ELIGIBILITY_DATA_BIT(ELIGIBILITY_DATA_SECURITY);
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.outcome, ELIGIBILITY_NOT_ELIGIBLE);
	assert_int_equal(d.nreasons, 2);
	assert_int_equal(d.reasons[0].code, R(DATA_SECURITY));

	/* An edited set that is broken is refused, not half-applied. */
	rs.grades = 5;
	assert_int_equal(decide_with(&rs, &f, &d), ELIGIBILITY_EINVAL);
	assert_string_equal(d.bad, "grades");
	assert_int_equal(d.bad_index, 2);
	assert_int_equal(d.nreasons, 0);
}

/* --- hostile input --- */

/* One broken field of the facts and the name the engine gives it. */
struct facts_row {
	const char	*bad;
	long		 index;
	int		 which;
	long		 value;
};

static const struct facts_row facts_rows[] = {
	{ "agency", -1, 0, ELIGIBILITY_AGENCY__MAX },
	{ "agency", -1, 0, -1 },
	{ "agency", -1, 0, 1000000 },
	{ "nature", -1, 1, ELIGIBILITY_NATURE__MAX },
	{ "nature", -1, 1, -1 },
	{ "data", -1, 2, 1L << ELIGIBILITY_DATA__MAX },
	{ "data", -1, 2, 0x80000000L },
	{ "service", -1, 3, ELIGIBILITY_SERVICE__MAX },
	{ "service", -1, 3, -3 },
	{ "start", -1, 4, 0 },
	{ "start", -1, 4, -20260301 },
	{ "start", -1, 4, 20230229 },
	{ "start", -1, 4, 20231301 },
	{ "start", -1, 4, 20231200 },
	{ "start", -1, 4, 20230431 },
	{ "start", -1, 4, 2026301 },
	{ "start", -1, 4, 99999999 },
	{ "need", -1, 5, ELIGIBILITY_GRADE__MAX },
	{ "need", -1, 5, -1 },
	{ "vendor", -1, 6, ELIGIBILITY_VENDOR__MAX },
	{ "vendor", -1, 6, -1 },
	{ "certs", -1, 7, 1 },
	{ "iaas_certs", -1, 8, 2 },
	{ "certs.scheme", 1, 9, ELIGIBILITY_SCHEME__MAX },
	{ "certs.scheme", 1, 9, -1 },
	{ "certs.type", 1, 10, ELIGIBILITY_CSAP__MAX },
	{ "certs.grade", 1, 11, ELIGIBILITY_GRADE__MAX },
	{ "certs.status", 1, 12, ELIGIBILITY_CERT__MAX },
	{ "certs.status", 1, 12, -1 },
	{ "certs.issued", 1, 13, 0 },
	{ "certs.issued", 1, 13, 20250230 },
	{ "certs.expires", 1, 14, 0 },
	{ "certs.expires", 1, 14, 20181231 },	/* before issue */
	{ "certs.expires", 1, 14, 202912310 },
	{ "certs.status_since", 1, 15, 20251340 },
	{ "certs.status_since", 1, 16, 0 },	/* revoked needs a date */
	{ "certs.status_since", 1, 17, 0 },	/* suspended needs one */
	{ "certs.issued", 1, 18, 20250230 },	/* pending: 0 or a date */
	{ "certs.expires", 1, 19, 20200101 },	/* pending, before issue */
	{ "iaas_certs.type", 0, 20, -1 },
	{ "iaas_certs.status_since", 0, 21, 0 },
	{ NULL, -1, 22, 0 },			/* other scheme, junk */
	{ NULL, -1, 23, 0 },			/* pending, no dates */
	{ NULL, -1, 24, 0 },			/* NULL lists, no counts */
};

static void
test_hostile_facts(void **state)
{
	struct eligibility_cert		certs[2] = {
		GOOD(SAAS_STANDARD, MID), GOOD(SAAS_STANDARD, MID)
	};
	struct eligibility_cert		iaas[1] = { GOOD(IAAS, MID) };
	struct eligibility_facts	f;
	struct eligibility_decision	d;
	const struct facts_row		*row;
	enum eligibility_err		 rc;
	size_t				 i;

	(void)state;
	for (i = 0; i < NELEM(facts_rows); i++) {
		row = &facts_rows[i];
		certs[1] = (struct eligibility_cert)GOOD(SAAS_STANDARD, MID);
		iaas[0] = (struct eligibility_cert)GOOD(IAAS, MID);
		saas_facts(&f, certs, 2, iaas, 1);
		switch (row->which) {
		case 0:
			f.agency = (enum eligibility_agency)row->value;
			break;
		case 1:
			f.nature = (enum eligibility_nature)row->value;
			break;
		case 2:
			f.data = (unsigned int)row->value;
			break;
		case 3:
			f.service = (enum eligibility_service)row->value;
			break;
		case 4:
			f.start = (int)row->value;
			break;
		case 5:
			f.need = (enum eligibility_grade)row->value;
			break;
		case 6:
			f.vendor = (enum eligibility_vendor)row->value;
			break;
		case 7:
			f.certs = NULL;
			f.ncerts = (size_t)row->value;
			break;
		case 8:
			f.iaas_certs = NULL;
			f.niaas_certs = (size_t)row->value;
			break;
		case 9:
			certs[1].scheme = (enum eligibility_scheme)row->value;
			break;
		case 10:
			certs[1].type = (enum eligibility_csap_type)row->value;
			break;
		case 11:
			certs[1].grade = (enum eligibility_grade)row->value;
			break;
		case 12:
			certs[1].status =
			    (enum eligibility_cert_status)row->value;
			break;
		case 13:
			certs[1].issued = (int)row->value;
			break;
		case 14:
			certs[1].expires = (int)row->value;
			break;
		case 15:
			certs[1].status_since = (int)row->value;
			break;
		case 16:
			certs[1].status = ELIGIBILITY_CERT_REVOKED;
			certs[1].status_since = (int)row->value;
			break;
		case 17:
			certs[1].status = ELIGIBILITY_CERT_SUSPENDED;
			certs[1].status_since = (int)row->value;
			break;
		case 18:
			certs[1].status = ELIGIBILITY_CERT_PENDING;
			certs[1].issued = (int)row->value;
			break;
		case 19:
			certs[1].status = ELIGIBILITY_CERT_PENDING;
			certs[1].issued = 20210101;
			certs[1].expires = (int)row->value;
			break;
		case 20:
			iaas[0].type = (enum eligibility_csap_type)row->value;
			break;
		case 21:
			iaas[0].status = ELIGIBILITY_CERT_REVOKED;
			break;
		case 22:
			certs[1].scheme = ELIGIBILITY_SCHEME_FEDRAMP;
			certs[1].type = (enum eligibility_csap_type)77;
			certs[1].grade = (enum eligibility_grade)-9;
			certs[1].status = (enum eligibility_cert_status)12;
			certs[1].issued = -1;
			certs[1].expires = 3;
			break;
		case 23:
			certs[1] = (struct eligibility_cert)
			    CERT(SAAS_STANDARD, MID, PENDING, 0, 0, 0);
			break;
		default:
			f.certs = NULL;
			f.ncerts = 0;
			f.iaas_certs = NULL;
			f.niaas_certs = 0;
			break;
		}
		rc = eligibility_decide(eligibility_builtin,
		    eligibility_nbuiltin, &f, &d);
		if (row->bad == NULL) {
			if (rc != ELIGIBILITY_OK)
				fail_msg("row %zu: %s (%s)", i,
				    eligibility_err_name(rc), d.bad);
			check_invariants(&d);
			continue;
		}
		if (rc != ELIGIBILITY_EINVAL || d.bad == NULL ||
		    strcmp(d.bad, row->bad) != 0 || d.bad_index != row->index)
			fail_msg("row %zu: %s bad %s[%ld], want %s[%ld]", i,
			    eligibility_err_name(rc), d.bad ? d.bad : "NULL",
			    d.bad_index, row->bad, row->index);
		assert_int_equal(d.nreasons, 0);
		assert_int_equal(d.version, 0);
		assert_int_equal(d.outcome, ELIGIBILITY_ELIGIBLE);
	}
}

static void
test_hostile_args(void **state)
{
	struct eligibility_facts	f;
	struct eligibility_decision	d;

	(void)state;
	saas_facts(&f, NULL, 0, NULL, 0);
	assert_int_equal(eligibility_decide(eligibility_builtin,
	    eligibility_nbuiltin, &f, NULL), ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_decide(eligibility_builtin,
	    eligibility_nbuiltin, NULL, &d), ELIGIBILITY_EINVAL);
	assert_string_equal(d.bad, "facts");
	assert_int_equal(eligibility_decide(NULL, 0, &f, &d),
	    ELIGIBILITY_ENORULES);
	assert_int_equal(d.nreasons, 0);
	assert_int_equal(eligibility_decide(NULL, 3, &f, &d),
	    ELIGIBILITY_EINVAL);
	assert_string_equal(d.bad, "rules");
	/* A broken fact is reported before a missing rule set. */
	f.start = 20250229;
	assert_int_equal(eligibility_decide(NULL, 0, &f, &d),
	    ELIGIBILITY_EINVAL);
	assert_string_equal(d.bad, "start");
	/* A NULL list with no count is an empty list. */
	saas_facts(&f, NULL, 0, NULL, 0);
	assert_int_equal(eligibility_decide(eligibility_builtin,
	    eligibility_nbuiltin, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.nreasons, 2);
	assert_int_equal(d.reasons[0].code, R(CSAP_MISSING));
	assert_int_equal(d.reasons[1].code, R(IAAS_CSAP_MISSING));
}

/* --- messages --- */

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return (0);
	return (1);
}

/* A reason with every parameter set, so any message can render. */
static struct eligibility_reason
full_reason(enum eligibility_code c)
{
	struct eligibility_reason	r;

	r.code = c;
	r.date = 20260301;
	r.have = ELIGIBILITY_GRADE_LOW;
	r.need = ELIGIBILITY_GRADE_HIGH;
	r.type = ELIGIBILITY_CSAP_SAAS_SIMPLE;
	r.agency = ELIGIBILITY_AGENCY_METRO;
	r.service = ELIGIBILITY_SERVICE_SAAS;
	return (r);
}

static void
test_code_table(void **state)
{
	struct eligibility_reason	 r;
	enum eligibility_code		 back;
	char				 ko[ELIGIBILITY_MSG_MAX];
	char				 en[ELIGIBILITY_MSG_MAX];
	const char			*name, *p;
	int				 c, c2, n[ELIGIBILITY_OUTCOME__MAX];

	(void)state;
	memset(n, 0, sizeof(n));
	for (c = 0; c < ELIGIBILITY_CODE__MAX; c++) {
		name = eligibility_code_name((enum eligibility_code)c);
		assert_non_null(name);
		for (p = name; *p != '\0'; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
		for (c2 = 0; c2 < c; c2++)
			assert_string_not_equal(name,
			    eligibility_code_name((enum eligibility_code)c2));
		assert_int_equal(eligibility_code_value(name, &back),
		    ELIGIBILITY_OK);
		assert_int_equal(back, c);
		assert_true(eligibility_code_outcome((enum eligibility_code)c)
		    < ELIGIBILITY_OUTCOME__MAX);
		n[eligibility_code_outcome((enum eligibility_code)c)]++;

		/* Both languages, complete, and really in that language. */
		r = full_reason((enum eligibility_code)c);
		if (eligibility_reason_format(&r, "ko", ko, sizeof(ko)) !=
		    ELIGIBILITY_OK)
			fail_msg("%s: no Korean message", name);
		if (eligibility_reason_format(&r, "en", en, sizeof(en)) !=
		    ELIGIBILITY_OK)
			fail_msg("%s: no English message", name);
		assert_true(strlen(ko) > 10 && strlen(en) > 10);
		assert_null(strchr(ko, '{'));
		assert_null(strchr(ko, '}'));
		assert_null(strchr(en, '{'));
		assert_null(strchr(en, '}'));
		if (!is_ascii(en))
			fail_msg("%s: English message not ASCII: %s", name, en);
		if (is_ascii(ko))
			fail_msg("%s: Korean message is ASCII: %s", name, ko);
		assert_string_not_equal(ko, en);
		/* Every sentence ends as a sentence. */
		assert_int_equal(en[strlen(en) - 1], '.');
		assert_int_equal(ko[strlen(ko) - 1], '.');
	}
	/* Each outcome has codes; out of range is refused. */
	for (c = 0; c < ELIGIBILITY_OUTCOME__MAX; c++)
		assert_true(n[c] > 0);
	assert_null(eligibility_code_name(ELIGIBILITY_CODE__MAX));
	assert_null(eligibility_code_name((enum eligibility_code)-1));
	assert_int_equal(eligibility_code_outcome(ELIGIBILITY_CODE__MAX),
	    ELIGIBILITY_OUTCOME__MAX);
	back = R(VENDOR_CLOSED);
	assert_int_equal(eligibility_code_value("csap_nope", &back),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_code_value("CSAP_EXPIRED", &back),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_code_value("", &back),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_code_value(NULL, &back),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_code_value("csap_expired", NULL),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(back, R(VENDOR_CLOSED));
}

/* Every code with every parameter value fits ELIGIBILITY_MSG_MAX. */
static void
test_messages_fit(void **state)
{
	struct eligibility_reason	r;
	char				buf[ELIGIBILITY_MSG_MAX];
	int				c, a, s, t, h, l;
	size_t				longest = 0;

	(void)state;
	for (c = 0; c < ELIGIBILITY_CODE__MAX; c++)
	for (a = 0; a < ELIGIBILITY_AGENCY__MAX; a++)
	for (s = 0; s < ELIGIBILITY_SERVICE__MAX; s++)
	for (t = 0; t < ELIGIBILITY_CSAP__MAX; t++)
	for (h = 0; h < ELIGIBILITY_GRADE__MAX; h++)
	for (l = 0; l < 2; l++) {
		r = full_reason((enum eligibility_code)c);
		r.agency = (enum eligibility_agency)a;
		r.service = (enum eligibility_service)s;
		r.type = (enum eligibility_csap_type)t;
		r.have = (enum eligibility_grade)h;
		r.need = (enum eligibility_grade)h;
		assert_int_equal(eligibility_reason_format(&r,
		    l ? "en" : "ko", buf, sizeof(buf)), ELIGIBILITY_OK);
		if (strlen(buf) > longest)
			longest = strlen(buf);
	}
	/* Room to spare for longer labels later. */
	assert_true(longest < ELIGIBILITY_MSG_MAX / 2);
}

struct exact_row {
	enum eligibility_code		code;
	int				date;
	enum eligibility_grade		have, need;
	enum eligibility_csap_type	type;
	enum eligibility_agency		agency;
	enum eligibility_service	service;
	const char			*ko;
	const char			*en;
};

static const struct exact_row exact_rows[] = {
	{ R(CSAP_EXPIRED), 20260301, 0, 0, 0, 0, 0,
	  "이 서비스는 CSAP 인증이 만료되어(2026-03-01) 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP certificate expired "
	  "on 2026-03-01." },
	{ R(CSAP_REVOKED), 20251115, 0, 0, 0, 0, 0,
	  "이 서비스는 CSAP 인증이 취소되어(2025-11-15) 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP certificate was "
	  "revoked on 2025-11-15." },
	{ R(INTERNAL_GCLOUD), 0, 0, 0, 0, ELIGIBILITY_AGENCY_CENTRAL, 0,
	  "중앙부처의 내부 업무 시스템(非대국민)은 정부 클라우드(G-클라우드)를 "
	  "이용해야 하므로 이 민간 클라우드 서비스를 계약할 수 없습니다.",
	  "This service cannot be contracted: internal (non-citizen-facing) "
	  "systems of a central ministry must use the government cloud "
	  "(G-Cloud)." },
	{ R(INTERNAL_ADVISED), 0, 0, 0, 0, ELIGIBILITY_AGENCY_BASIC, 0,
	  "기초자치단체의 내부 업무 시스템(非대국민)에는 전용 클라우드 이용이 "
	  "권고됩니다. 이 서비스를 계약하려면 기관이 판단하여 사유를 "
	  "기록해야 합니다.",
	  "A dedicated cloud is advised for internal (non-citizen-facing) "
	  "systems of a basic local government: to contract this service "
	  "the agency must decide and record its justification." },
	{ R(CSAP_GRADE_TOO_LOW), 0, ELIGIBILITY_GRADE_MID,
	  ELIGIBILITY_GRADE_HIGH, 0, 0, 0,
	  "이 서비스의 CSAP 인증 등급(중)이 이 시스템에 필요한 등급(상 이상)"
	  "보다 낮아 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP grade (medium) is "
	  "below the grade the system needs (high or higher)." },
	{ R(CSAP_TYPE_MISMATCH), 0, 0, 0, ELIGIBILITY_CSAP_SAAS_STANDARD, 0,
	  ELIGIBILITY_SERVICE_IAAS,
	  "이 서비스의 CSAP 인증(SaaS 표준)은 IaaS 서비스에 맞는 유형이 "
	  "아니어서 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP certificate (SaaS "
	  "standard) is not of a type that covers IaaS services." },
	{ R(CSAP_TYPE_AGENCY), 0, 0, 0, ELIGIBILITY_CSAP_SAAS_SIMPLE, 0,
	  ELIGIBILITY_SERVICE_SAAS,
	  "이 서비스의 CSAP 인증(SaaS 간편)으로 SaaS 서비스를 이용할 수 "
	  "있는지는 기관이 업무의 보안 중요도를 보고 판단해야 합니다. "
	  "계약하려면 사유를 기록하십시오.",
	  "Whether this service's CSAP certificate (SaaS simple) suffices "
	  "for a SaaS service depends on the security importance of the "
	  "work: the agency must decide and record its justification." },
	{ R(CSAP_NOT_REQUIRED), 0, 0, 0, 0, 0, ELIGIBILITY_SERVICE_SUPPORT,
	  "클라우드 지원 서비스는 CSAP 인증 대상이 아니어서 인증을 확인하지 "
	  "않았습니다.",
	  "CSAP certification does not apply to cloud support services; no "
	  "certificate was checked." },
	{ R(GRADE_ASSUMED), 0, 0, ELIGIBILITY_GRADE_MID, 0, 0, 0,
	  "이 시스템의 CSAP 등급이 입력되지 않아 중 등급이 필요한 것으로 "
	  "보고 판단했습니다.",
	  "The system's CSAP grade was not given; grade medium was "
	  "assumed." },
	{ R(IAAS_CSAP_NOT_YET_VALID), 20260302, 0, 0, 0, 0, 0,
	  "이 서비스가 이용하는 인프라(IaaS)의 CSAP 인증은 2026-03-02부터 "
	  "유효하여 그 전에 시작하는 계약은 할 수 없습니다.",
	  "This service cannot be contracted from this start date: the CSAP "
	  "certificate of the IaaS it runs on is valid only from "
	  "2026-03-02." },
	{ R(IAAS_UNKNOWN), 0, 0, 0, 0, 0, 0,
	  "이 서비스가 이용하는 인프라(IaaS)가 확인되지 않아 계약할 수 "
	  "없습니다. 이 서비스는 CSAP 인증을 받은 IaaS에서 운영되어야 "
	  "합니다.",
	  "This service cannot be contracted: the IaaS it runs on is not "
	  "known, and it must run on CSAP-certified IaaS." },
};

static void
test_messages_exact(void **state)
{
	struct eligibility_reason	r;
	char				buf[ELIGIBILITY_MSG_MAX];
	size_t				i;

	(void)state;
	for (i = 0; i < NELEM(exact_rows); i++) {
		memset(&r, 0, sizeof(r));
		r.code = exact_rows[i].code;
		r.date = exact_rows[i].date;
		r.have = exact_rows[i].have;
		r.need = exact_rows[i].need;
		r.type = exact_rows[i].type;
		r.agency = exact_rows[i].agency;
		r.service = exact_rows[i].service;
		assert_int_equal(eligibility_reason_format(&r, "ko", buf,
		    sizeof(buf)), ELIGIBILITY_OK);
		assert_string_equal(buf, exact_rows[i].ko);
		assert_int_equal(eligibility_reason_format(&r, "en", buf,
		    sizeof(buf)), ELIGIBILITY_OK);
		assert_string_equal(buf, exact_rows[i].en);
		/* Anything but exactly "en" is Korean. */
		assert_int_equal(eligibility_reason_format(&r, NULL, buf,
		    sizeof(buf)), ELIGIBILITY_OK);
		assert_string_equal(buf, exact_rows[i].ko);
		assert_int_equal(eligibility_reason_format(&r, "EN", buf,
		    sizeof(buf)), ELIGIBILITY_OK);
		assert_string_equal(buf, exact_rows[i].ko);
		assert_int_equal(eligibility_reason_format(&r, "en-US", buf,
		    sizeof(buf)), ELIGIBILITY_OK);
		assert_string_equal(buf, exact_rows[i].ko);
	}
}

/* Cut messages stay NUL-terminated prefixes ending on a character. */
static void
test_messages_cut(void **state)
{
	struct eligibility_reason	r;
	char				full[ELIGIBILITY_MSG_MAX];
	char				buf[ELIGIBILITY_MSG_MAX];
	size_t				len, got;
	int				c, l;

	(void)state;
	for (c = 0; c < ELIGIBILITY_CODE__MAX; c++)
	for (l = 0; l < 2; l++) {
		r = full_reason((enum eligibility_code)c);
		assert_int_equal(eligibility_reason_format(&r,
		    l ? "en" : "ko", full, sizeof(full)), ELIGIBILITY_OK);
		for (len = 1; len <= strlen(full) + 1; len++) {
			memset(buf, 'Z', sizeof(buf));
			assert_int_equal(eligibility_reason_format(&r,
			    l ? "en" : "ko", buf, len),
			    len <= strlen(full) ? ELIGIBILITY_ESPACE :
			    ELIGIBILITY_OK);
			got = strlen(buf);
			assert_true(got < len);
			assert_memory_equal(buf, full, got);
			/* Not in the middle of a UTF-8 sequence. */
			assert_true(((unsigned char)full[got] & 0xc0) != 0x80);
			/* And no more than 3 bytes short of the room. */
			assert_true(got + 4 >= len);
		}
	}
}

static void
test_messages_bad(void **state)
{
	struct eligibility_reason	r;
	char				buf[ELIGIBILITY_MSG_MAX];

	(void)state;
	r = full_reason(R(CSAP_EXPIRED));
	assert_int_equal(eligibility_reason_format(&r, "ko", NULL, 10),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_reason_format(&r, "ko", buf, 0),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_reason_format(NULL, "ko", buf,
	    sizeof(buf)), ELIGIBILITY_EINVAL);
	assert_string_equal(buf, "");
#define BAD_FORMAT(field, v, code) do {					\
	r = full_reason(R(code));					\
	r.field = v;							\
	strcpy(buf, "junk");						\
	assert_int_equal(eligibility_reason_format(&r, "ko", buf,	\
	    sizeof(buf)), ELIGIBILITY_EINVAL);				\
	assert_string_equal(buf, "");					\
	assert_int_equal(eligibility_reason_format(&r, "en", buf,	\
	    sizeof(buf)), ELIGIBILITY_EINVAL);				\
} while (0)
	BAD_FORMAT(code, ELIGIBILITY_CODE__MAX, CSAP_EXPIRED);
	BAD_FORMAT(code, (enum eligibility_code)-1, CSAP_EXPIRED);
	BAD_FORMAT(date, 0, CSAP_EXPIRED);
	BAD_FORMAT(date, 20260230, IAAS_CSAP_REVOKED);
	BAD_FORMAT(have, ELIGIBILITY_GRADE__MAX, CSAP_GRADE_TOO_LOW);
	BAD_FORMAT(need, (enum eligibility_grade)-1, GRADE_ASSUMED);
	BAD_FORMAT(type, ELIGIBILITY_CSAP__MAX, CSAP_TYPE_MISMATCH);
	BAD_FORMAT(agency, ELIGIBILITY_AGENCY__MAX, INTERNAL_GCLOUD);
	BAD_FORMAT(service, ELIGIBILITY_SERVICE__MAX, CSAP_NOT_REQUIRED);
#undef BAD_FORMAT
	/* Parameters a message does not use are not checked. */
	r = full_reason(R(VENDOR_CLOSED));
	r.date = -5;
	r.have = (enum eligibility_grade)99;
	r.agency = (enum eligibility_agency)99;
	assert_int_equal(eligibility_reason_format(&r, "ko", buf,
	    sizeof(buf)), ELIGIBILITY_OK);
}

/* --- names, labels, dates --- */

static void
test_names(void **state)
{
	static const int	 counts[ELIGIBILITY_K__MAX] = {
		ELIGIBILITY_OUTCOME__MAX, ELIGIBILITY_AGENCY__MAX,
		ELIGIBILITY_NATURE__MAX, ELIGIBILITY_DATA__MAX,
		ELIGIBILITY_SERVICE__MAX, ELIGIBILITY_GRADE__MAX,
		ELIGIBILITY_SCHEME__MAX, ELIGIBILITY_CSAP__MAX,
		ELIGIBILITY_CERT__MAX, ELIGIBILITY_VENDOR__MAX,
	};
	const char		*name, *ko, *en;
	int			 k, v, v2, back;

	(void)state;
	for (k = 0; k < ELIGIBILITY_K__MAX; k++) {
		for (v = 0; v < counts[k]; v++) {
			name = eligibility_name((enum eligibility_kind)k, v);
			ko = eligibility_label((enum eligibility_kind)k, v,
			    "ko");
			en = eligibility_label((enum eligibility_kind)k, v,
			    "en");
			assert_non_null(name);
			assert_non_null(ko);
			assert_non_null(en);
			assert_true(is_ascii(name) && is_ascii(en));
			for (v2 = 0; v2 < v; v2++)
				assert_string_not_equal(name, eligibility_name(
				    (enum eligibility_kind)k, v2));
			assert_int_equal(eligibility_value(
			    (enum eligibility_kind)k, name, &back),
			    ELIGIBILITY_OK);
			assert_int_equal(back, v);
		}
		assert_null(eligibility_name((enum eligibility_kind)k,
		    counts[k]));
		assert_null(eligibility_name((enum eligibility_kind)k, -1));
		assert_null(eligibility_label((enum eligibility_kind)k,
		    counts[k], "ko"));
		back = 42;
		assert_int_equal(eligibility_value((enum eligibility_kind)k,
		    "no_such_name", &back), ELIGIBILITY_EINVAL);
		assert_int_equal(eligibility_value((enum eligibility_kind)k,
		    NULL, &back), ELIGIBILITY_EINVAL);
		assert_int_equal(back, 42);
	}
	assert_null(eligibility_name(ELIGIBILITY_K__MAX, 0));
	assert_null(eligibility_label((enum eligibility_kind)-1, 0, "ko"));
	assert_int_equal(eligibility_value(ELIGIBILITY_K__MAX, "central",
	    &back), ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_value(ELIGIBILITY_K_AGENCY, "central",
	    NULL), ELIGIBILITY_EINVAL);
	/* A few spellings the database and the API rely on. */
	assert_string_equal(eligibility_name(ELIGIBILITY_K_OUTCOME,
	    ELIGIBILITY_AGENCY_DECISION), "agency_decision");
	assert_string_equal(eligibility_name(ELIGIBILITY_K_CSAP_TYPE,
	    ELIGIBILITY_CSAP_SAAS_SIMPLE), "saas_simple");
	assert_string_equal(eligibility_label(ELIGIBILITY_K_GRADE,
	    ELIGIBILITY_GRADE_HIGH, "ko"), "상");
	assert_string_equal(eligibility_label(ELIGIBILITY_K_AGENCY,
	    ELIGIBILITY_AGENCY_CENTRAL, NULL), "중앙부처");
	assert_string_equal(eligibility_err_name(ELIGIBILITY_ENORULES),
	    "enorules");
	assert_string_equal(eligibility_err_name(ELIGIBILITY_ERR__MAX),
	    "unknown");
	assert_string_equal(eligibility_err_name((enum eligibility_err)-1),
	    "unknown");
}

static void
test_dates(void **state)
{
	static const int	 good[] = {
		19000101, 20191128, 20230131, 20240229, 20000229, 20261231,
		20260131, 20260331, 20260430, 99991231,
	};
	static const int	 bad[] = {
		0, -1, 18991231, 100000101, 20230229, 19000229, 21000229,
		20260001, 20261301, 20260100, 20260132, 20260431, 20260229,
		2026031, 202603011, 20269999,
	};
	static const char *const bad_s[] = {
		"", "2026-3-01", "2026-03-1", "2026/03/01", "20260301",
		" 2026-03-01", "2026-03-01 ", "2026-03-01T00:00", "2026-02-29",
		"2026-13-01", "1899-12-31", "abcd-ef-gh", "2026-0a-01",
		"+026-03-01", "2026--3-01",
	};
	char			 buf[ELIGIBILITY_DATE_LEN];
	int			 d;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		assert_true(eligibility_date_valid(good[i]));
		assert_int_equal(eligibility_date_format(good[i], buf,
		    sizeof(buf)), ELIGIBILITY_OK);
		d = 0;
		assert_int_equal(eligibility_date_parse(buf, &d),
		    ELIGIBILITY_OK);
		assert_int_equal(d, good[i]);
	}
	for (i = 0; i < NELEM(bad); i++) {
		if (eligibility_date_valid(bad[i]))
			fail_msg("%d taken as a date", bad[i]);
		assert_int_equal(eligibility_date_format(bad[i], buf,
		    sizeof(buf)), ELIGIBILITY_EINVAL);
		assert_string_equal(buf, "");
	}
	for (i = 0; i < NELEM(bad_s); i++) {
		d = 7;
		if (eligibility_date_parse(bad_s[i], &d) != ELIGIBILITY_EINVAL)
			fail_msg("\"%s\" taken as a date", bad_s[i]);
		assert_int_equal(d, 7);
	}
	assert_int_equal(eligibility_date_format(20260301, buf, sizeof(buf)),
	    ELIGIBILITY_OK);
	assert_string_equal(buf, "2026-03-01");
	assert_int_equal(eligibility_date_format(20260301, buf, 10),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_date_format(20260301, NULL, 11),
	    ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_date_parse(NULL, &d), ELIGIBILITY_EINVAL);
	assert_int_equal(eligibility_date_parse("2026-03-01", NULL),
	    ELIGIBILITY_EINVAL);
}

/* --- every combination of facts, against an oracle --- */

/*
 * Which parameters a code's message uses, found by rendering it with
 * each parameter changed: bit 0 date, 1 have, 2 need, 3 type, 4 agency,
 * 5 service.
 */
static unsigned int
params_used(enum eligibility_code c)
{
	struct eligibility_reason	a, b;
	char				x[ELIGIBILITY_MSG_MAX];
	char				y[ELIGIBILITY_MSG_MAX];
	unsigned int			used = 0;
	int				p;

	a = full_reason(c);
	(void)eligibility_reason_format(&a, "en", x, sizeof(x));
	for (p = 0; p < 6; p++) {
		b = a;
		switch (p) {
		case 0:
			b.date = 20270415;
			break;
		case 1:
			b.have = ELIGIBILITY_GRADE_MID;
			break;
		case 2:
			b.need = ELIGIBILITY_GRADE_MID;
			break;
		case 3:
			b.type = ELIGIBILITY_CSAP_DAAS;
			break;
		case 4:
			b.agency = ELIGIBILITY_AGENCY_PUBLIC;
			break;
		default:
			b.service = ELIGIBILITY_SERVICE_DAAS;
			break;
		}
		(void)eligibility_reason_format(&b, "en", y, sizeof(y));
		if (strcmp(x, y) != 0)
			used |= 1U << p;
	}
	return (used);
}

static void
test_sweep(void **state)
{
	static const struct eligibility_cert	certs[] = {
		GOOD(IAAS, NONE), GOOD(SAAS_STANDARD, NONE), GOOD(DAAS, NONE),
		SCHEME(ISO27001),
	};
	static const struct eligibility_cert	iaas[] = { GOOD(IAAS, NONE) };
	static const int			starts[] = { D19, D23 };
	unsigned int				used[ELIGIBILITY_CODE__MAX];
	struct eligibility_facts		f;
	struct eligibility_decision		d;
	const struct eligibility_reason		*r;
	int					si, a, n, s, g, v;
	int					block, agency;
	int					has[ELIGIBILITY_CODE__MAX], c;
	unsigned int				data;
	size_t					i, count = 0;

	(void)state;
	for (c = 0; c < ELIGIBILITY_CODE__MAX; c++)
		used[c] = params_used((enum eligibility_code)c);

	memset(&f, 0, sizeof(f));
	f.certs = certs;
	f.ncerts = NELEM(certs);
	f.iaas_known = 1;
	f.iaas_certs = iaas;
	f.niaas_certs = NELEM(iaas);
	for (si = 0; si < 2; si++)
	for (a = 0; a < ELIGIBILITY_AGENCY__MAX; a++)
	for (n = 0; n < ELIGIBILITY_NATURE__MAX; n++)
	for (data = 0; data <= ELIGIBILITY_DATA_ALL; data++)
	for (s = 0; s < ELIGIBILITY_SERVICE__MAX; s++)
	for (g = 0; g < ELIGIBILITY_GRADE__MAX; g++)
	for (v = 0; v < ELIGIBILITY_VENDOR__MAX; v++) {
		f.start = starts[si];
		f.agency = (enum eligibility_agency)a;
		f.nature = (enum eligibility_nature)n;
		f.data = data;
		f.service = (enum eligibility_service)s;
		f.need = (enum eligibility_grade)g;
		f.vendor = (enum eligibility_vendor)v;
		assert_int_equal(eligibility_decide(eligibility_builtin,
		    eligibility_nbuiltin, &f, &d), ELIGIBILITY_OK);
		assert_int_equal(d.version, si + 1);
		check_invariants(&d);
		memset(has, 0, sizeof(has));
		for (i = 0; i < d.nreasons; i++) {
			r = &d.reasons[i];
			has[r->code] = 1;
			/* Parameters the message does not show are zero. */
			if (!(used[r->code] & 1))
				assert_int_equal(r->date, 0);
			if (!(used[r->code] & 2))
				assert_int_equal(r->have, 0);
			if (!(used[r->code] & 4))
				assert_int_equal(r->need, 0);
			if (!(used[r->code] & 8))
				assert_int_equal(r->type, 0);
			if (!(used[r->code] & 16))
				assert_int_equal(r->agency, 0);
			if (!(used[r->code] & 32))
				assert_int_equal(r->service, 0);
		}

		/* The oracle, from the brief and docs/eligibility.md. */
		block = data != 0 || v != ELIGIBILITY_VENDOR_APPROVED ||
		    (n == ELIGIBILITY_NATURE_INTERNAL &&
		    a == ELIGIBILITY_AGENCY_CENTRAL) ||
		    (si == 1 && g == ELIGIBILITY_GRADE_HIGH &&
		    s != ELIGIBILITY_SERVICE_PAAS &&
		    s != ELIGIBILITY_SERVICE_SUPPORT);
		agency = n == ELIGIBILITY_NATURE_INTERNAL &&
		    (a == ELIGIBILITY_AGENCY_METRO ||
		    a == ELIGIBILITY_AGENCY_BASIC);
		assert_int_equal(d.outcome, block ? ELIGIBILITY_NOT_ELIGIBLE :
		    agency ? ELIGIBILITY_AGENCY_DECISION :
		    ELIGIBILITY_ELIGIBLE);
		assert_int_equal(has[R(DATA_SECURITY)],
		    (data & SEC) != 0);
		assert_int_equal(has[R(DATA_INVESTIGATION)],
		    (data & INV) != 0);
		assert_int_equal(has[R(DATA_SENSITIVE)],
		    (data & SENS) != 0);
		assert_int_equal(has[R(DATA_PIA)], (data & PIA) != 0);
		assert_int_equal(has[R(INTERNAL_ADVISED)], agency);
		assert_int_equal(has[R(INTERNAL_GCLOUD)],
		    n == ELIGIBILITY_NATURE_INTERNAL &&
		    a == ELIGIBILITY_AGENCY_CENTRAL);
		assert_int_equal(has[R(VENDOR_NOT_APPROVED)] +
		    has[R(VENDOR_SUSPENDED)] + has[R(VENDOR_CLOSED)],
		    v != ELIGIBILITY_VENDOR_APPROVED);
		assert_int_equal(has[R(CSAP_NOT_REQUIRED)],
		    s == ELIGIBILITY_SERVICE_PAAS ||
		    s == ELIGIBILITY_SERVICE_SUPPORT);
		assert_int_equal(has[R(GRADE_NOT_APPLICABLE)],
		    si == 0 && g != ELIGIBILITY_GRADE_NONE &&
		    !has[R(CSAP_NOT_REQUIRED)]);
		assert_int_equal(has[R(GRADE_ASSUMED)],
		    si == 1 && g == ELIGIBILITY_GRADE_NONE &&
		    !has[R(CSAP_NOT_REQUIRED)]);
		count++;
	}
	assert_int_equal(count, 2 * 4 * 2 * 16 * 5 * 4 * 4);
}

int
main(void)
{
	static const struct CMUnitTest	fixed[] = {
		cmocka_unit_test(test_issue_example),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_rules_check),
		cmocka_unit_test(test_edited_iaas_agency),
		cmocka_unit_test(test_edited_grades),
		cmocka_unit_test(test_edited_tables),
		cmocka_unit_test(test_hostile_facts),
		cmocka_unit_test(test_hostile_args),
		cmocka_unit_test(test_code_table),
		cmocka_unit_test(test_messages_fit),
		cmocka_unit_test(test_messages_exact),
		cmocka_unit_test(test_messages_cut),
		cmocka_unit_test(test_messages_bad),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_sweep),
	};
	struct CMUnitTest		tests[NELEM(fixed) + NELEM(cases)];
	size_t				i, n = 0;

	for (i = 0; i < NELEM(fixed); i++)
		tests[n++] = fixed[i];
	/* One test per table row, named after the row. */
	for (i = 0; i < NELEM(cases); i++) {
		tests[n].name = cases[i].name;
		tests[n].test_func = test_case_row;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n++].initial_state = (void *)&cases[i];
	}
	return (_cmocka_run_group_tests("eligibility", tests, n, NULL, NULL));
}
