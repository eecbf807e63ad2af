/*
 * eligibility.c - the eligibility engine: rule sets, the decision and its
 * reasons in Korean and English.
 *
 * The decision runs the same checks in the same order for every request
 * (data categories, agency type and system nature, vendor, the service's
 * CSAP certificate, the underlying IaaS's certificate) and never stops at
 * the first problem: a buyer should see everything that is wrong at
 * once.  Each check writes into one slot per reason code, so a decision
 * lists its reasons in code order and at most once per code, however
 * many certificates a listing has.  The outcome is the most severe
 * outcome of the reasons, read from the code table; the tables of the
 * rule set say which facts lead to which outcome.  Everything a message
 * says lives in one table with both languages side by side, so a code
 * without a message cannot be added unnoticed (the unit test walks the
 * table).  Inputs come from the database and from forms, so every enum,
 * date and array is checked before use.  The readings of the seed
 * documents behind the built-in rule sets are in docs/eligibility.md.
 */

#include <stddef.h>
#include <string.h>

#include "eligibility.h"

#define OK	ELIGIBILITY_ELIGIBLE
#define AGENCY	ELIGIBILITY_AGENCY_DECISION
#define NOT	ELIGIBILITY_NOT_ELIGIBLE

/* A stable name with its Korean and English label. */
struct elig_words {
	const char	*name;
	const char	*ko;
	const char	*en;
};

/* A reason code: its name, the outcome it leads to, its messages. */
struct elig_code {
	const char			*name;
	enum eligibility_outcome	 outcome;
	const char			*ko;
	const char			*en;
};

/* The reason codes one certificate check uses (the service, its IaaS). */
struct elig_target {
	enum eligibility_code	missing;
	enum eligibility_code	mismatch;
	enum eligibility_code	pending;
	enum eligibility_code	not_yet;
	enum eligibility_code	expired;
	enum eligibility_code	suspended;
	enum eligibility_code	revoked;
	enum eligibility_code	too_low;
	enum eligibility_code	agency;
	enum eligibility_code	recognised;
};

/* Reasons being collected: one slot per code. */
struct elig_slots {
	int				used[ELIGIBILITY_CODE__MAX];
	struct eligibility_reason	r[ELIGIBILITY_CODE__MAX];
};

/* Output buffer for eligibility_reason_format(). */
struct elig_out {
	char	*buf;
	size_t	 len;
	size_t	 pos;
	int	 cut;
};

static const struct elig_words elig_outcomes[ELIGIBILITY_OUTCOME__MAX] = {
	/* ELIGIBILITY_ELIGIBLE */
	{ "eligible", "계약 가능", "eligible" },
	/* ELIGIBILITY_AGENCY_DECISION */
	{ "agency_decision", "기관 판단 필요", "agency decision required" },
	/* ELIGIBILITY_NOT_ELIGIBLE */
	{ "not_eligible", "계약 불가", "not eligible" },
};

static const struct elig_words elig_agencies[ELIGIBILITY_AGENCY__MAX] = {
	/* ELIGIBILITY_AGENCY_CENTRAL */
	{ "central", "중앙부처", "central ministry" },
	/* ELIGIBILITY_AGENCY_METRO */
	{ "metro_local", "광역자치단체", "metropolitan local government" },
	/* ELIGIBILITY_AGENCY_BASIC */
	{ "basic_local", "기초자치단체", "basic local government" },
	/* ELIGIBILITY_AGENCY_PUBLIC */
	{ "public_inst", "공공기관", "public institution" },
};

static const struct elig_words elig_natures[ELIGIBILITY_NATURE__MAX] = {
	/* ELIGIBILITY_NATURE_CITIZEN */
	{ "citizen", "대국민", "citizen-facing" },
	/* ELIGIBILITY_NATURE_INTERNAL */
	{ "internal", "非대국민(내부 업무)", "internal" },
};

static const struct elig_words elig_data[ELIGIBILITY_DATA__MAX] = {
	/* ELIGIBILITY_DATA_SECURITY */
	{ "security", "안보", "national security" },
	/* ELIGIBILITY_DATA_INVESTIGATION */
	{ "investigation", "수사", "investigation" },
	/* ELIGIBILITY_DATA_SENSITIVE */
	{ "sensitive", "민감정보", "sensitive data" },
	/* ELIGIBILITY_DATA_PIA */
	{ "pia", "개인정보영향평가 대상", "privacy impact assessment" },
};

static const struct elig_words elig_services[ELIGIBILITY_SERVICE__MAX] = {
	/* ELIGIBILITY_SERVICE_IAAS */
	{ "iaas", "IaaS", "IaaS" },
	/* ELIGIBILITY_SERVICE_PAAS */
	{ "paas", "PaaS", "PaaS" },
	/* ELIGIBILITY_SERVICE_SAAS */
	{ "saas", "SaaS", "SaaS" },
	/* ELIGIBILITY_SERVICE_DAAS */
	{ "daas", "DaaS", "DaaS" },
	/* ELIGIBILITY_SERVICE_SUPPORT */
	{ "support", "클라우드 지원", "cloud support" },
};

static const struct elig_words elig_grades[ELIGIBILITY_GRADE__MAX] = {
	/* ELIGIBILITY_GRADE_NONE */
	{ "none", "등급 없음", "ungraded" },
	/* ELIGIBILITY_GRADE_LOW */
	{ "low", "하", "low" },
	/* ELIGIBILITY_GRADE_MID */
	{ "mid", "중", "medium" },
	/* ELIGIBILITY_GRADE_HIGH */
	{ "high", "상", "high" },
};

static const struct elig_words elig_schemes[ELIGIBILITY_SCHEME__MAX] = {
	/* ELIGIBILITY_SCHEME_CSAP */
	{ "csap", "CSAP 클라우드 보안인증", "CSAP cloud security" },
	/* ELIGIBILITY_SCHEME_QUALITY */
	{ "quality", "품질·성능 확인", "quality and performance check" },
	/* ELIGIBILITY_SCHEME_ISO27001 */
	{ "iso27001", "ISO/IEC 27001", "ISO/IEC 27001" },
	/* ELIGIBILITY_SCHEME_GS */
	{ "gs", "GS 인증", "GS certification" },
	/* ELIGIBILITY_SCHEME_CC */
	{ "cc", "CC 인증", "Common Criteria" },
	/* ELIGIBILITY_SCHEME_FEDRAMP */
	{ "fedramp", "FedRAMP", "FedRAMP" },
};

static const struct elig_words elig_csap_types[ELIGIBILITY_CSAP__MAX] = {
	/* ELIGIBILITY_CSAP_IAAS */
	{ "iaas", "IaaS", "IaaS" },
	/* ELIGIBILITY_CSAP_SAAS_STANDARD */
	{ "saas_standard", "SaaS 표준", "SaaS standard" },
	/* ELIGIBILITY_CSAP_SAAS_SIMPLE */
	{ "saas_simple", "SaaS 간편", "SaaS simple" },
	/* ELIGIBILITY_CSAP_DAAS */
	{ "daas", "DaaS", "DaaS" },
};

