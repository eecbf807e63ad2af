/*
 * money.h - exact decimals, won amounts, rounding, VAT and the ceiling cap.
 *
 * Gureum bills public agencies, so every amount must be exact and the same
 * on every machine: an auditor's offline verifier has to reproduce the
 * server's invoice to the won.  No floating point is used anywhere.  Three
 * fixed-point scales are in play and each has its own type or name:
 *
 *	micro	int64_t, 10^-6 of a unit: quantities, unit prices in won,
 *		percentages (availability, SLA credit share)
 *	exact	money_exact (128-bit), 10^-12 won: the exact product of a
 *		micro quantity and a micro unit price, and sums of them
 *	won	int64_t, whole won: invoice lines, supply amount, VAT, totals
 *
 * Every function returns an enum money_err; results go to out-parameters
 * that are written only on MONEY_OK unless the function says otherwise.
 * Overflow is always reported, never wrapped.  The module uses libc only,
 * so the web app, the month-close command and the invoice verifier share
 * it; the rules it implements are written down in docs/billing.md.
 */

#ifndef MONEY_H
#define MONEY_H

#include <stddef.h>
#include <stdint.h>

/* 10^-12 won.  __extension__ keeps -pedantic quiet about __int128. */
__extension__ typedef __int128 money_exact;

#define MONEY_MICRO		1000000LL		/* micro per unit */
#define MONEY_PICO_PER_MICRO	1000000LL		/* exact per micro */
#define MONEY_EXACT_PER_WON	((money_exact)MONEY_MICRO * MONEY_MICRO)

/*
 * The largest amount, in won, the module handles: just under 1,000 trillion
 * won (the whole national budget is below 700 trillion).  Any line, sum,
 * supply amount or ceiling beyond it is MONEY_EOVERFLOW.  Keeping amounts
 * this far below INT64_MAX means a supply amount plus its VAT, or two
 * in-range amounts added, can never wrap before the range check sees them.
 */
#define MONEY_WON_MAX		999999999999999LL
#define MONEY_EXACT_MAX	\
	((money_exact)MONEY_WON_MAX * MONEY_EXACT_PER_WON)

/* Buffer size that holds any string the money_format_* functions make. */
#define MONEY_FMT_MAX		64

enum money_err {
	MONEY_OK = 0,		/* success */
	MONEY_EINVAL,		/* malformed, bad argument, buffer too small */
	MONEY_EPRECISION,	/* more decimal places than the scale allows */
	MONEY_ENEGATIVE,	/* a negative value where none is allowed */
	MONEY_EOVERFLOW,	/* the value or a result is out of range */
	MONEY_ERR__MAX
};

/* Contract rounding rule for turning an exact amount into whole won. */
enum money_rounding {
	MONEY_ROUND_HALF_UP = 0,	/* 반올림 (default): half away from 0 */
	MONEY_ROUND_DOWN,		/* 절사; toward zero */
	MONEY_ROUND__MAX
};

/* money_parse() and money_parse_won() flags. */
#define MONEY_PARSE_NEGATIVE	0x01	/* accept a leading '-' */

/* money_format_*() flags. */
#define MONEY_FMT_GROUP		0x01	/* thousands separators: 1,234,567 */

/*
 * Returns a stable lower-case name for err ("ok", "invalid", "precision",
 * "negative", "overflow") for logs and JSON error details; "unknown" for
 * a value outside the enum.  The string is static.
 */
const char	*money_err_name(enum money_err err);

/*
 * Returns the stored name of a rounding rule ("half_up", "down"), or NULL
 * for a value outside the enum.  The string is static.
 */
const char	*money_rounding_name(enum money_rounding r);

/*
 * Looks a rounding rule up by its stored name, exactly as
 * money_rounding_name() spells it.  Returns MONEY_EINVAL for anything
 * else (NULL included); *r is untouched then.
 */
enum money_err	 money_rounding_from_name(const char *name,
		    enum money_rounding *r);

