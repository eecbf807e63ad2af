/*
 * bizno.h - Korean business registration numbers (사업자등록번호).
 *
 * Every vendor and every buying agency on Gureum is identified by its
 * business registration number: ten digits, written 123-45-67890, whose
 * last digit is a check digit computed by the National Tax Service's
 * published algorithm.  The sign-up form checks it before anything is
 * stored, and tells the user whether the number is malformed ("형식이
 * 올바르지 않습니다") or has a wrong check digit ("검증 번호가 맞지
 * 않습니다"), because the second usually means one mistyped digit.
 *
 * The check digit is the only semantic check: tax office codes change, and
 * whether a number is registered is a question for the NTS, not for this
 * module.  "000-00-00000" therefore passes.  Pure C, libc only.
 */

#ifndef BIZNO_H
#define BIZNO_H

#include <stddef.h>

#define BIZNO_DIGITS	10		/* digits in a number */
#define BIZNO_LEN	12		/* strlen("123-45-67890") */
#define BIZNO_BUFSZ	(BIZNO_LEN + 1)	/* with the terminating NUL */

enum bizno_err {
	BIZNO_OK = 0,		/* well-formed, and the check digit holds */
	BIZNO_EFORMAT,		/* not "1234567890" or "123-45-67890" */
	BIZNO_ECHECK,		/* well-formed, but the check digit is wrong */
	BIZNO_ERR__MAX
};

/*
 * Checks s, which must be exactly ten ASCII digits ("1234567890") or the
 * same digits in the 3-2-5 hyphen layout ("123-45-67890").  Nothing else
 * is accepted: no spaces (not even leading or trailing), no other
 * separators or dashes, no full-width or other Unicode digits.
 * Returns BIZNO_EFORMAT for any such input and for s == NULL, BIZNO_ECHECK
 * when the shape is right but the check digit is not, BIZNO_OK otherwise.
 * On BIZNO_OK, and only then, writes the hyphenated form with its NUL to
 * out (BIZNO_BUFSZ bytes, owned by the caller) unless out is NULL.
 */
enum bizno_err	 bizno_parse(const char *s, char out[BIZNO_BUFSZ]);

/*
 * Returns the check digit (0-9) for the first nine digits of a number,
 * given as nine ASCII digits at s (further bytes are not read), or -1 if
 * s is NULL or one of the nine is not an ASCII digit.  Used to make
 * valid numbers for demo data and tests.
 *
 * The algorithm: multiply the digits by 1,3,7,1,3,7,1,3,5 and add them up,
 * add floor(9th digit * 5 / 10), and take (10 - sum % 10) % 10.  It
 * catches every single-digit error but not every transposition.
 */
int		 bizno_check_digit(const char *s);

#endif
