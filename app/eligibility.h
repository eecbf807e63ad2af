/*
 * eligibility.h - may this agency contract this cloud service for this
 * system, on this date, and why (not)?
 *
 * An agency may buy a private cloud service only if the system is not on
 * the negative list (national security, investigation, sensitive data,
 * privacy-impact-assessed), if its agency type may put that kind of
 * system (citizen-facing or internal) on private cloud, if the vendor is
 * in good standing, and if the service (and, for SaaS, the IaaS it runs
 * on) holds a fitting CSAP certificate, valid on the contract's start
 * date, of the grade the system needs.  Those rules changed over time,
 * so they are data: a rule set with a version and an effective date.
 * Every decision names the rule-set version it used and carries every
 * reason, not just the first, each with a stable code, its parameters
 * and a message in Korean and English for the buyer.
 *
 * The module is libc only.  Inputs are plain structs the caller owns;
 * nothing is allocated; outputs are fixed-size.  Rule sets hold only
 * scalars and fixed arrays so they can be stored in the database and
 * edited by the procurement office.  How the seed documents were read
 * into rules, and why, is in docs/eligibility.md.
 */

#ifndef ELIGIBILITY_H
#define ELIGIBILITY_H

#include <stddef.h>

/* Dates are plain ints YYYYMMDD (20260301); 0 means "no date". */
#define ELIGIBILITY_DATE_MIN	19000101
#define ELIGIBILITY_DATE_MAX	99991231
#define ELIGIBILITY_DATE_LEN	11	/* "2026-03-01" and the NUL */
#define ELIGIBILITY_NAME_MAX	128	/* rule-set name bytes, NUL incl. */
#define ELIGIBILITY_MSG_MAX	512	/* holds every rendered reason */

enum eligibility_err {
	ELIGIBILITY_OK = 0,
	ELIGIBILITY_EINVAL,	/* bad argument, unknown enum, bad date */
	ELIGIBILITY_ENORULES,	/* no rule set in force on that date */
	ELIGIBILITY_ESPACE,	/* output buffer too small (output cut) */
	ELIGIBILITY_ERR__MAX
};

/*
 * The result, and also what a rule-set entry leads to: an outcome is
 * ordered, and a decision is the most severe outcome of its reasons.
 */
enum eligibility_outcome {
	ELIGIBILITY_ELIGIBLE,		/* may contract (reasons are notes) */
	ELIGIBILITY_AGENCY_DECISION,	/* the rules leave it to the agency:
					   it records a justification */
	ELIGIBILITY_NOT_ELIGIBLE,	/* may not contract */
	ELIGIBILITY_OUTCOME__MAX
};

enum eligibility_agency {
	ELIGIBILITY_AGENCY_CENTRAL,	/* 중앙부처 */
	ELIGIBILITY_AGENCY_METRO,	/* 광역자치단체 */
	ELIGIBILITY_AGENCY_BASIC,	/* 기초자치단체 */
	ELIGIBILITY_AGENCY_PUBLIC,	/* 공공기관 */
	ELIGIBILITY_AGENCY__MAX
};

enum eligibility_nature {
	ELIGIBILITY_NATURE_CITIZEN,	/* 대국민 */
	ELIGIBILITY_NATURE_INTERNAL,	/* 非대국민: internal work */
	ELIGIBILITY_NATURE__MAX
};

/* Data categories; a system's categories are a bit set of these. */
enum eligibility_data {
	ELIGIBILITY_DATA_SECURITY,	/* 안보 */
	ELIGIBILITY_DATA_INVESTIGATION,	/* 수사 */
	ELIGIBILITY_DATA_SENSITIVE,	/* 민감정보 */
	ELIGIBILITY_DATA_PIA,		/* 개인정보영향평가 대상 */
	ELIGIBILITY_DATA__MAX
};
#define ELIGIBILITY_DATA_BIT(d)	(1U << (d))
#define ELIGIBILITY_DATA_ALL	((1U << ELIGIBILITY_DATA__MAX) - 1)

