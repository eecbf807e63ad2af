/*
 * checklist.c - the pass rule of a review checklist; see checklist.h.
 */

#include <string.h>

#include "checklist.h"

int
checklist_evaluate(const struct checklist_item *items, size_t n,
    int threshold, struct checklist_result *out)
{
	size_t	i;

	memset(out, 0, sizeof(*out));
	if (items == NULL || n == 0 || n > CHECKLIST_ITEMS_MAX ||
	    threshold < 1 || threshold > 100)
		return (-1);
	out->total = n;
	for (i = 0; i < n; i++) {
		if (items[i].met)
			out->met++;
		else if (items[i].mandatory)
			out->mandatory_missed++;
	}
	out->percent = (int)(out->met * 100 / n);
	out->pass = out->mandatory_missed == 0 &&
	    out->met * 100 >= (size_t)threshold * n;
	return (0);
}
