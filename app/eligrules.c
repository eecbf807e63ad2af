/*
 * Eligibility rule sets to and from JSON (see eligrules.h for the form).
 *
 * The database is where rule sets live once the procurement office edits
 * them; the engine (eligibility.c) only knows the struct. This codec is
 * strict in both directions: unknown keys, missing keys, wrong types,
 * unknown names and incomplete tables are all refused with the key that
 * is wrong, because a rule silently read as "eligible" would let an
 * agency sign what it may not use.
 */

#include <stdio.h>
#include <string.h>

#include "eligrules.h"

static int	er_outcome(const json_t *, enum eligibility_outcome *);
static int	er_table_outcome(const json_t *, enum eligibility_kind, int,
		    enum eligibility_outcome *, const char *, char *, size_t);
static int	er_table_flag(const json_t *, int *, const char *, char *,
		    size_t);
static int	er_bad(char *, size_t, const char *, const char *,
		    const char *);
static int	er_date(const json_t *, int *);
static int	er_keys_only(const json_t *, const char *const *, size_t,
		    const char *, char *, size_t);

static const char *const er_keys[] = {
	"version", "effective", "name_ko", "name_en", "excluded_data",
	"internal", "csap_required", "iaas_required", "csap_fit", "grades",
	"default_grade", "legacy_grade"
};

#define ER_NKEYS	(sizeof(er_keys) / sizeof(er_keys[0]))

int
eligrules_from_json(const json_t *v, struct eligibility_ruleset *rs,
    char *badbuf, size_t badlen)
{
	struct eligibility_ruleset	 r;
	const json_t			*x, *row;
	const char			*s, *bad;
	size_t				 i, j;
	int				 n;

	memset(&r, 0, sizeof(r));
	if (!json_is_object(v))
		return (er_bad(badbuf, badlen, "", NULL, NULL));
	if (er_keys_only(v, er_keys, ER_NKEYS, "", badbuf, badlen) == -1)
		return (-1);

	x = json_object_get(v, "version");
	if (!json_is_integer(x) || json_integer_value(x) <= 0 ||
	    json_integer_value(x) > 1000000)
		return (er_bad(badbuf, badlen, "version", NULL, NULL));
	r.version = (int)json_integer_value(x);
	if ((s = json_string_value(json_object_get(v, "effective"))) == NULL ||
	    eligibility_date_parse(s, &r.effective) != ELIGIBILITY_OK)
		return (er_bad(badbuf, badlen, "effective", NULL, NULL));
	if ((s = json_string_value(json_object_get(v, "name_ko"))) == NULL ||
	    *s == '\0' || strlen(s) >= sizeof(r.name_ko))
		return (er_bad(badbuf, badlen, "name_ko", NULL, NULL));
	(void)snprintf(r.name_ko, sizeof(r.name_ko), "%s", s);
	if ((s = json_string_value(json_object_get(v, "name_en"))) == NULL ||
	    *s == '\0' || strlen(s) >= sizeof(r.name_en))
		return (er_bad(badbuf, badlen, "name_en", NULL, NULL));
	(void)snprintf(r.name_en, sizeof(r.name_en), "%s", s);

	x = json_object_get(v, "excluded_data");
	if (!json_is_array(x))
		return (er_bad(badbuf, badlen, "excluded_data", NULL, NULL));
	for (i = 0; i < json_array_size(x); i++) {
		s = json_string_value(json_array_get(x, i));
		if (eligibility_value(ELIGIBILITY_K_DATA, s, &n) !=
		    ELIGIBILITY_OK || (r.excluded_data &
		    ELIGIBILITY_DATA_BIT(n)))
			return (er_bad(badbuf, badlen, "excluded_data", NULL,
			    NULL));
		r.excluded_data |= ELIGIBILITY_DATA_BIT(n);
	}

	if (er_table_outcome(json_object_get(v, "internal"),
	    ELIGIBILITY_K_AGENCY, ELIGIBILITY_AGENCY__MAX, r.internal,
	    "internal", badbuf, badlen) == -1)
		return (-1);
	if (er_table_flag(json_object_get(v, "csap_required"),
	    r.csap_required, "csap_required", badbuf, badlen) == -1)
		return (-1);
	if (er_table_flag(json_object_get(v, "iaas_required"),
	    r.iaas_required, "iaas_required", badbuf, badlen) == -1)
		return (-1);

	x = json_object_get(v, "csap_fit");
	if (!json_is_object(x) || json_object_size(x) !=
	    ELIGIBILITY_SERVICE__MAX)
		return (er_bad(badbuf, badlen, "csap_fit", NULL, NULL));
	for (i = 0; i < ELIGIBILITY_SERVICE__MAX; i++) {
		s = eligibility_name(ELIGIBILITY_K_SERVICE, (int)i);
		row = json_object_get(x, s);
		if (row == NULL)
			return (er_bad(badbuf, badlen, "csap_fit", s, NULL));
		if (er_table_outcome(row, ELIGIBILITY_K_CSAP_TYPE,
		    ELIGIBILITY_CSAP__MAX, r.csap_fit[i], s, badbuf,
		    badlen) == -1) {
			/* Prefix the row's key with the table's. */
			if (badbuf != NULL && badlen > 0) {
				char	tmp[128];

				(void)snprintf(tmp, sizeof(tmp), "csap_fit.%s",
				    badbuf);
				(void)snprintf(badbuf, badlen, "%s", tmp);
			}
			return (-1);
		}
	}

	x = json_object_get(v, "grades");
	if (!json_is_boolean(x))
		return (er_bad(badbuf, badlen, "grades", NULL, NULL));
	r.grades = json_is_true(x);
	s = json_string_value(json_object_get(v, "default_grade"));
	if (eligibility_value(ELIGIBILITY_K_GRADE, s, &n) != ELIGIBILITY_OK)
		return (er_bad(badbuf, badlen, "default_grade", NULL, NULL));
	r.default_grade = n;
	x = json_object_get(v, "legacy_grade");
	if (!json_is_object(x) || json_object_size(x) !=
	    ELIGIBILITY_CSAP__MAX)
		return (er_bad(badbuf, badlen, "legacy_grade", NULL, NULL));
	for (j = 0; j < ELIGIBILITY_CSAP__MAX; j++) {
		s = eligibility_name(ELIGIBILITY_K_CSAP_TYPE, (int)j);
		if (eligibility_value(ELIGIBILITY_K_GRADE,
		    json_string_value(json_object_get(x, s)), &n) !=
		    ELIGIBILITY_OK)
			return (er_bad(badbuf, badlen, "legacy_grade", s,
			    NULL));
		r.legacy_grade[j] = n;
	}

	if (eligibility_rules_check(&r, &bad) != ELIGIBILITY_OK)
		return (er_bad(badbuf, badlen, bad != NULL ? bad : "", NULL,
		    NULL));
	*rs = r;
	return (0);
}

