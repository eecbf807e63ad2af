/*
 * The procurement office's pages: vendor registration review and the
 * audit log.
 */

#include "gureum.h"
