/*
 * plan.c - the rate plan's stored JSON form, its reference price and the
 * "only cheaper?" comparison of the change rules.
 *
 * The format is docs/catalog-data.md §2: every number an exact decimal
 * string, only the fields of a dimension's model present, the open last
 * tier's up_to null.  Parsing is strict because a vendor's API client
 * writes it: an unknown key, a JSON real (never exact) or a misspelled
 * model is an error that names the place, not something silently
 * dropped.  Rules about values (order of tiers, signs, which fields a
 * model uses) are rating_validate()'s, so the form, the API and the
 * generator give the same messages.
 */

#include <stdio.h>
#include <string.h>

#include "money.h"
#include "plan.h"

static const char *const perr_names[PLAN_PE__MAX] = {
	"type",			/* PLAN_PE_TYPE */
	"unknown_key",		/* PLAN_PE_UNKNOWN_KEY */
	"missing",		/* PLAN_PE_MISSING */
	"decimal",		/* PLAN_PE_DECIMAL */
	"name",			/* PLAN_PE_NAME */
	"too_long",		/* PLAN_PE_TOO_LONG */
	"too_many",		/* PLAN_PE_TOO_MANY */
};

static const char *const dim_keys[] = {
	"code", "unit_ko", "unit_en", "aggregation", "model", "fee",
	"unit_price", "package_size", "package_price", "package_rounding",
	"charge_at_zero", "tiers", "reference_quantity", NULL
};
static const char *const tier_keys[] = {
	"up_to", "unit_price", "flat_fee", NULL
};
static const char *const credit_keys[] = { "below", "share", NULL };
static const char *const plan_keys[] = { "dimensions", "credits", NULL };

static int	 perr(struct plan_perr *, enum plan_perr_code, int, int, int,
		    const char *);
static int	 only_keys(const json_t *, const char *const *, const char **);
static int	 get_micro(const json_t *, const char *, int64_t *);
static int	 get_text(const json_t *, const char *, char *, size_t,
		    int *);
static int	 set_micro(json_t *, const char *, int64_t);

const char *
plan_perr_name(enum plan_perr_code c)
{
	if (c < 0 || c >= PLAN_PE__MAX)
		return (NULL);
	return (perr_names[c]);
}

void
plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

void
plan_rating(const struct plan *p, struct rating_plan *out)
{
	out->dims = p->dims;
	out->ndims = p->ndims;
	out->credits = p->credits;
	out->ncredits = p->ncredits;
}

static int
perr(struct plan_perr *e, enum plan_perr_code code, int d, int t, int c,
    const char *key)
{
	e->code = code;
	e->dimension = d;
	e->tier = t;
	e->credit = c;
	(void)snprintf(e->key, sizeof(e->key), "%s", key != NULL ? key : "");
	return (-1);
}

/* 1 if every key of o is in allowed; else 0 with the first other in *bad. */
static int
only_keys(const json_t *o, const char *const *allowed, const char **bad)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach((json_t *)o, k, v) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], k) == 0)
				break;
		}
		if (allowed[i] == NULL) {
			*bad = k;
			return (0);
		}
	}
	return (1);
}

/* A decimal field of o into *v (absent: 0). -1 if not an exact decimal. */
static int
get_micro(const json_t *o, const char *key, int64_t *v)
{
	json_t	*j;
	char	 buf[32];

	*v = 0;
	if ((j = json_object_get(o, key)) == NULL)
		return (0);
	if (json_is_integer(j)) {
		(void)snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(j));
		return (money_parse(buf, MONEY_PARSE_NEGATIVE, v) == MONEY_OK ?
		    0 : -1);
	}
	if (!json_is_string(j) || money_parse(json_string_value(j),
	    MONEY_PARSE_NEGATIVE, v) != MONEY_OK)
		return (-1);
	return (0);
}

/*
 * A text field into buf: 0 (absent leaves ""), -1 not a string, -2 too
 * long. *present says whether it was there.
 */
static int
get_text(const json_t *o, const char *key, char *buf, size_t len,
    int *present)
{
	json_t	*j;

	buf[0] = '\0';
	*present = 0;
	if ((j = json_object_get(o, key)) == NULL || json_is_null(j))
		return (0);
	if (!json_is_string(j) || json_string_length(j) !=
	    strlen(json_string_value(j)))
		return (-1);
	if (json_string_length(j) >= len)
		return (-2);
	memcpy(buf, json_string_value(j), json_string_length(j) + 1);
	*present = 1;
	return (0);
}