static const struct elig_words elig_cert_statuses[ELIGIBILITY_CERT__MAX] = {
	/* ELIGIBILITY_CERT_VALID */
	{ "valid", "유효", "valid" },
	/* ELIGIBILITY_CERT_EXPIRED */
	{ "expired", "만료", "expired" },
	/* ELIGIBILITY_CERT_SUSPENDED */
	{ "suspended", "정지", "suspended" },
	/* ELIGIBILITY_CERT_REVOKED */
	{ "revoked", "취소", "revoked" },
	/* ELIGIBILITY_CERT_PENDING */
	{ "pending", "심사 중", "pending" },
};

static const struct elig_words elig_vendors[ELIGIBILITY_VENDOR__MAX] = {
	/* ELIGIBILITY_VENDOR_APPLIED */
	{ "applied", "등록 신청", "applied" },
	/* ELIGIBILITY_VENDOR_APPROVED */
	{ "approved", "승인", "approved" },
	/* ELIGIBILITY_VENDOR_SUSPENDED */
	{ "suspended", "거래 정지", "suspended" },
	/* ELIGIBILITY_VENDOR_CLOSED */
	{ "closed", "폐업", "closed" },
};

/* The tables above, by kind, with their sizes. */
static const struct {
	const struct elig_words	*w;
	int			 n;
} elig_kinds[ELIGIBILITY_K__MAX] = {
	/* ELIGIBILITY_K_OUTCOME */
	{ elig_outcomes, ELIGIBILITY_OUTCOME__MAX },
	/* ELIGIBILITY_K_AGENCY */
	{ elig_agencies, ELIGIBILITY_AGENCY__MAX },
	/* ELIGIBILITY_K_NATURE */
	{ elig_natures, ELIGIBILITY_NATURE__MAX },
	/* ELIGIBILITY_K_DATA */
	{ elig_data, ELIGIBILITY_DATA__MAX },
	/* ELIGIBILITY_K_SERVICE */
	{ elig_services, ELIGIBILITY_SERVICE__MAX },
	/* ELIGIBILITY_K_GRADE */
	{ elig_grades, ELIGIBILITY_GRADE__MAX },
	/* ELIGIBILITY_K_SCHEME */
	{ elig_schemes, ELIGIBILITY_SCHEME__MAX },
	/* ELIGIBILITY_K_CSAP_TYPE */
	{ elig_csap_types, ELIGIBILITY_CSAP__MAX },
	/* ELIGIBILITY_K_CERT_STATUS */
	{ elig_cert_statuses, ELIGIBILITY_CERT__MAX },
	/* ELIGIBILITY_K_VENDOR */
	{ elig_vendors, ELIGIBILITY_VENDOR__MAX },
};

static const char *const elig_errs[ELIGIBILITY_ERR__MAX] = {
	"ok",		/* ELIGIBILITY_OK */
	"einval",	/* ELIGIBILITY_EINVAL */
	"enorules",	/* ELIGIBILITY_ENORULES */
	"espace",	/* ELIGIBILITY_ESPACE */
};

/*
 * Every reason code.  Placeholders: {date} YYYY-MM-DD, {have} and {need}
 * grades, {type} a CSAP type, {agency} an agency type, {service} a
 * service type.  Korean sentences put parameters in parentheses or
 * before a particle that fits any word (의), so no 받침 rule is needed.
 */