enum eligibility_service {
	ELIGIBILITY_SERVICE_IAAS,
	ELIGIBILITY_SERVICE_PAAS,
	ELIGIBILITY_SERVICE_SAAS,
	ELIGIBILITY_SERVICE_DAAS,
	ELIGIBILITY_SERVICE_SUPPORT,	/* consulting, operation, migration */
	ELIGIBILITY_SERVICE__MAX
};

/* CSAP grades, ordered: a higher grade satisfies a lower need. */
enum eligibility_grade {
	ELIGIBILITY_GRADE_NONE,		/* not graded / not given */
	ELIGIBILITY_GRADE_LOW,		/* 하 */
	ELIGIBILITY_GRADE_MID,		/* 중 */
	ELIGIBILITY_GRADE_HIGH,		/* 상 */
	ELIGIBILITY_GRADE__MAX
};

/* Certification schemes a listing can show; only CSAP is decisive. */
enum eligibility_scheme {
	ELIGIBILITY_SCHEME_CSAP,
	ELIGIBILITY_SCHEME_QUALITY,	/* 품질·성능 */
	ELIGIBILITY_SCHEME_ISO27001,
	ELIGIBILITY_SCHEME_GS,
	ELIGIBILITY_SCHEME_CC,
	ELIGIBILITY_SCHEME_FEDRAMP,
	ELIGIBILITY_SCHEME__MAX
};

enum eligibility_csap_type {
	ELIGIBILITY_CSAP_IAAS,
	ELIGIBILITY_CSAP_SAAS_STANDARD,	/* SaaS 표준 (78 items) */
	ELIGIBILITY_CSAP_SAAS_SIMPLE,	/* SaaS 간편 (30 items) */
	ELIGIBILITY_CSAP_DAAS,
	ELIGIBILITY_CSAP__MAX
};

enum eligibility_cert_status {
	ELIGIBILITY_CERT_VALID,
	ELIGIBILITY_CERT_EXPIRED,
	ELIGIBILITY_CERT_SUSPENDED,
	ELIGIBILITY_CERT_REVOKED,
	ELIGIBILITY_CERT_PENDING,
	ELIGIBILITY_CERT__MAX
};

enum eligibility_vendor {
	ELIGIBILITY_VENDOR_APPLIED,
	ELIGIBILITY_VENDOR_APPROVED,
	ELIGIBILITY_VENDOR_SUSPENDED,
	ELIGIBILITY_VENDOR_CLOSED,
	ELIGIBILITY_VENDOR__MAX
};

/*
 * Reason codes, in the order a decision lists them.  The comment gives
 * the outcome each leads to (note, agency, block) and the parameters its
 * message uses.  eligibility_code_name() gives the stable name.
 */
