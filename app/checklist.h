/*
 * checklist.h - the pass rule of a review checklist (심사 체크리스트).
 *
 * A checklist is a list of items, some mandatory, and a pass threshold in
 * percent (the procurement office's model: 70).  A review passes when at
 * least threshold percent of all items are met and every mandatory item
 * is.  The comparison is exact integer arithmetic (met * 100 >= threshold
 * * total), so 7 of 10 passes at 70% and 69 of 99 does not.  Pure C: the
 * items themselves (their text, criteria, versions) live in the database.
 */

#ifndef CHECKLIST_H
#define CHECKLIST_H

#include <stddef.h>

#define CHECKLIST_ITEMS_MAX	40

struct checklist_item {
	int	mandatory;
	int	met;
};

struct checklist_result {
	size_t	total;
	size_t	met;
	size_t	mandatory_missed;	/* mandatory items not met */
	int	percent;		/* met * 100 / total, rounded down */
	int	pass;
};

/*
 * Evaluates n items against threshold (1..100 percent) into *out.
 * Returns 0, or -1 (and *out zeroed) when n is 0 or over
 * CHECKLIST_ITEMS_MAX or the threshold is out of range.
 */
int	checklist_evaluate(const struct checklist_item *items, size_t n,
	    int threshold, struct checklist_result *out);

#endif /* CHECKLIST_H */