/*
 * Parses a decimal string into micro-units (6 decimal places).  The
 * grammar is strict, so that what a vendor signed or a buyer typed is
 * read one way only and nothing a float parser would accept slips in:
 * digits, optionally '.' and 1 to 6 digits; no sign unless flags has
 * MONEY_PARSE_NEGATIVE (then one leading '-'); no '+', spaces, exponent,
 * grouping, leading zeros ("01"), bare "." or trailing ".", "nan" or
 * "inf".  Trailing zeros within 6 decimals are accepted ("1.50").
 * Returns MONEY_EINVAL for a malformed string or NULL, MONEY_EPRECISION
 * for a 7th decimal, MONEY_ENEGATIVE for a '-' without the flag and
 * MONEY_EOVERFLOW beyond +/-INT64_MAX micro.  *out is written on MONEY_OK
 * only.
 */
enum money_err	 money_parse(const char *s, int flags, int64_t *out);

/*
 * Parses a whole-won amount: the same grammar as money_parse() without a
 * decimal point, limited to +/-MONEY_WON_MAX.  A '.' is MONEY_EPRECISION.
 */
enum money_err	 money_parse_won(const char *s, int flags, int64_t *out);

/*
 * Write the canonical decimal form of a value into buf (len bytes,
 * MONEY_FMT_MAX is always enough): no trailing zeros and no trailing '.'
 * ("3", "0.5", "-1.000001"), a leading '-' for negatives, thousands
 * separators in the integer part if flags has MONEY_FMT_GROUP.  The
 * output of money_format_micro() without flags parses back to the same
 * value.  Return MONEY_EINVAL if buf is NULL or too small (buf then holds
 * an empty string when len > 0).
 *
 * money_format_micro	v in 10^-6 units (quantities, prices, percentages)
 * money_format_exact	v in 10^-12 won (exact amounts, tier breakdown)
 * money_format_won	v in whole won ("1,234,567" with MONEY_FMT_GROUP)
 */
enum money_err	 money_format_micro(int64_t v, int flags, char *buf,
		    size_t len);
enum money_err	 money_format_exact(money_exact v, int flags, char *buf,
		    size_t len);
enum money_err	 money_format_won(int64_t v, int flags, char *buf,
		    size_t len);

/*
 * Rounds an exact amount (10^-12 won) to whole won.  MONEY_ROUND_HALF_UP
 * rounds halves away from zero (2.5 -> 3, -2.5 -> -3): finance officers
 * read -2.5 as "2.5 back" and expect the same 3 won as for a charge.
 * MONEY_ROUND_DOWN truncates toward zero (2.9 -> 2, -2.9 -> -2), so a
 * credit is never larger than its exact value, as a charge is never.
 * Both rules are symmetric: round(-x) = -round(x).  A micro-won value v
 * becomes exact as v * MONEY_PICO_PER_MICRO.  Returns MONEY_EOVERFLOW if
 * |v| > MONEY_EXACT_MAX, MONEY_EINVAL for an unknown mode.
 */
enum money_err	 money_round_exact(money_exact v, enum money_rounding mode,
		    int64_t *won);

/*
 * VAT (부가세) on a supply amount (공급가액) in won: floor(S * 10 / 100)
 * for S >= 0 (1,234,567 -> 123,456).  For a negative supply (a credit
 * note, a month of negative adjustments) the VAT mirrors the positive
 * case: -floor(|S| * 10 / 100), so a credit note exactly cancels the VAT
 * of the invoice it reverses.  Returns MONEY_EOVERFLOW if
 * |S| > MONEY_WON_MAX.
 */
enum money_err	 money_vat(int64_t supply_won, int64_t *vat_won);

/*
 * Ceiling cap: the largest supply amount S >= 0 with S + VAT(S) <=
 * remaining, where remaining is what is left of the contract ceiling
 * (계약금액, VAT included).  Exact integer arithmetic: writing
 * remaining = 11q + r (0 <= r < 11) gives S = 10q + min(r, 9).
 * Returns MONEY_EINVAL for remaining < 0 and MONEY_EOVERFLOW above
 * MONEY_WON_MAX.
 */
enum money_err	 money_cap_supply(int64_t remaining_won, int64_t *supply_won);

#endif /* MONEY_H */