json_t *
eligrules_to_json(const struct eligibility_ruleset *rs)
{
	json_t	*v, *data, *internal, *req, *iaas, *fit, *row, *legacy;
	char	 date[ELIGIBILITY_DATE_LEN];
	size_t	 i, j;

	if (eligibility_date_format(rs->effective, date, sizeof(date)) !=
	    ELIGIBILITY_OK)
		return (NULL);
	data = json_array();
	for (i = 0; i < ELIGIBILITY_DATA__MAX; i++) {
		if (rs->excluded_data & ELIGIBILITY_DATA_BIT(i))
			json_array_append_new(data, json_string(
			    eligibility_name(ELIGIBILITY_K_DATA, (int)i)));
	}
	internal = json_object();
	for (i = 0; i < ELIGIBILITY_AGENCY__MAX; i++)
		json_object_set_new(internal, eligibility_name(
		    ELIGIBILITY_K_AGENCY, (int)i), json_string(
		    eligibility_name(ELIGIBILITY_K_OUTCOME, rs->internal[i])));
	req = json_object();
	iaas = json_object();
	fit = json_object();
	for (i = 0; i < ELIGIBILITY_SERVICE__MAX; i++) {
		json_object_set_new(req, eligibility_name(
		    ELIGIBILITY_K_SERVICE, (int)i),
		    json_boolean(rs->csap_required[i]));
		json_object_set_new(iaas, eligibility_name(
		    ELIGIBILITY_K_SERVICE, (int)i),
		    json_boolean(rs->iaas_required[i]));
		row = json_object();
		for (j = 0; j < ELIGIBILITY_CSAP__MAX; j++)
			json_object_set_new(row, eligibility_name(
			    ELIGIBILITY_K_CSAP_TYPE, (int)j),
			    json_string(eligibility_name(ELIGIBILITY_K_OUTCOME,
			    rs->csap_fit[i][j])));
		json_object_set_new(fit, eligibility_name(
		    ELIGIBILITY_K_SERVICE, (int)i), row);
	}
	legacy = json_object();
	for (j = 0; j < ELIGIBILITY_CSAP__MAX; j++)
		json_object_set_new(legacy, eligibility_name(
		    ELIGIBILITY_K_CSAP_TYPE, (int)j), json_string(
		    eligibility_name(ELIGIBILITY_K_GRADE, rs->legacy_grade[j])));
	v = json_pack("{s:i, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, "
	    "s:s, s:o}", "version", rs->version, "effective", date,
	    "name_ko", rs->name_ko, "name_en", rs->name_en,
	    "excluded_data", data, "internal", internal,
	    "csap_required", req, "iaas_required", iaas, "csap_fit", fit,
	    "grades", rs->grades, "default_grade",
	    eligibility_name(ELIGIBILITY_K_GRADE, rs->default_grade),
	    "legacy_grade", legacy);
	return (v);
}