static const struct elig_code elig_codes[ELIGIBILITY_CODE__MAX] = {
	/* ELIGIBILITY_R_DATA_SECURITY */
	{ "data_excluded_security", NOT,
	  "국가안보(안보) 관련 시스템은 민간 클라우드를 이용할 수 없어 "
	  "이 서비스를 계약할 수 없습니다.",
	  "This service cannot be contracted: systems for national "
	  "security may not use private cloud." },
	/* ELIGIBILITY_R_DATA_INVESTIGATION */
	{ "data_excluded_investigation", NOT,
	  "수사 관련 시스템은 민간 클라우드를 이용할 수 없어 "
	  "이 서비스를 계약할 수 없습니다.",
	  "This service cannot be contracted: systems for investigations "
	  "may not use private cloud." },
	/* ELIGIBILITY_R_DATA_SENSITIVE */
	{ "data_excluded_sensitive", NOT,
	  "민감정보를 처리하는 시스템은 민간 클라우드를 이용할 수 없어 "
	  "이 서비스를 계약할 수 없습니다.",
	  "This service cannot be contracted: systems processing "
	  "sensitive data may not use private cloud." },
	/* ELIGIBILITY_R_DATA_PIA */
	{ "data_excluded_pia", NOT,
	  "개인정보영향평가 대상 시스템은 민간 클라우드를 이용할 수 없어 "
	  "이 서비스를 계약할 수 없습니다.",
	  "This service cannot be contracted: systems subject to a "
	  "privacy impact assessment may not use private cloud." },
	/* ELIGIBILITY_R_INTERNAL_GCLOUD */
	{ "internal_gcloud_only", NOT,
	  "{agency}의 내부 업무 시스템(非대국민)은 정부 클라우드"
	  "(G-클라우드)를 이용해야 하므로 이 민간 클라우드 서비스를 "
	  "계약할 수 없습니다.",
	  "This service cannot be contracted: internal (non-citizen-facing) "
	  "systems of a {agency} must use the government cloud "
	  "(G-Cloud)." },
	/* ELIGIBILITY_R_INTERNAL_ADVISED */
	{ "internal_dedicated_advised", AGENCY,
	  "{agency}의 내부 업무 시스템(非대국민)에는 전용 클라우드 이용이 "
	  "권고됩니다. 이 서비스를 계약하려면 기관이 판단하여 사유를 "
	  "기록해야 합니다.",
	  "A dedicated cloud is advised for internal (non-citizen-facing) "
	  "systems of a {agency}: to contract this service the agency "
	  "must decide and record its justification." },
	/* ELIGIBILITY_R_VENDOR_NOT_APPROVED */
	{ "vendor_not_approved", NOT,
	  "이 서비스의 공급기업이 아직 승인되지 않아 계약할 수 없습니다.",
	  "This service cannot be contracted: its vendor has not been "
	  "approved." },
	/* ELIGIBILITY_R_VENDOR_SUSPENDED */
	{ "vendor_suspended", NOT,
	  "이 서비스의 공급기업이 거래 정지 상태여서 계약할 수 없습니다.",
	  "This service cannot be contracted: its vendor is suspended." },
	/* ELIGIBILITY_R_VENDOR_CLOSED */
	{ "vendor_closed", NOT,
	  "이 서비스의 공급기업이 폐업하여 계약할 수 없습니다.",
	  "This service cannot be contracted: its vendor has closed." },
	/* ELIGIBILITY_R_GRADE_ASSUMED */
	{ "grade_assumed", OK,
	  "이 시스템의 CSAP 등급이 입력되지 않아 {need} 등급이 필요한 "
	  "것으로 보고 판단했습니다.",
	  "The system's CSAP grade was not given; grade {need} was "
	  "assumed." },
	/* ELIGIBILITY_R_GRADE_NOT_APPLICABLE */
	{ "grade_not_applicable", OK,
	  "적용된 규칙에는 CSAP 등급이 없어 이 시스템의 등급({need})은 "
	  "확인하지 않았습니다.",
	  "The rules in force have no CSAP grades; the system's grade "
	  "({need}) was not checked." },
	/* ELIGIBILITY_R_CSAP_NOT_REQUIRED */
	{ "csap_not_required", OK,
	  "{service} 서비스는 CSAP 인증 대상이 아니어서 인증을 확인하지 "
	  "않았습니다.",
	  "CSAP certification does not apply to {service} services; no "
	  "certificate was checked." },
	/* ELIGIBILITY_R_CSAP_MISSING */
	{ "csap_missing", NOT,
	  "이 서비스는 CSAP 인증이 없어 계약할 수 없습니다.",
	  "This service cannot be contracted: it holds no CSAP "
	  "certificate." },
	/* ELIGIBILITY_R_CSAP_TYPE_MISMATCH */
	{ "csap_type_mismatch", NOT,
	  "이 서비스의 CSAP 인증({type})은 {service} 서비스에 맞는 유형이 "
	  "아니어서 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP certificate "
	  "({type}) is not of a type that covers {service} services." },
	/* ELIGIBILITY_R_CSAP_PENDING */
	{ "csap_pending", NOT,
	  "이 서비스는 CSAP 인증 심사가 진행 중이어서 아직 계약할 수 "
	  "없습니다.",
	  "This service cannot be contracted yet: its CSAP certification "
	  "is pending." },
	/* ELIGIBILITY_R_CSAP_NOT_YET_VALID */
	{ "csap_not_yet_valid", NOT,
	  "이 서비스의 CSAP 인증은 {date}부터 유효하여 그 전에 시작하는 "
	  "계약은 할 수 없습니다.",
	  "This service cannot be contracted from this start date: its "
	  "CSAP certificate is valid only from {date}." },
	/* ELIGIBILITY_R_CSAP_EXPIRED */
	{ "csap_expired", NOT,
	  "이 서비스는 CSAP 인증이 만료되어({date}) 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP certificate "
	  "expired on {date}." },
	/* ELIGIBILITY_R_CSAP_SUSPENDED */
	{ "csap_suspended", NOT,
	  "이 서비스는 CSAP 인증이 정지되어({date}) 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP certificate was "
	  "suspended on {date}." },
	/* ELIGIBILITY_R_CSAP_REVOKED */
	{ "csap_revoked", NOT,
	  "이 서비스는 CSAP 인증이 취소되어({date}) 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP certificate was "
	  "revoked on {date}." },
	/* ELIGIBILITY_R_CSAP_GRADE_TOO_LOW */
	{ "csap_grade_too_low", NOT,
	  "이 서비스의 CSAP 인증 등급({have})이 이 시스템에 필요한 "
	  "등급({need} 이상)보다 낮아 계약할 수 없습니다.",
	  "This service cannot be contracted: its CSAP grade ({have}) is "
	  "below the grade the system needs ({need} or higher)." },
	/* ELIGIBILITY_R_CSAP_TYPE_AGENCY */
	{ "csap_type_agency", AGENCY,
	  "이 서비스의 CSAP 인증({type})으로 {service} 서비스를 이용할 수 "
	  "있는지는 기관이 업무의 보안 중요도를 보고 판단해야 합니다. "
	  "계약하려면 사유를 기록하십시오.",
	  "Whether this service's CSAP certificate ({type}) suffices for "
	  "a {service} service depends on the security importance of the "
	  "work: the agency must decide and record its justification." },
	/* ELIGIBILITY_R_CSAP_GRADE_RECOGNISED */
	{ "csap_grade_recognised", OK,
	  "이 서비스의 CSAP 인증({type})은 등급제 이전 인증으로 {have} "
	  "등급으로 인정됩니다.",
	  "This service's CSAP certificate ({type}) predates the grades "
	  "and counts as grade {have}." },
	/* ELIGIBILITY_R_IAAS_UNKNOWN */
	{ "iaas_unknown", NOT,
	  "이 서비스가 이용하는 인프라(IaaS)가 확인되지 않아 계약할 수 "
	  "없습니다. 이 서비스는 CSAP 인증을 받은 IaaS에서 운영되어야 "
	  "합니다.",
	  "This service cannot be contracted: the IaaS it runs on is not "
	  "known, and it must run on CSAP-certified IaaS." },
	/* ELIGIBILITY_R_IAAS_CSAP_MISSING */
	{ "iaas_csap_missing", NOT,
	  "이 서비스가 이용하는 인프라(IaaS)에 CSAP 인증이 없어 계약할 수 "
	  "없습니다.",
	  "This service cannot be contracted: the IaaS it runs on holds "
	  "no CSAP certificate." },
	/* ELIGIBILITY_R_IAAS_CSAP_TYPE_MISMATCH */
	{ "iaas_csap_type_mismatch", NOT,
	  "이 서비스가 이용하는 인프라의 CSAP 인증({type})이 IaaS 유형이 "
	  "아니어서 계약할 수 없습니다.",
	  "This service cannot be contracted: the CSAP certificate "
	  "({type}) of the infrastructure it runs on is not an IaaS "
	  "certificate." },
	/* ELIGIBILITY_R_IAAS_CSAP_PENDING */
	{ "iaas_csap_pending", NOT,
	  "이 서비스가 이용하는 인프라(IaaS)의 CSAP 인증 심사가 진행 "
	  "중이어서 아직 계약할 수 없습니다.",
	  "This service cannot be contracted yet: the CSAP certification "
	  "of the IaaS it runs on is pending." },
	/* ELIGIBILITY_R_IAAS_CSAP_NOT_YET_VALID */
	{ "iaas_csap_not_yet_valid", NOT,
	  "이 서비스가 이용하는 인프라(IaaS)의 CSAP 인증은 {date}부터 "
	  "유효하여 그 전에 시작하는 계약은 할 수 없습니다.",
	  "This service cannot be contracted from this start date: the "
	  "CSAP certificate of the IaaS it runs on is valid only from "
	  "{date}." },
	/* ELIGIBILITY_R_IAAS_CSAP_EXPIRED */
	{ "iaas_csap_expired", NOT,
	  "이 서비스가 이용하는 인프라(IaaS)의 CSAP 인증이 "
	  "만료되어({date}) 계약할 수 없습니다.",
	  "This service cannot be contracted: the CSAP certificate of the "
	  "IaaS it runs on expired on {date}." },
	/* ELIGIBILITY_R_IAAS_CSAP_SUSPENDED */
	{ "iaas_csap_suspended", NOT,
	  "이 서비스가 이용하는 인프라(IaaS)의 CSAP 인증이 "
	  "정지되어({date}) 계약할 수 없습니다.",
	  "This service cannot be contracted: the CSAP certificate of the "
	  "IaaS it runs on was suspended on {date}." },
	/* ELIGIBILITY_R_IAAS_CSAP_REVOKED */
	{ "iaas_csap_revoked", NOT,
	  "이 서비스가 이용하는 인프라(IaaS)의 CSAP 인증이 "
	  "취소되어({date}) 계약할 수 없습니다.",
	  "This service cannot be contracted: the CSAP certificate of the "
	  "IaaS it runs on was revoked on {date}." },
	/* ELIGIBILITY_R_IAAS_CSAP_GRADE_TOO_LOW */
	{ "iaas_csap_grade_too_low", NOT,
	  "이 서비스가 이용하는 인프라(IaaS)의 CSAP 인증 등급({have})이 "
	  "이 시스템에 필요한 등급({need} 이상)보다 낮아 계약할 수 "
	  "없습니다.",
	  "This service cannot be contracted: the CSAP grade ({have}) of "
	  "the IaaS it runs on is below the grade the system needs "
	  "({need} or higher)." },
	/* ELIGIBILITY_R_IAAS_CSAP_TYPE_AGENCY */
	{ "iaas_csap_type_agency", AGENCY,
	  "이 서비스가 이용하는 인프라의 CSAP 인증({type})으로 충분한지는 "
	  "기관이 판단해야 합니다. 계약하려면 사유를 기록하십시오.",
	  "Whether the CSAP certificate ({type}) of the infrastructure "
	  "this service runs on suffices is left to the agency: it must "
	  "decide and record its justification." },
	/* ELIGIBILITY_R_IAAS_CSAP_GRADE_RECOGNISED */
	{ "iaas_csap_grade_recognised", OK,
	  "이 서비스가 이용하는 인프라의 CSAP 인증({type})은 등급제 이전 "
	  "인증으로 {have} 등급으로 인정됩니다.",
	  "The CSAP certificate ({type}) of the IaaS this service runs on "
	  "predates the grades and counts as grade {have}." },
};

