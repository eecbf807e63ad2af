-- The public catalog's read side: the rule that says whether a certificate
-- is in force, and the signals a service card shows, in one place for the
-- search indexer (gureumctl reindex/indexer) and the pages (app/catalog.c).
--
-- A certificate is in force only if its status is 'valid' and its expiry
-- date, if any, has not passed in Korea (Asia/Seoul): a 'valid' row whose
-- date has passed is shown as expired even before the expiry job has
-- changed its status. Company-wide certificates (listing_id NULL) belong
-- to every listing of their vendor.

-- The status a certificate is shown with.
CREATE FUNCTION catalog_cert_state(p_status text, p_expiry date)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_status = 'valid' AND p_expiry IS NOT NULL
	    AND p_expiry < (now() AT TIME ZONE 'Asia/Seoul')::date
	    THEN 'expired' ELSE p_status END
$$;

-- What a card shows about a listing, computed from PostgreSQL:
--   csap_grade	the best grade (high, medium, low) of its CSAP certificates
--		in force, or null; csap_valid whether one is in force at all
--		(a CSAP certificate may have no grade); csap_until the
--		earliest expiry date of those (null: no expiry), so a reader
--		of an older copy (the search index) can tell it has lapsed
--   csap_lapsed	it has CSAP certificates, none in force (expired,
--		suspended or revoked)
--   fedramp_impact	the highest impact level of its FedRAMP authorisations in
--		force (imported listings), or null
--   domestic, dc_region, sme, free_trial, reference_monthly_price_won
-- NULL for a listing that does not exist.
CREATE FUNCTION catalog_card(p_listing bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'csap_grade', (SELECT c.grade FROM certificates c
		WHERE c.listing_id = l.id AND c.scheme = 'csap'
		AND catalog_cert_state(c.status, c.expiry_date) = 'valid'
		AND c.grade IS NOT NULL
		ORDER BY array_position(ARRAY['high', 'medium', 'low'],
		    c.grade) LIMIT 1),
	    'csap_valid', EXISTS (SELECT 1 FROM certificates c
		WHERE c.listing_id = l.id AND c.scheme = 'csap'
		AND catalog_cert_state(c.status, c.expiry_date) = 'valid'),
	    'csap_until', (SELECT to_char(min(c.expiry_date), 'YYYY-MM-DD')
		FROM certificates c
		WHERE c.listing_id = l.id AND c.scheme = 'csap'
		AND catalog_cert_state(c.status, c.expiry_date) = 'valid'),
	    'csap_lapsed', EXISTS (SELECT 1 FROM certificates c
		WHERE c.listing_id = l.id AND c.scheme = 'csap'
		AND catalog_cert_state(c.status, c.expiry_date) IN
		('expired', 'suspended', 'revoked'))
		AND NOT EXISTS (SELECT 1 FROM certificates c
		WHERE c.listing_id = l.id AND c.scheme = 'csap'
		AND catalog_cert_state(c.status, c.expiry_date) = 'valid'),
	    'fedramp_impact', (SELECT c.fedramp_impact FROM certificates c
		WHERE c.listing_id = l.id AND c.scheme = 'fedramp'
		AND catalog_cert_state(c.status, c.expiry_date) = 'valid'
		ORDER BY array_position(ARRAY['high', 'moderate',
		    '20x_moderate', 'low', '20x_low', 'li_saas'],
		    c.fedramp_impact) LIMIT 1),
	    'domestic', l.dc_location = 'domestic',
	    'overseas', l.dc_location = 'overseas',
	    'dc_region', l.dc_region,
	    'sme', v.company_size = 'sme',
	    'company_size', v.company_size,
	    'free_trial', l.free_trial_url <> '',
	    'reference_monthly_price_won', l.reference_monthly_price_won)
	FROM listings l JOIN organisations v ON v.id = l.vendor_id
	WHERE l.id = p_listing
$$;

-- A vendor's company size shows on its cards (SME): re-index its
-- listings when it changes (names and status are covered by 0006).
CREATE TRIGGER organisations_search_outbox_size
	AFTER UPDATE OF company_size ON organisations
	FOR EACH ROW WHEN (NEW.kind = 'vendor'
	    AND NEW.company_size IS DISTINCT FROM OLD.company_size)
	EXECUTE FUNCTION search_outbox_vendor();

-- The listings a vendor page and the directory count.
CREATE INDEX IF NOT EXISTS listings_vendor_published_idx
	ON listings (vendor_id) WHERE status = 'published';