/* Reads an outcome name. Returns 0 or -1. */
static int
er_outcome(const json_t *v, enum eligibility_outcome *out)
{
	int	n;

	if (eligibility_value(ELIGIBILITY_K_OUTCOME, json_string_value(v),
	    &n) != ELIGIBILITY_OK)
		return (-1);
	*out = n;
	return (0);
}

/* A complete table {name of kind: outcome} of n entries into out[]. */
static int
er_table_outcome(const json_t *v, enum eligibility_kind kind, int n,
    enum eligibility_outcome *out, const char *key, char *badbuf,
    size_t badlen)
{
	const char	*name;
	int		 i;

	if (!json_is_object(v) || json_object_size(v) != (size_t)n)
		return (er_bad(badbuf, badlen, key, NULL, NULL));
	for (i = 0; i < n; i++) {
		name = eligibility_name(kind, i);
		if (er_outcome(json_object_get(v, name), &out[i]) == -1)
			return (er_bad(badbuf, badlen, key, name, NULL));
	}
	return (0);
}

/* A complete table {service: boolean} into out[] as 0/1. */
static int
er_table_flag(const json_t *v, int *out, const char *key, char *badbuf,
    size_t badlen)
{
	const json_t	*x;
	const char	*name;
	int		 i;

	if (!json_is_object(v) || json_object_size(v) !=
	    ELIGIBILITY_SERVICE__MAX)
		return (er_bad(badbuf, badlen, key, NULL, NULL));
	for (i = 0; i < ELIGIBILITY_SERVICE__MAX; i++) {
		name = eligibility_name(ELIGIBILITY_K_SERVICE, i);
		x = json_object_get(v, name);
		if (!json_is_boolean(x))
			return (er_bad(badbuf, badlen, key, name, NULL));
		out[i] = json_is_true(x);
	}
	return (0);
}

/* Refuses an object holding a key not in keys[]. */
static int
er_keys_only(const json_t *v, const char *const *keys, size_t n,
    const char *prefix, char *badbuf, size_t badlen)
{
	const char	*k;
	json_t		*x;
	size_t		 i;

	json_object_foreach((json_t *)v, k, x) {
		for (i = 0; i < n; i++)
			if (strcmp(keys[i], k) == 0)
				break;
		if (i == n)
			return (er_bad(badbuf, badlen, prefix, k, NULL));
	}
	return (0);
}

/* Writes "a.b.c" (the parts that are set) into badbuf; returns -1. */
static int
er_bad(char *badbuf, size_t badlen, const char *a, const char *b,
    const char *c)
{
	if (badbuf == NULL || badlen == 0)
		return (-1);
	(void)snprintf(badbuf, badlen, "%s%s%s%s%s", a,
	    b != NULL && *a != '\0' ? "." : "", b != NULL ? b : "",
	    c != NULL ? "." : "", c != NULL ? c : "");
	return (-1);
}

/* A date "YYYY-MM-DD" or null (0) into *out; -1 for anything else. */
static int
er_date(const json_t *v, int *out)
{
	if (v == NULL || json_is_null(v)) {
		*out = 0;
		return (0);
	}
	if (!json_is_string(v) || eligibility_date_parse(json_string_value(v),
	    out) != ELIGIBILITY_OK)
		return (-1);
	return (0);
}