/* The codes of the service's own check and of its IaaS's. */
static const struct elig_target elig_service_target = {
	ELIGIBILITY_R_CSAP_MISSING,
	ELIGIBILITY_R_CSAP_TYPE_MISMATCH,
	ELIGIBILITY_R_CSAP_PENDING,
	ELIGIBILITY_R_CSAP_NOT_YET_VALID,
	ELIGIBILITY_R_CSAP_EXPIRED,
	ELIGIBILITY_R_CSAP_SUSPENDED,
	ELIGIBILITY_R_CSAP_REVOKED,
	ELIGIBILITY_R_CSAP_GRADE_TOO_LOW,
	ELIGIBILITY_R_CSAP_TYPE_AGENCY,
	ELIGIBILITY_R_CSAP_GRADE_RECOGNISED,
};

static const struct elig_target elig_iaas_target = {
	ELIGIBILITY_R_IAAS_CSAP_MISSING,
	ELIGIBILITY_R_IAAS_CSAP_TYPE_MISMATCH,
	ELIGIBILITY_R_IAAS_CSAP_PENDING,
	ELIGIBILITY_R_IAAS_CSAP_NOT_YET_VALID,
	ELIGIBILITY_R_IAAS_CSAP_EXPIRED,
	ELIGIBILITY_R_IAAS_CSAP_SUSPENDED,
	ELIGIBILITY_R_IAAS_CSAP_REVOKED,
	ELIGIBILITY_R_IAAS_CSAP_GRADE_TOO_LOW,
	ELIGIBILITY_R_IAAS_CSAP_TYPE_AGENCY,
	ELIGIBILITY_R_IAAS_CSAP_GRADE_RECOGNISED,
};

/* Each data category's reason code. */
static const enum eligibility_code elig_data_codes[ELIGIBILITY_DATA__MAX] = {
	/* ELIGIBILITY_DATA_SECURITY */
	ELIGIBILITY_R_DATA_SECURITY,
	/* ELIGIBILITY_DATA_INVESTIGATION */
	ELIGIBILITY_R_DATA_INVESTIGATION,
	/* ELIGIBILITY_DATA_SENSITIVE */
	ELIGIBILITY_R_DATA_SENSITIVE,
	/* ELIGIBILITY_DATA_PIA */
	ELIGIBILITY_R_DATA_PIA,
};

/*
 * The built-in rule sets.  Every table entry is spelled out, because a
 * zero entry means ELIGIBLE.  Sources and readings: docs/eligibility.md.
 */
const struct eligibility_ruleset eligibility_builtin[] = {
	{
		1, 20191128,
		"2019 행정·공공기관 민간 클라우드 이용 가이드라인 "
		"(네거티브 리스트)",
		"2019 guideline on private cloud for public bodies "
		"(negative list)",
		ELIGIBILITY_DATA_ALL,
		/* internal: central, metro, basic, public */
		{ NOT, AGENCY, AGENCY, OK },
		/* csap_required: iaas, paas, saas, daas, support */
		{ 1, 0, 1, 1, 0 },
		/* iaas_required */
		{ 0, 0, 1, 0, 0 },
		/* csap_fit: iaas, saas_standard, saas_simple, daas */
		{
			{ OK, NOT, NOT, NOT },		/* iaas */
			{ NOT, NOT, NOT, NOT },		/* paas */
			{ NOT, OK, AGENCY, NOT },	/* saas */
			{ NOT, NOT, NOT, OK },		/* daas */
			{ NOT, NOT, NOT, NOT },		/* support */
		},
		0, ELIGIBILITY_GRADE_NONE,
		{ ELIGIBILITY_GRADE_NONE, ELIGIBILITY_GRADE_NONE,
		  ELIGIBILITY_GRADE_NONE, ELIGIBILITY_GRADE_NONE },
	},
	{
		2, 20230131,
		"2023 CSAP 등급제 (상·중·하)",
		"2023 CSAP grades (high, medium, low)",
		ELIGIBILITY_DATA_ALL,
		{ NOT, AGENCY, AGENCY, OK },
		{ 1, 0, 1, 1, 0 },
		{ 0, 0, 1, 0, 0 },
		{
			{ OK, NOT, NOT, NOT },		/* iaas */
			{ NOT, NOT, NOT, NOT },		/* paas */
			{ NOT, OK, OK, NOT },		/* saas */
			{ NOT, NOT, NOT, OK },		/* daas */
			{ NOT, NOT, NOT, NOT },		/* support */
		},
		1, ELIGIBILITY_GRADE_MID,
		/* legacy: iaas, saas_standard, saas_simple, daas */
		{ ELIGIBILITY_GRADE_MID, ELIGIBILITY_GRADE_MID,
		  ELIGIBILITY_GRADE_LOW, ELIGIBILITY_GRADE_MID },
	},
};