enum eligibility_code {
	ELIGIBILITY_R_DATA_SECURITY,		/* block */
	ELIGIBILITY_R_DATA_INVESTIGATION,	/* block */
	ELIGIBILITY_R_DATA_SENSITIVE,		/* block */
	ELIGIBILITY_R_DATA_PIA,			/* block */
	ELIGIBILITY_R_INTERNAL_GCLOUD,		/* block: agency */
	ELIGIBILITY_R_INTERNAL_ADVISED,		/* agency: agency */
	ELIGIBILITY_R_VENDOR_NOT_APPROVED,	/* block */
	ELIGIBILITY_R_VENDOR_SUSPENDED,		/* block */
	ELIGIBILITY_R_VENDOR_CLOSED,		/* block */
	ELIGIBILITY_R_GRADE_ASSUMED,		/* note: need */
	ELIGIBILITY_R_GRADE_NOT_APPLICABLE,	/* note: need */
	ELIGIBILITY_R_CSAP_NOT_REQUIRED,	/* note: service */
	ELIGIBILITY_R_CSAP_MISSING,		/* block */
	ELIGIBILITY_R_CSAP_TYPE_MISMATCH,	/* block: type, service */
	ELIGIBILITY_R_CSAP_PENDING,		/* block */
	ELIGIBILITY_R_CSAP_NOT_YET_VALID,	/* block: date (issued) */
	ELIGIBILITY_R_CSAP_EXPIRED,		/* block: date (expiry) */
	ELIGIBILITY_R_CSAP_SUSPENDED,		/* block: date */
	ELIGIBILITY_R_CSAP_REVOKED,		/* block: date */
	ELIGIBILITY_R_CSAP_GRADE_TOO_LOW,	/* block: have, need */
	ELIGIBILITY_R_CSAP_TYPE_AGENCY,		/* agency: type, service */
	ELIGIBILITY_R_CSAP_GRADE_RECOGNISED,	/* note: type, have */
	ELIGIBILITY_R_IAAS_UNKNOWN,		/* block */
	ELIGIBILITY_R_IAAS_CSAP_MISSING,	/* block */
	ELIGIBILITY_R_IAAS_CSAP_TYPE_MISMATCH,	/* block: type */
	ELIGIBILITY_R_IAAS_CSAP_PENDING,	/* block */
	ELIGIBILITY_R_IAAS_CSAP_NOT_YET_VALID,	/* block: date (issued) */
	ELIGIBILITY_R_IAAS_CSAP_EXPIRED,	/* block: date (expiry) */
	ELIGIBILITY_R_IAAS_CSAP_SUSPENDED,	/* block: date */
	ELIGIBILITY_R_IAAS_CSAP_REVOKED,	/* block: date */
	ELIGIBILITY_R_IAAS_CSAP_GRADE_TOO_LOW,	/* block: have, need */
	ELIGIBILITY_R_IAAS_CSAP_TYPE_AGENCY,	/* agency: type */
	ELIGIBILITY_R_IAAS_CSAP_GRADE_RECOGNISED, /* note: type, have */
	ELIGIBILITY_CODE__MAX
};

/* Enumerations with stable names and labels, for the name functions. */
enum eligibility_kind {
	ELIGIBILITY_K_OUTCOME,
	ELIGIBILITY_K_AGENCY,
	ELIGIBILITY_K_NATURE,
	ELIGIBILITY_K_DATA,
	ELIGIBILITY_K_SERVICE,
	ELIGIBILITY_K_GRADE,
	ELIGIBILITY_K_SCHEME,
	ELIGIBILITY_K_CSAP_TYPE,
	ELIGIBILITY_K_CERT_STATUS,
	ELIGIBILITY_K_VENDOR,
	ELIGIBILITY_K__MAX
};

/*
 * A rule set: what differs between versions of the rules.  Only scalars
 * and fixed arrays, so a row of the rules table maps onto it one to one.
 * The tables of outcomes say what a fact leads to: ELIGIBLE (fine),
 * AGENCY_DECISION (left to the agency) or NOT_ELIGIBLE.
 */
struct eligibility_ruleset {
	int			 version;	/* > 0, unique in an array */
	int			 effective;	/* YYYYMMDD, in force from */
	char			 name_ko[ELIGIBILITY_NAME_MAX];
	char			 name_en[ELIGIBILITY_NAME_MAX];
	/* ELIGIBILITY_DATA_* bits that exclude private cloud */
	unsigned int		 excluded_data;
	/* internal (非대국민) systems, by agency type; citizen-facing
	   systems may use private cloud for every agency type */
	enum eligibility_outcome internal[ELIGIBILITY_AGENCY__MAX];
	/* does the service type need its own CSAP certificate? (0/1) */
	int			 csap_required[ELIGIBILITY_SERVICE__MAX];
	/* must the service run on CSAP-certified IaaS? (0/1) */
	int			 iaas_required[ELIGIBILITY_SERVICE__MAX];
	/* which certificate types cover which service type; the IaaS
	   row also judges the certificates of an underlying IaaS */
	enum eligibility_outcome csap_fit[ELIGIBILITY_SERVICE__MAX]
				     [ELIGIBILITY_CSAP__MAX];
	/* grades apply (0/1); when they do: */
	int			 grades;
	/* the grade assumed for a system that gives none */
	enum eligibility_grade	 default_grade;
	/* the grade an ungraded (older) certificate counts as, by type */
	enum eligibility_grade	 legacy_grade[ELIGIBILITY_CSAP__MAX];
};