int
plan_parse(const json_t *doc, struct plan *p, struct plan_perr *e)
{
	struct rating_dimension	*d;
	const json_t		*dims, *cr, *dj, *t, *c, *u, *v;
	const char		*bad;
	char			 name[32];
	size_t			 i, j;
	int			 rc, present;

	plan_init(p);
	if (!json_is_object(doc))
		return (perr(e, PLAN_PE_TYPE, -1, -1, -1, "rate_plan"));
	if (!only_keys(doc, plan_keys, &bad))
		return (perr(e, PLAN_PE_UNKNOWN_KEY, -1, -1, -1, bad));
	dims = json_object_get(doc, "dimensions");
	cr = json_object_get(doc, "credits");
	if (dims == NULL)
		return (perr(e, PLAN_PE_MISSING, -1, -1, -1, "dimensions"));
	if (!json_is_array(dims))
		return (perr(e, PLAN_PE_TYPE, -1, -1, -1, "dimensions"));
	if (json_array_size(dims) > RATING_DIMENSIONS_MAX)
		return (perr(e, PLAN_PE_TOO_MANY, -1, -1, -1, "dimensions"));
	if (cr != NULL && !json_is_null(cr) && !json_is_array(cr))
		return (perr(e, PLAN_PE_TYPE, -1, -1, -1, "credits"));
	if (json_is_array(cr) && json_array_size(cr) > RATING_CREDITS_MAX)
		return (perr(e, PLAN_PE_TOO_MANY, -1, -1, -1, "credits"));

	for (i = 0; i < json_array_size(dims); i++) {
		dj = json_array_get(dims, i);
		d = &p->dims[i];
		if (!json_is_object(dj))
			return (perr(e, PLAN_PE_TYPE, i, -1, -1, ""));
		if (!only_keys(dj, dim_keys, &bad))
			return (perr(e, PLAN_PE_UNKNOWN_KEY, i, -1, -1, bad));
		rc = get_text(dj, "code", d->code, sizeof(d->code), &present);
		if (rc == -1)
			return (perr(e, PLAN_PE_TYPE, i, -1, -1, "code"));
		if (rc == -2)
			return (perr(e, PLAN_PE_TOO_LONG, i, -1, -1, "code"));
		rc = get_text(dj, "unit_ko", p->unit_ko[i],
		    sizeof(p->unit_ko[i]), &present);
		if (rc == -1)
			return (perr(e, PLAN_PE_TYPE, i, -1, -1, "unit_ko"));
		if (rc == -2)
			return (perr(e, PLAN_PE_TOO_LONG, i, -1, -1,
			    "unit_ko"));
		if (p->unit_ko[i][0] == '\0')
			return (perr(e, PLAN_PE_MISSING, i, -1, -1,
			    "unit_ko"));
		rc = get_text(dj, "unit_en", p->unit_en[i],
		    sizeof(p->unit_en[i]), &present);
		if (rc == -1)
			return (perr(e, PLAN_PE_TYPE, i, -1, -1, "unit_en"));
		if (rc == -2)
			return (perr(e, PLAN_PE_TOO_LONG, i, -1, -1,
			    "unit_en"));
		if ((v = json_object_get(dj, "aggregation")) == NULL)
			return (perr(e, PLAN_PE_MISSING, i, -1, -1,
			    "aggregation"));
		if (rating_aggregation_from_name(json_string_value(v),
		    &d->aggregation) != MONEY_OK)
			return (perr(e, PLAN_PE_NAME, i, -1, -1,
			    "aggregation"));
		if ((v = json_object_get(dj, "model")) == NULL)
			return (perr(e, PLAN_PE_MISSING, i, -1, -1, "model"));
		if (rating_model_from_name(json_string_value(v), &d->model) !=
		    MONEY_OK)
			return (perr(e, PLAN_PE_NAME, i, -1, -1, "model"));
		if ((v = json_object_get(dj, "package_rounding")) != NULL &&
		    rating_package_rounding_from_name(json_string_value(v),
		    &d->package_rounding) != MONEY_OK)
			return (perr(e, PLAN_PE_NAME, i, -1, -1,
			    "package_rounding"));
		if (get_micro(dj, "fee", &d->fee))
			return (perr(e, PLAN_PE_DECIMAL, i, -1, -1, "fee"));
		if (get_micro(dj, "unit_price", &d->unit_price))
			return (perr(e, PLAN_PE_DECIMAL, i, -1, -1,
			    "unit_price"));
		if (get_micro(dj, "package_size", &d->package_size))
			return (perr(e, PLAN_PE_DECIMAL, i, -1, -1,
			    "package_size"));
		if (get_micro(dj, "package_price", &d->package_price))
			return (perr(e, PLAN_PE_DECIMAL, i, -1, -1,
			    "package_price"));
		if (get_micro(dj, "reference_quantity", &p->ref_qty[i]))
			return (perr(e, PLAN_PE_DECIMAL, i, -1, -1,
			    "reference_quantity"));
		v = json_object_get(dj, "charge_at_zero");
		if (v != NULL && !json_is_boolean(v))
			return (perr(e, PLAN_PE_TYPE, i, -1, -1,
			    "charge_at_zero"));
		d->charge_at_zero = json_is_true(v);
		t = json_object_get(dj, "tiers");
		if (t != NULL && !json_is_array(t))
			return (perr(e, PLAN_PE_TYPE, i, -1, -1, "tiers"));
		if (json_array_size(t) > RATING_TIERS_MAX)
			return (perr(e, PLAN_PE_TOO_MANY, i, -1, -1, "tiers"));
		for (j = 0; j < json_array_size(t); j++) {
			c = json_array_get(t, j);
			if (!json_is_object(c))
				return (perr(e, PLAN_PE_TYPE, i, j, -1, ""));
			if (!only_keys(c, tier_keys, &bad))
				return (perr(e, PLAN_PE_UNKNOWN_KEY, i, j, -1,
				    bad));
			/* up_to is required: null for the open tier. */
			if ((u = json_object_get(c, "up_to")) == NULL)
				return (perr(e, PLAN_PE_MISSING, i, j, -1,
				    "up_to"));
			if (json_is_null(u))
				d->tiers[j].up_to = RATING_UP_TO_INF;
			else if (get_micro(c, "up_to", &d->tiers[j].up_to))
				return (perr(e, PLAN_PE_DECIMAL, i, j, -1,
				    "up_to"));
			if (get_micro(c, "unit_price", &d->tiers[j].unit_price))
				return (perr(e, PLAN_PE_DECIMAL, i, j, -1,
				    "unit_price"));
			if (get_micro(c, "flat_fee", &d->tiers[j].flat_fee))
				return (perr(e, PLAN_PE_DECIMAL, i, j, -1,
				    "flat_fee"));
			d->ntiers = j + 1;
		}
		p->ndims = i + 1;
	}
	for (i = 0; json_is_array(cr) && i < json_array_size(cr); i++) {
		c = json_array_get(cr, i);
		if (!json_is_object(c))
			return (perr(e, PLAN_PE_TYPE, -1, -1, i, ""));
		if (!only_keys(c, credit_keys, &bad))
			return (perr(e, PLAN_PE_UNKNOWN_KEY, -1, -1, i, bad));
		for (j = 0; credit_keys[j] != NULL; j++) {
			(void)snprintf(name, sizeof(name), "%s",
			    credit_keys[j]);
			if (json_object_get(c, name) == NULL)
				return (perr(e, PLAN_PE_MISSING, -1, -1, i,
				    name));
		}
		if (get_micro(c, "below", &p->credits[i].below))
			return (perr(e, PLAN_PE_DECIMAL, -1, -1, i, "below"));
		if (get_micro(c, "share", &p->credits[i].share))
			return (perr(e, PLAN_PE_DECIMAL, -1, -1, i, "share"));
		p->ncredits = i + 1;
	}
	return (0);
}