const size_t eligibility_nbuiltin =
    sizeof(eligibility_builtin) / sizeof(eligibility_builtin[0]);

static int	elig_is_en(const char *);
static int	elig_enum_ok(int, int);
static int	elig_date_or_zero(int);
static int	elig_certs_check(const struct eligibility_cert *, size_t,
		    int, const char **, long *);
static int	elig_facts_check(const struct eligibility_facts *,
		    const char **, long *);
static int	elig_valid_on(const struct eligibility_cert *, int);
static void	elig_add(struct elig_slots *, enum eligibility_code,
		    const struct eligibility_reason *);
static void	elig_problem(struct elig_slots *, enum eligibility_code, int,
		    int);
static void	elig_check_certs(struct elig_slots *,
		    const struct elig_target *,
		    const struct eligibility_ruleset *,
		    enum eligibility_service, const struct eligibility_cert *,
		    size_t, int, enum eligibility_grade);
static void	elig_putn(struct elig_out *, const char *, size_t);
static int	elig_expand(struct elig_out *, const char *,
		    const struct eligibility_reason *, int);

/*
 * Names, labels, dates.
 */

static int
elig_is_en(const char *lang)
{
	return (lang != NULL && strcmp(lang, "en") == 0);
}

static int
elig_enum_ok(int v, int n)
{
	return (v >= 0 && v < n);
}

const char *
eligibility_name(enum eligibility_kind k, int v)
{
	if (!elig_enum_ok((int)k, ELIGIBILITY_K__MAX) ||
	    !elig_enum_ok(v, elig_kinds[k].n))
		return (NULL);
	return (elig_kinds[k].w[v].name);
}

const char *
eligibility_label(enum eligibility_kind k, int v, const char *lang)
{
	if (!elig_enum_ok((int)k, ELIGIBILITY_K__MAX) ||
	    !elig_enum_ok(v, elig_kinds[k].n))
		return (NULL);
	return (elig_is_en(lang) ? elig_kinds[k].w[v].en :
	    elig_kinds[k].w[v].ko);
}

enum eligibility_err
eligibility_value(enum eligibility_kind k, const char *name, int *out)
{
	int	i;

	if (!elig_enum_ok((int)k, ELIGIBILITY_K__MAX) || name == NULL ||
	    out == NULL)
		return (ELIGIBILITY_EINVAL);
	for (i = 0; i < elig_kinds[k].n; i++) {
		if (strcmp(elig_kinds[k].w[i].name, name) == 0) {
			*out = i;
			return (ELIGIBILITY_OK);
		}
	}
	return (ELIGIBILITY_EINVAL);
}

const char *
eligibility_code_name(enum eligibility_code c)
{
	if (!elig_enum_ok((int)c, ELIGIBILITY_CODE__MAX))
		return (NULL);
	return (elig_codes[c].name);
}

enum eligibility_err
eligibility_code_value(const char *name, enum eligibility_code *out)
{
	int	i;

	if (name == NULL || out == NULL)
		return (ELIGIBILITY_EINVAL);
	for (i = 0; i < ELIGIBILITY_CODE__MAX; i++) {
		if (strcmp(elig_codes[i].name, name) == 0) {
			*out = (enum eligibility_code)i;
			return (ELIGIBILITY_OK);
		}
	}
	return (ELIGIBILITY_EINVAL);
}

enum eligibility_outcome
eligibility_code_outcome(enum eligibility_code c)
{
	if (!elig_enum_ok((int)c, ELIGIBILITY_CODE__MAX))
		return (ELIGIBILITY_OUTCOME__MAX);
	return (elig_codes[c].outcome);
}

const char *
eligibility_err_name(enum eligibility_err e)
{
	if (!elig_enum_ok((int)e, ELIGIBILITY_ERR__MAX))
		return ("unknown");
	return (elig_errs[e]);
}

int
eligibility_date_valid(int date)
{
	static const int	mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			y, m, d, last;

	if (date < ELIGIBILITY_DATE_MIN || date > ELIGIBILITY_DATE_MAX)
		return (0);
	y = date / 10000;
	m = date / 100 % 100;
	d = date % 100;
	if (m < 1 || m > 12 || d < 1)
		return (0);
	last = mdays[m - 1];
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		last = 29;
	return (d <= last);
}

static int
elig_date_or_zero(int date)
{
	return (date == 0 || eligibility_date_valid(date));
}

enum eligibility_err
eligibility_date_parse(const char *s, int *out)
{
	int	i, v;

	if (s == NULL || out == NULL || strlen(s) != 10)
		return (ELIGIBILITY_EINVAL);
	for (i = 0, v = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return (ELIGIBILITY_EINVAL);
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return (ELIGIBILITY_EINVAL);
		v = v * 10 + (s[i] - '0');
	}
	if (!eligibility_date_valid(v))
		return (ELIGIBILITY_EINVAL);
	*out = v;
	return (ELIGIBILITY_OK);
}

enum eligibility_err
eligibility_date_format(int date, char *buf, size_t len)
{
	int	i, v;

	if (buf == NULL || len < ELIGIBILITY_DATE_LEN)
		return (ELIGIBILITY_EINVAL);
	buf[0] = '\0';
	if (!eligibility_date_valid(date))
		return (ELIGIBILITY_EINVAL);
	/* Written backwards: digits, with dashes after day and month. */
	v = date;
	for (i = 9; i >= 0; i--) {
		if (i == 7 || i == 4) {
			buf[i] = '-';
			continue;
		}
		buf[i] = (char)('0' + v % 10);
		v /= 10;
	}
	buf[10] = '\0';
	return (ELIGIBILITY_OK);
}

/*
 * Rule sets.
 */