int
eligrules_certs_from_json(const json_t *v, struct eligibility_cert *out,
    size_t max, size_t *n)
{
	static const char *const grades[] = { "low", "medium", "high" };
	struct eligibility_cert	 c;
	const json_t		*x;
	const char		*s;
	size_t			 i, j;
	int			 e;

	*n = 0;
	if (!json_is_array(v) || json_array_size(v) > max)
		return (-1);
	for (i = 0; i < json_array_size(v); i++) {
		x = json_array_get(v, i);
		memset(&c, 0, sizeof(c));
		if (!json_is_object(x) || eligibility_value(
		    ELIGIBILITY_K_SCHEME, json_string_value(json_object_get(x,
		    "scheme")), &e) != ELIGIBILITY_OK)
			return (-1);
		c.scheme = e;
		if (c.scheme == ELIGIBILITY_SCHEME_CSAP) {
			if (eligibility_value(ELIGIBILITY_K_CSAP_TYPE,
			    json_string_value(json_object_get(x,
			    "csap_type")), &e) != ELIGIBILITY_OK)
				return (-1);
			c.type = e;
			c.grade = ELIGIBILITY_GRADE_NONE;
			if ((s = json_string_value(json_object_get(x,
			    "grade"))) != NULL) {
				for (j = 0; j < 3; j++)
					if (strcmp(s, grades[j]) == 0)
						break;
				if (j == 3)
					return (-1);
				c.grade = ELIGIBILITY_GRADE_LOW + j;
			}
			if (eligibility_value(ELIGIBILITY_K_CERT_STATUS,
			    json_string_value(json_object_get(x, "status")),
			    &e) != ELIGIBILITY_OK)
				return (-1);
			c.status = e;
			if (er_date(json_object_get(x, "issue_date"),
			    &c.issued) == -1 || er_date(json_object_get(x,
			    "expiry_date"), &c.expires) == -1 ||
			    er_date(json_object_get(x, "since"),
			    &c.status_since) == -1)
				return (-1);
			if (c.status != ELIGIBILITY_CERT_PENDING &&
			    (c.issued == 0 || c.expires == 0 ||
			    c.issued > c.expires ||
			    ((c.status == ELIGIBILITY_CERT_SUSPENDED ||
			    c.status == ELIGIBILITY_CERT_REVOKED) &&
			    c.status_since == 0))) {
				c.status = ELIGIBILITY_CERT_PENDING;
				c.issued = c.expires = c.status_since = 0;
			}
			if (c.status != ELIGIBILITY_CERT_SUSPENDED &&
			    c.status != ELIGIBILITY_CERT_REVOKED)
				c.status_since = 0;
		}
		out[(*n)++] = c;
	}
	return (0);
}

json_t *
eligrules_reasons_to_json(const struct eligibility_decision *d)
{
	const struct eligibility_reason	*r;
	json_t				*a, *date;
	char				 buf[ELIGIBILITY_DATE_LEN];
	size_t				 i;

	if ((a = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < d->nreasons; i++) {
		r = &d->reasons[i];
		date = r->date != 0 && eligibility_date_format(r->date, buf,
		    sizeof(buf)) == ELIGIBILITY_OK ? json_string(buf) :
		    json_null();
		if (json_array_append_new(a, json_pack("{s:s, s:o, s:s, s:s, "
		    "s:s, s:s, s:s}", "code", eligibility_code_name(r->code),
		    "date", date,
		    "have", eligibility_name(ELIGIBILITY_K_GRADE, r->have),
		    "need", eligibility_name(ELIGIBILITY_K_GRADE, r->need),
		    "type", eligibility_name(ELIGIBILITY_K_CSAP_TYPE, r->type),
		    "agency", eligibility_name(ELIGIBILITY_K_AGENCY, r->agency),
		    "service", eligibility_name(ELIGIBILITY_K_SERVICE,
		    r->service))) == -1) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}

int
eligrules_reason_from_json(const json_t *v, struct eligibility_reason *r)
{
	enum eligibility_code	code;
	int			e;

	memset(r, 0, sizeof(*r));
	if (!json_is_object(v) || eligibility_code_value(json_string_value(
	    json_object_get(v, "code")), &code) != ELIGIBILITY_OK)
		return (-1);
	r->code = code;
	if (er_date(json_object_get(v, "date"), &r->date) == -1)
		return (-1);
	if (eligibility_value(ELIGIBILITY_K_GRADE, json_string_value(
	    json_object_get(v, "have")), &e) != ELIGIBILITY_OK)
		return (-1);
	r->have = e;
	if (eligibility_value(ELIGIBILITY_K_GRADE, json_string_value(
	    json_object_get(v, "need")), &e) != ELIGIBILITY_OK)
		return (-1);
	r->need = e;
	if (eligibility_value(ELIGIBILITY_K_CSAP_TYPE, json_string_value(
	    json_object_get(v, "type")), &e) != ELIGIBILITY_OK)
		return (-1);
	r->type = e;
	if (eligibility_value(ELIGIBILITY_K_AGENCY, json_string_value(
	    json_object_get(v, "agency")), &e) != ELIGIBILITY_OK)
		return (-1);
	r->agency = e;
	if (eligibility_value(ELIGIBILITY_K_SERVICE, json_string_value(
	    json_object_get(v, "service")), &e) != ELIGIBILITY_OK)
		return (-1);
	r->service = e;
	return (0);
}
