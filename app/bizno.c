/*
 * Business registration numbers: shape, check digit, canonical form.
 *
 * Numbers arrive from forms typed by people and from CSV files of agency
 * data, with and without hyphens.  We accept exactly the two forms the NTS
 * prints and store one, the hyphenated, so that lookups and uniqueness
 * constraints see a single spelling.  The parser looks at bytes, never at
 * the locale: isdigit() would be wrong for a validator.
 */

#include <stddef.h>
#include <string.h>

#include "bizno.h"

static const int	bizno_weights[9] = { 1, 3, 7, 1, 3, 7, 1, 3, 5 };

static int	is_digit(char);

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

int
bizno_check_digit(const char *s)
{
	int	i, sum;

	if (s == NULL)
		return (-1);
	for (i = 0; i < 9; i++) {
		if (!is_digit(s[i]))
			return (-1);
	}
	sum = 0;
	for (i = 0; i < 9; i++)
		sum += (s[i] - '0') * bizno_weights[i];
	sum += (s[8] - '0') * 5 / 10;
	return ((10 - sum % 10) % 10);
}

enum bizno_err
bizno_parse(const char *s, char out[BIZNO_BUFSZ])
{
	char	d[BIZNO_DIGITS];
	size_t	len, i, o;

	if (s == NULL)
		return (BIZNO_EFORMAT);
	/* strnlen: a hostile megabyte is refused after 13 bytes. */
	len = strnlen(s, BIZNO_LEN + 1);
	if (len != BIZNO_DIGITS && len != BIZNO_LEN)
		return (BIZNO_EFORMAT);

	for (i = o = 0; i < len; i++) {
		if (len == BIZNO_LEN && (i == 3 || i == 6)) {
			if (s[i] != '-')
				return (BIZNO_EFORMAT);
			continue;
		}
		if (!is_digit(s[i]))
			return (BIZNO_EFORMAT);
		d[o++] = s[i];
	}

	if (bizno_check_digit(d) != d[9] - '0')
		return (BIZNO_ECHECK);

	if (out != NULL) {
		memcpy(out, d, 3);
		out[3] = '-';
		memcpy(out + 4, d + 3, 2);
		out[6] = '-';
		memcpy(out + 7, d + 5, 5);
		out[BIZNO_LEN] = '\0';
	}
	return (BIZNO_OK);
}