/* One certificate as a listing shows it. */
struct eligibility_cert {
	enum eligibility_scheme		scheme;
	/* CSAP only; ignored for other schemes: */
	enum eligibility_csap_type	type;
	enum eligibility_grade		grade;	/* NONE: issued before grades */
	enum eligibility_cert_status	status;
	int				issued;	/* YYYYMMDD; 0 if pending */
	int				expires; /* last valid day; 0 if
						   pending */
	int				status_since; /* suspended/revoked on;
						   0 otherwise */
};

/* What is known about the request.  Arrays are borrowed. */
struct eligibility_facts {
	enum eligibility_agency		 agency;
	enum eligibility_nature		 nature;
	unsigned int			 data;	/* ELIGIBILITY_DATA_* bits */
	enum eligibility_service	 service;
	int				 start;	/* contract start, YYYYMMDD */
	enum eligibility_grade		 need;	/* the system's CSAP grade */
	enum eligibility_vendor		 vendor;
	const struct eligibility_cert	*certs;	/* the service's own */
	size_t				 ncerts;
	int				 iaas_known; /* the IaaS it runs on is
						known ("이용 인프라") */
	const struct eligibility_cert	*iaas_certs; /* that IaaS's */
	size_t				 niaas_certs;
};

/*
 * One reason.  Only the parameters the code's message uses are
 * meaningful (see enum eligibility_code); the others are zero.
 */
struct eligibility_reason {
	enum eligibility_code		code;
	int				date;
	enum eligibility_grade		have;
	enum eligibility_grade		need;
	enum eligibility_csap_type	type;
	enum eligibility_agency		agency;
	enum eligibility_service	service;
};

struct eligibility_decision {
	enum eligibility_outcome	outcome;
	int				version;	/* rule set used */
	int				effective;	/* its date */
	size_t				nreasons;
	struct eligibility_reason	reasons[ELIGIBILITY_CODE__MAX];
	/* on ELIGIBILITY_EINVAL: the offending field and array index */
	const char			*bad;		/* static, or NULL */
	long				bad_index;	/* or -1 */
};

/* The built-in rule sets: version 1 (2019-11-28), version 2 (2023-01-31). */
extern const struct eligibility_ruleset	eligibility_builtin[];
extern const size_t			eligibility_nbuiltin;

/*
 * Decides whether facts allow a contract under the rule set in force on
 * facts->start, chosen from sets (nsets entries) as by
 * eligibility_rules_pick().  Every reason is collected, one per code at
 * most, in enum eligibility_code order; a decision that is not ELIGIBLE
 * has at least one reason of its outcome.  Returns ELIGIBILITY_OK and
 * fills *out; ELIGIBILITY_EINVAL for a bad argument (NULL, an enum out of
 * range, a malformed date, a NULL array with a count, a certificate with
 * impossible dates, an invalid rule set), with out->bad naming the field
 * and out->bad_index the array entry; ELIGIBILITY_ENORULES when no rule
 * set is in force on the start date.  On error *out holds no reasons.
 */
enum eligibility_err	 eligibility_decide(
			    const struct eligibility_ruleset *sets,
			    size_t nsets, const struct eligibility_facts *facts,
			    struct eligibility_decision *out);

/*
 * Picks the rule set in force on date: the one with the latest effective
 * date not after it; of two with the same date, the higher version.
 * Stores its index in *idx.  Returns ELIGIBILITY_EINVAL for a bad date,
 * NULL arguments, an invalid rule set or a version used twice (with
 * *bad naming the field and *bad_index the entry, when those pointers
 * are not NULL), ELIGIBILITY_ENORULES when every set starts later or
 * nsets is 0.
 */