/* Adds a micro value as a canonical decimal string; -1 on failure. */
static int
set_micro(json_t *o, const char *key, int64_t v)
{
	char	buf[MONEY_FMT_MAX];

	if (money_format_micro(v, 0, buf, sizeof(buf)) != MONEY_OK)
		return (-1);
	return (json_object_set_new(o, key, json_string(buf)));
}

json_t *
plan_json(const struct plan *p)
{
	const struct rating_dimension	*d;
	json_t				*plan, *dims, *dj, *tiers, *t, *cr, *c;
	size_t				 i, j;
	int				 bad;

	plan = json_object();
	dims = json_array();
	cr = json_array();
	bad = plan == NULL || dims == NULL || cr == NULL;
	for (i = 0; i < p->ndims && !bad; i++) {
		d = &p->dims[i];
		dj = json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", d->code,
		    "unit_ko", p->unit_ko[i], "unit_en", p->unit_en[i],
		    "aggregation", rating_aggregation_name(d->aggregation),
		    "model", rating_model_name(d->model));
		bad = dj == NULL || json_array_append_new(dims, dj) ||
		    set_micro(dj, "reference_quantity", p->ref_qty[i]);
		switch (d->model) {
		case RATING_MODEL_FLAT:
			bad = bad || set_micro(dj, "fee", d->fee);
			break;
		case RATING_MODEL_PER_UNIT:
			bad = bad || set_micro(dj, "unit_price", d->unit_price);
			break;
		case RATING_MODEL_PACKAGE:
			bad = bad ||
			    set_micro(dj, "package_size", d->package_size) ||
			    set_micro(dj, "package_price", d->package_price) ||
			    json_object_set_new(dj, "package_rounding",
			    json_string(rating_package_rounding_name(
			    d->package_rounding)));
			break;
		default:
			tiers = json_array();
			bad = bad || tiers == NULL ||
			    json_object_set_new(dj, "charge_at_zero",
			    json_boolean(d->charge_at_zero)) ||
			    json_object_set_new(dj, "tiers", tiers);
			for (j = 0; j < d->ntiers && !bad; j++) {
				t = json_object();
				bad = t == NULL ||
				    json_array_append_new(tiers, t) ||
				    (d->tiers[j].up_to == RATING_UP_TO_INF ?
				    json_object_set_new(t, "up_to",
				    json_null()) : set_micro(t, "up_to",
				    d->tiers[j].up_to)) ||
				    set_micro(t, "unit_price",
				    d->tiers[j].unit_price) ||
				    set_micro(t, "flat_fee",
				    d->tiers[j].flat_fee);
			}
			break;
		}
	}
	for (i = 0; i < p->ncredits && !bad; i++) {
		c = json_object();
		bad = c == NULL || json_array_append_new(cr, c) ||
		    set_micro(c, "below", p->credits[i].below) ||
		    set_micro(c, "share", p->credits[i].share);
	}
	if (bad) {
		json_decref(plan);
		json_decref(dims);
		json_decref(cr);
		return (NULL);
	}
	if (json_object_set_new(plan, "dimensions", dims) ||
	    json_object_set_new(plan, "credits", cr)) {
		json_decref(plan);
		return (NULL);
	}
	return (plan);
}