enum eligibility_err
eligibility_rules_check(const struct eligibility_ruleset *rs,
    const char **bad)
{
	const char	*b = NULL;
	int		 s, t, a;

	if (rs == NULL) {
		b = "rules";
		goto out;
	}
	if (rs->version <= 0) {
		b = "version";
		goto out;
	}
	if (!eligibility_date_valid(rs->effective)) {
		b = "effective";
		goto out;
	}
	if (rs->name_ko[0] == '\0' ||
	    memchr(rs->name_ko, '\0', sizeof(rs->name_ko)) == NULL) {
		b = "name_ko";
		goto out;
	}
	if (rs->name_en[0] == '\0' ||
	    memchr(rs->name_en, '\0', sizeof(rs->name_en)) == NULL) {
		b = "name_en";
		goto out;
	}
	if (rs->excluded_data & ~ELIGIBILITY_DATA_ALL) {
		b = "excluded_data";
		goto out;
	}
	for (a = 0; a < ELIGIBILITY_AGENCY__MAX; a++) {
		if (!elig_enum_ok((int)rs->internal[a],
		    ELIGIBILITY_OUTCOME__MAX)) {
			b = "internal";
			goto out;
		}
	}
	for (s = 0; s < ELIGIBILITY_SERVICE__MAX; s++) {
		if (rs->csap_required[s] != 0 && rs->csap_required[s] != 1) {
			b = "csap_required";
			goto out;
		}
		if (rs->iaas_required[s] != 0 && rs->iaas_required[s] != 1) {
			b = "iaas_required";
			goto out;
		}
		for (t = 0; t < ELIGIBILITY_CSAP__MAX; t++) {
			if (!elig_enum_ok((int)rs->csap_fit[s][t],
			    ELIGIBILITY_OUTCOME__MAX)) {
				b = "csap_fit";
				goto out;
			}
		}
	}
	if (rs->grades != 0 && rs->grades != 1) {
		b = "grades";
		goto out;
	}
	if (!elig_enum_ok((int)rs->default_grade, ELIGIBILITY_GRADE__MAX)) {
		b = "default_grade";
		goto out;
	}
	for (t = 0; t < ELIGIBILITY_CSAP__MAX; t++) {
		if (!elig_enum_ok((int)rs->legacy_grade[t],
		    ELIGIBILITY_GRADE__MAX)) {
			b = "legacy_grade";
			goto out;
		}
	}
out:
	if (bad != NULL)
		*bad = b;
	return (b == NULL ? ELIGIBILITY_OK : ELIGIBILITY_EINVAL);
}

enum eligibility_err
eligibility_rules_pick(const struct eligibility_ruleset *sets, size_t nsets,
    int date, size_t *idx, const char **bad, long *bad_index)
{
	const char	*b = NULL;
	long		 bi = -1;
	size_t		 i, j, best;
	enum eligibility_err	 rc = ELIGIBILITY_EINVAL;

	if (idx == NULL) {
		b = "idx";
		goto out;
	}
	if (!eligibility_date_valid(date)) {
		b = "date";
		goto out;
	}
	if (sets == NULL && nsets > 0) {
		b = "rules";
		goto out;
	}
	for (i = 0; i < nsets; i++) {
		if (eligibility_rules_check(&sets[i], &b) != ELIGIBILITY_OK) {
			bi = (long)i;
			goto out;
		}
		for (j = 0; j < i; j++) {
			if (sets[j].version == sets[i].version) {
				b = "version";
				bi = (long)i;
				goto out;
			}
		}
	}

	best = nsets;
	for (i = 0; i < nsets; i++) {
		if (sets[i].effective > date)
			continue;
		if (best == nsets || sets[i].effective > sets[best].effective ||
		    (sets[i].effective == sets[best].effective &&
		    sets[i].version > sets[best].version))
			best = i;
	}
	if (best == nsets) {
		rc = ELIGIBILITY_ENORULES;
		goto out;
	}
	*idx = best;
	rc = ELIGIBILITY_OK;
out:
	if (bad != NULL)
		*bad = b;
	if (bad_index != NULL)
		*bad_index = bi;
	return (rc);
}

/*
 * Input checks.
 */

/* The fields of a certificate, as elig_cert_check() names them. */
enum elig_cert_field {
	ELIG_CF_OK,
	ELIG_CF_SCHEME,
	ELIG_CF_TYPE,
	ELIG_CF_GRADE,
	ELIG_CF_STATUS,
	ELIG_CF_ISSUED,
	ELIG_CF_EXPIRES,
	ELIG_CF_STATUS_SINCE,
	ELIG_CF__MAX
};

/* decision->bad for a bad certificate, by list and field. */
static const char *const elig_cert_fields[2][ELIG_CF__MAX] = {
	/* 0: facts->certs, in enum elig_cert_field order */
	{ NULL, "certs.scheme", "certs.type", "certs.grade", "certs.status",
	  "certs.issued", "certs.expires", "certs.status_since" },
	/* 1: facts->iaas_certs */
	{ NULL, "iaas_certs.scheme", "iaas_certs.type", "iaas_certs.grade",
	  "iaas_certs.status", "iaas_certs.issued", "iaas_certs.expires",
	  "iaas_certs.status_since" },
};

/*
 * Checks one certificate and returns the first bad field, or ELIG_CF_OK.
 * Other schemes than CSAP are checked by their scheme only: the engine
 * ignores them, and their fields mean other things.
 */
static enum elig_cert_field
elig_cert_check(const struct eligibility_cert *c)
{
	int	dated;

	if (!elig_enum_ok((int)c->scheme, ELIGIBILITY_SCHEME__MAX))
		return (ELIG_CF_SCHEME);
	if (c->scheme != ELIGIBILITY_SCHEME_CSAP)
		return (ELIG_CF_OK);
	if (!elig_enum_ok((int)c->type, ELIGIBILITY_CSAP__MAX))
		return (ELIG_CF_TYPE);
	if (!elig_enum_ok((int)c->grade, ELIGIBILITY_GRADE__MAX))
		return (ELIG_CF_GRADE);
	if (!elig_enum_ok((int)c->status, ELIGIBILITY_CERT__MAX))
		return (ELIG_CF_STATUS);
	/* A pending certificate may not have its dates yet. */
	dated = c->status != ELIGIBILITY_CERT_PENDING;
	if (dated ? !eligibility_date_valid(c->issued) :
	    !elig_date_or_zero(c->issued))
		return (ELIG_CF_ISSUED);
	if (dated ? !eligibility_date_valid(c->expires) :
	    !elig_date_or_zero(c->expires))
		return (ELIG_CF_EXPIRES);
	if (c->issued != 0 && c->expires != 0 && c->issued > c->expires)
		return (ELIG_CF_EXPIRES);
	/* The day a suspension or revocation took effect is shown. */
	if (c->status == ELIGIBILITY_CERT_SUSPENDED ||
	    c->status == ELIGIBILITY_CERT_REVOKED) {
		if (!eligibility_date_valid(c->status_since))
			return (ELIG_CF_STATUS_SINCE);
	} else if (!elig_date_or_zero(c->status_since))
		return (ELIG_CF_STATUS_SINCE);
	return (ELIG_CF_OK);
}

/* Checks a list of certificates; list is 0 for the service's, 1 IaaS. */
static int
elig_certs_check(const struct eligibility_cert *v, size_t n, int list,
    const char **bad, long *bi)
{
	enum elig_cert_field	f;
	size_t			i;

	if (v == NULL && n > 0) {
		*bad = list ? "iaas_certs" : "certs";
		return (0);
	}
	for (i = 0; i < n; i++) {
		if ((f = elig_cert_check(&v[i])) != ELIG_CF_OK) {
			*bad = elig_cert_fields[list][f];
			*bi = (long)i;
			return (0);
		}
	}
	return (1);
}

