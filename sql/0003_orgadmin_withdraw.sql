-- Withdrawing an invitation by deactivating its user (app/orgadmin.c).
--
-- 0002 requires a password hash of every user who is not 'invited', so an
-- invited user, who never set a password, could not be deactivated: the
-- statement failed on users_check. What matters is that nobody active is
-- without a hash; an invited or deactivated user cannot sign in either
-- way (auth.c signs in 'active' users only). A separate file, because
-- 0003_orgadmin.sql was already applied to running databases.

ALTER TABLE users DROP CONSTRAINT IF EXISTS users_check;
ALTER TABLE users ADD CONSTRAINT users_password_check
	CHECK (status <> 'active' OR password_hash IS NOT NULL);
