/*
 * money.c - exact decimals, won amounts, rounding, VAT and the ceiling cap.
 *
 * Everything here is integer arithmetic on fixed-point values (see
 * money.h for the three scales).  Parsing is strict and done in two
 * passes, syntax first and value second, so a malformed string is always
 * reported as malformed however long it is, and an overlong number can
 * be rejected without ever wrapping.  Formatting is one routine for every
 * scale: 128-bit values have no printf conversion, and one routine means
 * one canonical spelling.  Rounding, VAT and the cap are the few lines
 * the billing rules in docs/billing.md turn into code; they are kept here,
 * apart from rating, because the invoice verifier and the contract forms
 * need them without a rate plan.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "money.h"

__extension__ typedef unsigned __int128 money_uexact;

/* Names indexed by enum money_err. */
static const char *const money_err_names[MONEY_ERR__MAX] = {
	"ok",			/* MONEY_OK */
	"invalid",		/* MONEY_EINVAL */
	"precision",		/* MONEY_EPRECISION */
	"negative",		/* MONEY_ENEGATIVE */
	"overflow",		/* MONEY_EOVERFLOW */
};

/* Stored names indexed by enum money_rounding. */
static const char *const money_rounding_names[MONEY_ROUND__MAX] = {
	"half_up",		/* MONEY_ROUND_HALF_UP */
	"down",			/* MONEY_ROUND_DOWN */
};

static enum money_err	money_parse_scaled(const char *, int, int, int64_t,
			    int64_t *);
static enum money_err	money_format_scaled(money_exact, int, int, char *,
			    size_t);

const char *
money_err_name(enum money_err err)
{
	if ((unsigned int)err >= MONEY_ERR__MAX)
		return ("unknown");
	return (money_err_names[err]);
}

const char *
money_rounding_name(enum money_rounding r)
{
	if ((unsigned int)r >= MONEY_ROUND__MAX)
		return (NULL);
	return (money_rounding_names[r]);
}

enum money_err
money_rounding_from_name(const char *name, enum money_rounding *r)
{
	int	i;

	if (name == NULL)
		return (MONEY_EINVAL);
	for (i = 0; i < MONEY_ROUND__MAX; i++) {
		if (strcmp(name, money_rounding_names[i]) == 0) {
			*r = (enum money_rounding)i;
			return (MONEY_OK);
		}
	}
	return (MONEY_EINVAL);
}

enum money_err
money_parse(const char *s, int flags, int64_t *out)
{
	return (money_parse_scaled(s, flags, 6, INT64_MAX, out));
}

enum money_err
money_parse_won(const char *s, int flags, int64_t *out)
{
	return (money_parse_scaled(s, flags, 0, MONEY_WON_MAX, out));
}

/*
 * Parses s as a decimal with at most scale decimals into units of
 * 10^-scale, accepting magnitudes up to limit.  Pass one checks the
 * grammar, pass two accumulates the digits and stops as soon as the
 * magnitude passes limit.
 */
static enum money_err
money_parse_scaled(const char *s, int flags, int scale, int64_t limit,
    int64_t *out)
{
	const char	*p, *digits;
	money_exact	 v;
	int		 neg, nfrac;

	if (s == NULL)
		return (MONEY_EINVAL);

	/* Pass one: [-] int [. frac], no leading zeros. */
	p = s;
	neg = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	digits = p;
	if (*p < '0' || *p > '9')
		return (MONEY_EINVAL);
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return (MONEY_EINVAL);
	while (*p >= '0' && *p <= '9')
		p++;
	nfrac = 0;
	if (*p == '.') {
		p++;
		while (p[nfrac] >= '0' && p[nfrac] <= '9')
			nfrac++;
		if (nfrac == 0)
			return (MONEY_EINVAL);
		p += nfrac;
	}
	if (*p != '\0')
		return (MONEY_EINVAL);
	if (neg && !(flags & MONEY_PARSE_NEGATIVE))
		return (MONEY_ENEGATIVE);
	if (nfrac > scale)
		return (MONEY_EPRECISION);

	/* Pass two: the value, in units of 10^-scale. */
	v = 0;
	for (p = digits; *p != '\0'; p++) {
		if (*p == '.')
			continue;
		v = v * 10 + (*p - '0');
		if (v > limit)
			return (MONEY_EOVERFLOW);
	}
	for (; nfrac < scale; nfrac++) {
		v *= 10;
		if (v > limit)
			return (MONEY_EOVERFLOW);
	}

	*out = (int64_t)(neg ? -v : v);
	return (MONEY_OK);
}

