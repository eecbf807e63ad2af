-- The first slice of the catalog: vendors and their listings, enough to
-- carry the search path end to end. Later migrations widen both (the
-- organisations issue turns vendors into organisations; the catalog issue
-- adds versions, rate plans and certificates).

CREATE TABLE vendors (
	id		bigserial PRIMARY KEY,
	name_ko		text NOT NULL CHECK (length(name_ko) BETWEEN 1 AND 200),
	name_en		text NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE listings (
	id		bigserial PRIMARY KEY,
	vendor_id	bigint NOT NULL REFERENCES vendors (id),
	service_type	text NOT NULL CHECK (service_type IN
			    ('iaas', 'paas', 'saas', 'daas', 'support')),
	name_ko		text NOT NULL CHECK (length(name_ko) BETWEEN 1 AND 200),
	name_en		text NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
	summary_ko	text NOT NULL DEFAULT '' CHECK (length(summary_ko) <= 1000),
	summary_en	text NOT NULL DEFAULT '' CHECK (length(summary_en) <= 1000),
	status		text NOT NULL DEFAULT 'draft' CHECK (status IN
			    ('draft', 'published', 'suspended', 'withdrawn')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX listings_vendor_idx ON listings (vendor_id);
CREATE INDEX listings_status_idx ON listings (status);
