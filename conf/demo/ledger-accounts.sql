-- The demo ledger's extra accounts (conf/demo-ledger.mjs, docs/demo.md):
-- a buyer and an approver for the Seoul Metropolitan Government (103,
-- metropolitan), Gangnam-gu (105, basic) and NIA (107, institution), and
-- an admin for three more vendors, so that the ledger spans every agency
-- type and vendors of every size. Same password as every demo account
-- ("Gureum-demo-2026!", the Argon2id hash of sql/demo/0002_accounts.sql).
-- Only `make run` loads this; the test database keeps sql/demo as it is.
-- Idempotent: an e-mail address already present is left alone.

INSERT INTO users (org_id, email, name, role, password_hash)
SELECT v.org_id, v.email, v.name, v.role, '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'
FROM (VALUES
	(103, 'buyer@seoul.go.kr', '오하늘', 'buyer'),
	(103, 'approver@seoul.go.kr', '문태경', 'buyer_approver'),
	(105, 'buyer@gangnam.go.kr', '송유진', 'buyer'),
	(105, 'approver@gangnam.go.kr', '황보석', 'buyer_approver'),
	(107, 'buyer@nia.or.kr', '안채원', 'buyer'),
	(107, 'approver@nia.or.kr', '유건우', 'buyer_approver'),
	(3, 'admin@daon.example', '서지아', 'vendor_admin'),
	(4, 'admin@saebyeok.example', '오민재', 'vendor_admin'),
	(7, 'admin@mirinae.example', '류하린', 'vendor_admin')
) AS v (org_id, email, name, role)
WHERE NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = v.email);