enum money_err
money_format_micro(int64_t v, int flags, char *buf, size_t len)
{
	return (money_format_scaled(v, 6, flags, buf, len));
}

enum money_err
money_format_exact(money_exact v, int flags, char *buf, size_t len)
{
	return (money_format_scaled(v, 12, flags, buf, len));
}

enum money_err
money_format_won(int64_t v, int flags, char *buf, size_t len)
{
	return (money_format_scaled(v, 0, flags, buf, len));
}

/*
 * Writes v, in units of 10^-scale, in canonical form.  The string is
 * built backwards in a local buffer (fraction, point, grouped integer
 * digits, sign) and copied out reversed.
 */
static enum money_err
money_format_scaled(money_exact v, int scale, int flags, char *buf,
    size_t len)
{
	char		 tmp[MONEY_FMT_MAX];
	money_uexact	 u, ip, fp, div;
	size_t		 n, i;
	int		 k, ndig, fracdig;

	if (buf == NULL)
		return (MONEY_EINVAL);
	if (len > 0)
		buf[0] = '\0';

	u = v < 0 ? -(money_uexact)v : (money_uexact)v;
	div = 1;
	for (k = 0; k < scale; k++)
		div *= 10;
	ip = u / div;
	fp = u % div;

	n = 0;
	if (fp != 0) {
		/* Drop trailing zeros, then emit what is left. */
		fracdig = scale;
		while (fp % 10 == 0) {
			fp /= 10;
			fracdig--;
		}
		for (k = 0; k < fracdig; k++) {
			tmp[n++] = '0' + (char)(fp % 10);
			fp /= 10;
		}
		tmp[n++] = '.';
	}
	ndig = 0;
	do {
		if ((flags & MONEY_FMT_GROUP) && ndig > 0 && ndig % 3 == 0)
			tmp[n++] = ',';
		tmp[n++] = '0' + (char)(ip % 10);
		ip /= 10;
		ndig++;
	} while (ip != 0);
	if (v < 0)
		tmp[n++] = '-';

	if (n + 1 > len)
		return (MONEY_EINVAL);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return (MONEY_OK);
}

enum money_err
money_round_exact(money_exact v, enum money_rounding mode, int64_t *won)
{
	money_exact	q, r;

	if ((unsigned int)mode >= MONEY_ROUND__MAX)
		return (MONEY_EINVAL);
	if (v > MONEY_EXACT_MAX || v < -MONEY_EXACT_MAX)
		return (MONEY_EOVERFLOW);

	/* C division truncates toward zero; r has the sign of v. */
	q = v / MONEY_EXACT_PER_WON;
	r = v % MONEY_EXACT_PER_WON;
	if (mode == MONEY_ROUND_HALF_UP) {
		if (r >= MONEY_EXACT_PER_WON / 2)
			q++;
		else if (r <= -(MONEY_EXACT_PER_WON / 2))
			q--;
	}
	*won = (int64_t)q;
	return (MONEY_OK);
}

enum money_err
money_vat(int64_t supply_won, int64_t *vat_won)
{
	if (supply_won > MONEY_WON_MAX || supply_won < -MONEY_WON_MAX)
		return (MONEY_EOVERFLOW);
	if (supply_won >= 0)
		*vat_won = supply_won * 10 / 100;
	else
		*vat_won = -((-supply_won) * 10 / 100);
	return (MONEY_OK);
}

enum money_err
money_cap_supply(int64_t remaining_won, int64_t *supply_won)
{
	int64_t	q, r;

	if (remaining_won < 0)
		return (MONEY_EINVAL);
	if (remaining_won > MONEY_WON_MAX)
		return (MONEY_EOVERFLOW);

	/*
	 * f(S) = S + floor(S / 10) takes S = 10q + d (0 <= d <= 9) to
	 * 11q + d: strictly increasing, and it never takes a value
	 * 11q + 10.  So for remaining = 11q + r the answer is 10q + r,
	 * except r = 10, where 10q + 9 is the best one can do.
	 */
	q = remaining_won / 11;
	r = remaining_won % 11;
	*supply_won = 10 * q + (r < 9 ? r : 9);
	return (MONEY_OK);
}