static int
elig_facts_check(const struct eligibility_facts *f, const char **bad,
    long *bi)
{
	if (!elig_enum_ok((int)f->agency, ELIGIBILITY_AGENCY__MAX))
		*bad = "agency";
	else if (!elig_enum_ok((int)f->nature, ELIGIBILITY_NATURE__MAX))
		*bad = "nature";
	else if (f->data & ~ELIGIBILITY_DATA_ALL)
		*bad = "data";
	else if (!elig_enum_ok((int)f->service, ELIGIBILITY_SERVICE__MAX))
		*bad = "service";
	else if (!eligibility_date_valid(f->start))
		*bad = "start";
	else if (!elig_enum_ok((int)f->need, ELIGIBILITY_GRADE__MAX))
		*bad = "need";
	else if (!elig_enum_ok((int)f->vendor, ELIGIBILITY_VENDOR__MAX))
		*bad = "vendor";
	else if (!elig_certs_check(f->certs, f->ncerts, 0, bad, bi) ||
	    !elig_certs_check(f->iaas_certs, f->niaas_certs, 1, bad, bi))
		return (0);
	else
		return (1);
	return (0);
}

/*
 * The decision.
 */

static int
elig_valid_on(const struct eligibility_cert *c, int date)
{
	return (c->status == ELIGIBILITY_CERT_VALID &&
	    c->issued <= date && date <= c->expires);
}

/* Stores a reason in its code's slot; the first one wins. */
static void
elig_add(struct elig_slots *s, enum eligibility_code code,
    const struct eligibility_reason *r)
{
	if (s->used[code])
		return;
	s->used[code] = 1;
	s->r[code] = *r;
	s->r[code].code = code;
}

/*
 * Stores a certificate problem.  Of several certificates with the same
 * problem the buyer sees the most telling date: the latest expiry,
 * suspension or revocation, but the earliest start of validity (the day
 * a contract could start).
 */
static void
elig_problem(struct elig_slots *s, enum eligibility_code code, int date,
    int earliest)
{
	struct eligibility_reason	r;

	if (s->used[code]) {
		if (earliest ? date < s->r[code].date : date > s->r[code].date)
			s->r[code].date = date;
		return;
	}
	memset(&r, 0, sizeof(r));
	r.date = date;
	elig_add(s, code, &r);
}

/*
 * Checks one list of certificates against the fit row of service svc.
 * A certificate valid on the date settles it (the best one is used, and
 * the others' problems are not shown); only when none is valid are the
 * problems of every fitting certificate shown.
 */
static void
elig_check_certs(struct elig_slots *s, const struct elig_target *t,
    const struct eligibility_ruleset *rs, enum eligibility_service svc,
    const struct eligibility_cert *v, size_t n, int date,
    enum eligibility_grade need)
{
	struct elig_slots		 probs;
	struct eligibility_reason	 r;
	const struct eligibility_cert	*c, *best = NULL;
	enum eligibility_outcome	 fit, best_fit = NOT;
	enum eligibility_grade		 g, best_g = ELIGIBILITY_GRADE_NONE;
	enum eligibility_grade		 max_g = ELIGIBILITY_GRADE_NONE;
	size_t				 i, ncsap = 0, nfit = 0;
	int				 ok, best_ok = 0, code;
	enum eligibility_csap_type	 other = ELIGIBILITY_CSAP_IAAS;

	memset(&probs, 0, sizeof(probs));
	memset(&r, 0, sizeof(r));

	for (i = 0; i < n; i++) {
		c = &v[i];
		if (c->scheme != ELIGIBILITY_SCHEME_CSAP)
			continue;
		if (ncsap++ == 0)
			other = c->type;
		fit = rs->csap_fit[svc][c->type];
		if (fit == NOT)
			continue;
		nfit++;

		if (!elig_valid_on(c, date)) {
			switch (c->status) {
			case ELIGIBILITY_CERT_PENDING:
				elig_problem(&probs, t->pending, 0, 0);
				break;
			case ELIGIBILITY_CERT_SUSPENDED:
				elig_problem(&probs, t->suspended,
				    c->status_since, 0);
				break;
			case ELIGIBILITY_CERT_REVOKED:
				elig_problem(&probs, t->revoked,
				    c->status_since, 0);
				break;
			case ELIGIBILITY_CERT_EXPIRED:
				elig_problem(&probs, t->expired, c->expires, 0);
				break;
			default:
				if (date < c->issued)
					elig_problem(&probs, t->not_yet,
					    c->issued, 1);
				else
					elig_problem(&probs, t->expired,
					    c->expires, 0);
				break;
			}
			continue;
		}

		g = ELIGIBILITY_GRADE_NONE;
		if (rs->grades)
			g = c->grade != ELIGIBILITY_GRADE_NONE ? c->grade :
			    rs->legacy_grade[c->type];
		ok = !rs->grades || g >= need;
		if (g > max_g)
			max_g = g;
		/* Best: meets the grade, then fits outright, then grade. */
		if (best == NULL || ok > best_ok ||
		    (ok == best_ok && fit < best_fit) ||
		    (ok == best_ok && fit == best_fit && g > best_g)) {
			best = c;
			best_ok = ok;
			best_fit = fit;
			best_g = g;
		}
	}

	if (ncsap == 0) {
		elig_add(s, t->missing, &r);
		return;
	}
	if (nfit == 0) {
		r.type = other;
		r.service = svc;
		elig_add(s, t->mismatch, &r);
		return;
	}
	if (best == NULL) {
		for (code = 0; code < ELIGIBILITY_CODE__MAX; code++)
			if (probs.used[code])
				elig_add(s, (enum eligibility_code)code,
				    &probs.r[code]);
		return;
	}
	if (!best_ok) {
		r.have = max_g;
		r.need = need;
		elig_add(s, t->too_low, &r);
		return;
	}
	if (best_fit == AGENCY) {
		r.type = best->type;
		r.service = svc;
		elig_add(s, t->agency, &r);
	}
	if (rs->grades && best->grade == ELIGIBILITY_GRADE_NONE) {
		memset(&r, 0, sizeof(r));
		r.type = best->type;
		r.have = best_g;
		elig_add(s, t->recognised, &r);
	}
}

