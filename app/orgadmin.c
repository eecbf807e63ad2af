/*
 * Sign-up, invitations, an organisation's users and its API keys.
 */

#include "gureum.h"