size_t
plan_check(const struct plan *p, int64_t *won, struct rating_error *errs,
    size_t maxerrs)
{
	struct rating_plan	 rp;
	struct rating_result	 res;
	int64_t			 line;
	size_t			 i, n;

	plan_rating(p, &rp);
	if ((n = rating_validate(&rp, errs, maxerrs)) > 0)
		return (n);
	*won = 0;
	for (i = 0; i < p->ndims; i++) {
		if (p->ref_qty[i] < 0 ||
		    rating_price(&p->dims[i], p->ref_qty[i], NULL, &res) !=
		    MONEY_OK || money_round_exact(res.amount,
		    MONEY_ROUND_HALF_UP, &line) != MONEY_OK ||
		    line > MONEY_WON_MAX - *won)
			return ((size_t)-1);
		*won += line;
	}
	return (0);
}

/* -1 worse for the buyer, 0 equal, 1 better (a lower price). */
#define CMP_PRICE(o, n)	((n) > (o) ? -1 : (n) < (o) ? 1 : 0)

enum plan_cmp
plan_compare(const struct plan *o, const struct plan *n)
{
	const struct rating_dimension	*a, *b;
	int64_t				 po[64], pn[64];
	size_t				 i, j, k;
	int				 lower;

	if (o == NULL || n == NULL)
		return (o == n ? PLAN_SAME : PLAN_OTHER);
	if (o->ndims != n->ndims || o->ncredits != n->ncredits)
		return (PLAN_OTHER);
	lower = 0;
	for (i = 0; i < o->ndims; i++) {
		a = &o->dims[i];
		b = &n->dims[i];
		if (strcmp(a->code, b->code) != 0 ||
		    strcmp(o->unit_ko[i], n->unit_ko[i]) != 0 ||
		    strcmp(o->unit_en[i], n->unit_en[i]) != 0 ||
		    a->aggregation != b->aggregation || a->model != b->model ||
		    a->package_size != b->package_size ||
		    a->package_rounding != b->package_rounding ||
		    a->charge_at_zero != b->charge_at_zero ||
		    a->ntiers != b->ntiers || o->ref_qty[i] != n->ref_qty[i])
			return (PLAN_OTHER);
		k = 0;
		po[k] = a->fee;
		pn[k++] = b->fee;
		po[k] = a->unit_price;
		pn[k++] = b->unit_price;
		po[k] = a->package_price;
		pn[k++] = b->package_price;
		for (j = 0; j < a->ntiers; j++) {
			if (a->tiers[j].up_to != b->tiers[j].up_to)
				return (PLAN_OTHER);
			po[k] = a->tiers[j].unit_price;
			pn[k++] = b->tiers[j].unit_price;
			po[k] = a->tiers[j].flat_fee;
			pn[k++] = b->tiers[j].flat_fee;
		}
		for (j = 0; j < k; j++) {
			switch (CMP_PRICE(po[j], pn[j])) {
			case -1:
				return (PLAN_OTHER);
			case 1:
				lower = 1;
				break;
			}
		}
	}
	for (i = 0; i < o->ncredits; i++) {
		if (o->credits[i].below != n->credits[i].below ||
		    n->credits[i].share < o->credits[i].share)
			return (PLAN_OTHER);
		if (n->credits[i].share > o->credits[i].share)
			lower = 1;
	}
	return (lower ? PLAN_LOWER : PLAN_SAME);
}