enum eligibility_err
eligibility_decide(const struct eligibility_ruleset *sets, size_t nsets,
    const struct eligibility_facts *f, struct eligibility_decision *out)
{
	struct elig_slots		 s;
	struct eligibility_reason	 r;
	const struct eligibility_ruleset *rs;
	enum eligibility_grade		 need;
	enum eligibility_err		 rc;
	const char			*bad = NULL;
	long				 bi = -1;
	size_t				 idx;
	int				 d, code;

	if (out == NULL)
		return (ELIGIBILITY_EINVAL);
	memset(out, 0, sizeof(*out));
	out->bad_index = -1;
	if (f == NULL) {
		out->bad = "facts";
		return (ELIGIBILITY_EINVAL);
	}
	if (!elig_facts_check(f, &bad, &bi)) {
		out->bad = bad;
		out->bad_index = bi;
		return (ELIGIBILITY_EINVAL);
	}
	if ((rc = eligibility_rules_pick(sets, nsets, f->start, &idx, &bad,
	    &bi)) != ELIGIBILITY_OK) {
		out->bad = bad;
		out->bad_index = bi;
		return (rc);
	}
	rs = &sets[idx];
	out->version = rs->version;
	out->effective = rs->effective;

	memset(&s, 0, sizeof(s));
	memset(&r, 0, sizeof(r));

	for (d = 0; d < ELIGIBILITY_DATA__MAX; d++) {
		if (f->data & rs->excluded_data & ELIGIBILITY_DATA_BIT(d))
			elig_add(&s, elig_data_codes[d], &r);
	}

	if (f->nature == ELIGIBILITY_NATURE_INTERNAL) {
		r.agency = f->agency;
		if (rs->internal[f->agency] == NOT)
			elig_add(&s, ELIGIBILITY_R_INTERNAL_GCLOUD, &r);
		else if (rs->internal[f->agency] == AGENCY)
			elig_add(&s, ELIGIBILITY_R_INTERNAL_ADVISED, &r);
		r.agency = 0;
	}

	switch (f->vendor) {
	case ELIGIBILITY_VENDOR_APPLIED:
		elig_add(&s, ELIGIBILITY_R_VENDOR_NOT_APPROVED, &r);
		break;
	case ELIGIBILITY_VENDOR_SUSPENDED:
		elig_add(&s, ELIGIBILITY_R_VENDOR_SUSPENDED, &r);
		break;
	case ELIGIBILITY_VENDOR_CLOSED:
		elig_add(&s, ELIGIBILITY_R_VENDOR_CLOSED, &r);
		break;
	default:
		break;
	}

	if (rs->csap_required[f->service] || rs->iaas_required[f->service]) {
		need = f->need;
		if (rs->grades) {
			if (need == ELIGIBILITY_GRADE_NONE &&
			    rs->default_grade != ELIGIBILITY_GRADE_NONE) {
				need = rs->default_grade;
				r.need = need;
				elig_add(&s, ELIGIBILITY_R_GRADE_ASSUMED, &r);
				r.need = 0;
			}
		} else if (need != ELIGIBILITY_GRADE_NONE) {
			r.need = need;
			elig_add(&s, ELIGIBILITY_R_GRADE_NOT_APPLICABLE, &r);
			r.need = 0;
			need = ELIGIBILITY_GRADE_NONE;
		}
		if (rs->csap_required[f->service])
			elig_check_certs(&s, &elig_service_target, rs,
			    f->service, f->certs, f->ncerts, f->start, need);
		if (rs->iaas_required[f->service]) {
			if (!f->iaas_known)
				elig_add(&s, ELIGIBILITY_R_IAAS_UNKNOWN, &r);
			else
				elig_check_certs(&s, &elig_iaas_target, rs,
				    ELIGIBILITY_SERVICE_IAAS, f->iaas_certs,
				    f->niaas_certs, f->start, need);
		}
	}
	if (!rs->csap_required[f->service]) {
		r.service = f->service;
		elig_add(&s, ELIGIBILITY_R_CSAP_NOT_REQUIRED, &r);
		r.service = 0;
	}

	out->outcome = ELIGIBILITY_ELIGIBLE;
	for (code = 0; code < ELIGIBILITY_CODE__MAX; code++) {
		if (!s.used[code])
			continue;
		out->reasons[out->nreasons++] = s.r[code];
		if (elig_codes[code].outcome > out->outcome)
			out->outcome = elig_codes[code].outcome;
	}
	return (ELIGIBILITY_OK);
}

/*
 * Messages.
 */

/* Appends s[0..n); when it does not fit, cuts before a UTF-8 lead byte. */
static void
elig_putn(struct elig_out *o, const char *s, size_t n)
{
	size_t	room;

	if (o->cut)
		return;
	room = o->len - o->pos - 1;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		o->cut = 1;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

/* Expands a message template; returns 0 for a bad parameter. */
static int
elig_expand(struct elig_out *o, const char *tmpl,
    const struct eligibility_reason *r, int en)
{
	const char	*p, *q, *label;
	const char	*lang = en ? "en" : "ko";
	char		 date[ELIGIBILITY_DATE_LEN];
	size_t		 n;

	for (p = tmpl; *p != '\0'; p = q) {
		if (*p != '{') {
			if ((q = strchr(p, '{')) == NULL)
				q = p + strlen(p);
			elig_putn(o, p, (size_t)(q - p));
			continue;
		}
		if ((q = strchr(p, '}')) == NULL)
			return (0);
		n = (size_t)(q - p - 1);
		q++;
		if (n == 4 && strncmp(p + 1, "date", 4) == 0) {
			if (eligibility_date_format(r->date, date,
			    sizeof(date)) != ELIGIBILITY_OK)
				return (0);
			label = date;
		} else if (n == 4 && strncmp(p + 1, "have", 4) == 0)
			label = eligibility_label(ELIGIBILITY_K_GRADE,
			    (int)r->have, lang);
		else if (n == 4 && strncmp(p + 1, "need", 4) == 0)
			label = eligibility_label(ELIGIBILITY_K_GRADE,
			    (int)r->need, lang);
		else if (n == 4 && strncmp(p + 1, "type", 4) == 0)
			label = eligibility_label(ELIGIBILITY_K_CSAP_TYPE,
			    (int)r->type, lang);
		else if (n == 6 && strncmp(p + 1, "agency", 6) == 0)
			label = eligibility_label(ELIGIBILITY_K_AGENCY,
			    (int)r->agency, lang);
		else if (n == 7 && strncmp(p + 1, "service", 7) == 0)
			label = eligibility_label(ELIGIBILITY_K_SERVICE,
			    (int)r->service, lang);
		else
			label = NULL;
		if (label == NULL)
			return (0);
		elig_putn(o, label, strlen(label));
	}
	return (1);
}

enum eligibility_err
eligibility_reason_format(const struct eligibility_reason *r,
    const char *lang, char *buf, size_t len)
{
	struct elig_out	 o;
	int		 en;

	if (buf == NULL || len == 0)
		return (ELIGIBILITY_EINVAL);
	buf[0] = '\0';
	if (r == NULL || !elig_enum_ok((int)r->code, ELIGIBILITY_CODE__MAX))
		return (ELIGIBILITY_EINVAL);
	o.buf = buf;
	o.len = len;
	o.pos = 0;
	o.cut = 0;
	en = elig_is_en(lang);
	if (!elig_expand(&o, en ? elig_codes[r->code].en :
	    elig_codes[r->code].ko, r, en)) {
		buf[0] = '\0';
		return (ELIGIBILITY_EINVAL);
	}
	return (o.cut ? ELIGIBILITY_ESPACE : ELIGIBILITY_OK);
}