enum eligibility_err	 eligibility_rules_pick(
			    const struct eligibility_ruleset *sets,
			    size_t nsets, int date, size_t *idx,
			    const char **bad, long *bad_index);

/*
 * Checks one rule set as the procurement office's editor must before it
 * is saved: version > 0, a valid effective date, both names non-empty
 * and NUL-terminated, only known data bits, every enum in range, flags
 * 0 or 1.  Returns ELIGIBILITY_OK, or ELIGIBILITY_EINVAL with *bad (if
 * bad is not NULL) set to the field's name ("internal", "csap_fit").
 */
enum eligibility_err	 eligibility_rules_check(
			    const struct eligibility_ruleset *rs,
			    const char **bad);

/*
 * Writes the message for r into buf (len bytes) in Korean, or in English
 * when lang is "en": "이 서비스는 CSAP 인증이 만료되어(2026-03-01) 계약할
 * 수 없습니다." / "This service cannot be contracted: its CSAP certificate
 * expired on 2026-03-01."  ELIGIBILITY_MSG_MAX bytes always suffice.
 * Returns ELIGIBILITY_EINVAL for a code out of range, a parameter its
 * message needs that is out of range (or a date that is not one), or no
 * buffer; ELIGIBILITY_ESPACE if buf is too small, in which case the text
 * is cut at a character boundary and still NUL-terminated.
 */
enum eligibility_err	 eligibility_reason_format(
			    const struct eligibility_reason *r,
			    const char *lang, char *buf, size_t len);

/*
 * Stable names of reason codes ("csap_expired"), for storage and JSON;
 * NULL outside the enum.  eligibility_code_value() takes exactly those
 * spellings and returns ELIGIBILITY_EINVAL otherwise (NULL included),
 * leaving *out untouched.  eligibility_code_outcome() is the outcome the
 * code leads to, or ELIGIBILITY_OUTCOME__MAX outside the enum.
 */
const char		*eligibility_code_name(enum eligibility_code c);
enum eligibility_err	 eligibility_code_value(const char *name,
			    enum eligibility_code *out);
enum eligibility_outcome eligibility_code_outcome(enum eligibility_code c);

/*
 * Stable names ("central", "saas_simple", "not_eligible") and display
 * labels (Korean, or English when lang is "en": "중앙부처" / "central
 * ministry") of the enumerations in enum eligibility_kind; NULL for a
 * kind or value out of range.  eligibility_value() takes exactly a
 * stable name and returns ELIGIBILITY_EINVAL otherwise, leaving *out
 * untouched.
 */
const char		*eligibility_name(enum eligibility_kind k, int v);
const char		*eligibility_label(enum eligibility_kind k, int v,
			    const char *lang);
enum eligibility_err	 eligibility_value(enum eligibility_kind k,
			    const char *name, int *out);

/* Stable name of an error ("einval"), "unknown" outside the enum. */
const char		*eligibility_err_name(enum eligibility_err e);

/*
 * Dates.  eligibility_date_valid() is 1 for a calendar date between
 * ELIGIBILITY_DATE_MIN and _MAX (leap years included), else 0.
 * eligibility_date_parse() reads exactly "YYYY-MM-DD"; it returns
 * ELIGIBILITY_EINVAL for anything else and leaves *out untouched.
 * eligibility_date_format() writes "YYYY-MM-DD" into buf (at least
 * ELIGIBILITY_DATE_LEN bytes) or returns ELIGIBILITY_EINVAL.
 */
int			 eligibility_date_valid(int date);
enum eligibility_err	 eligibility_date_parse(const char *s, int *out);
enum eligibility_err	 eligibility_date_format(int date, char *buf,
			    size_t len);

#endif /* ELIGIBILITY_H */
