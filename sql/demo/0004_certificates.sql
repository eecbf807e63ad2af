-- Demo certificates for the demo listings (0001_catalog.sql): CSAP for most
-- IaaS, SaaS and DaaS services with their grades, ISO/IEC 27001 for three
-- companies, 품질·성능 and GS 인증 for a few services, one CSAP that has
-- expired, one revoked, and one submitted by a vendor that waits for
-- review. Each has a small PDF as its evidence; listing 1 also has a price
-- sheet and an SLA. Fixed ids and ON CONFLICT make the file safe to load
-- twice; status changes go through certificate_set_status(), which does
-- nothing when the status is already the one asked for.

-- A one-page PDF naming the document (evidence files and listing
-- documents of the demo).
CREATE OR REPLACE FUNCTION pg_temp.demo_pdf(title text) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
	SELECT convert_to(
	    E'%PDF-1.4\n'
	    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj' || E'\n'
	    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj' || E'\n'
	    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]'
	    ' /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>'
	    ' endobj' || E'\n'
	    '4 0 obj << >> stream' || E'\n'
	    'BT /F1 16 Tf 72 760 Td (' || title || ') Tj ET' || E'\n'
	    'endstream endobj' || E'\n'
	    '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	    ' endobj' || E'\n'
	    'trailer << /Root 1 0 R >>' || E'\n%%EOF\n', 'UTF8')
$$;

-- id, vendor, listing (NULL: company-wide), scheme, CSAP type, grade,
-- number, issuer, issued, expires, status as loaded.
CREATE TEMP TABLE demo_certs ON COMMIT DROP AS
SELECT * FROM (VALUES
	(1, 1, 1, 'csap', 'iaas', 'medium', 'CSAP-IaaS-2024-0031', '한국인터넷진흥원 (KISA)', '2024-03-15', '2029-03-14', 'valid'),
	(2, 1, 2, 'csap', 'iaas', 'medium', 'CSAP-IaaS-2024-0032', '한국인터넷진흥원 (KISA)', '2024-03-15', '2029-03-14', 'valid'),
	(3, 1, 3, 'csap', 'iaas', 'medium', 'CSAP-IaaS-2021-0107', '한국인터넷진흥원 (KISA)', '2021-11-01', '2026-10-31', 'valid'),
	(4, 1, 4, 'csap', 'iaas', 'high', 'CSAP-IaaS-2025-0004', '한국인터넷진흥원 (KISA)', '2025-02-03', '2030-02-02', 'valid'),
	(5, 1, 22, 'csap', 'iaas', 'medium', 'CSAP-IaaS-2025-0019', '한국인터넷진흥원 (KISA)', '2025-06-20', '2030-06-19', 'valid'),
	(6, 2, 8, 'csap', 'saas_standard', 'low', 'CSAP-SaaS-2024-0211', '한국인터넷진흥원 (KISA)', '2024-05-10', '2029-05-09', 'valid'),
	(8, 7, 10, 'csap', 'saas_simple', 'low', 'CSAP-SaaS-S-2022-0041', '한국인터넷진흥원 (KISA)', '2022-07-01', '2025-06-30', 'valid'),
	(9, 7, 11, 'csap', 'saas_standard', 'high', 'CSAP-SaaS-2025-0266', '한국인터넷진흥원 (KISA)', '2025-08-11', '2030-08-10', 'valid'),
	(10, 7, 12, 'csap', 'saas_simple', 'low', 'CSAP-SaaS-S-2024-0412', '한국인터넷진흥원 (KISA)', '2024-10-07', '2029-10-06', 'valid'),
	(11, 6, 13, 'csap', 'saas_standard', 'medium', 'CSAP-SaaS-2024-0198', '한국인터넷진흥원 (KISA)', '2024-07-22', '2029-07-21', 'valid'),
	(12, 5, 15, 'csap', 'daas', 'medium', 'CSAP-DaaS-2024-0012', '한국인터넷진흥원 (KISA)', '2024-02-26', '2029-02-25', 'valid'),
	(13, 5, 16, 'csap', 'daas', 'high', 'CSAP-DaaS-2025-0007', '한국인터넷진흥원 (KISA)', '2025-01-13', '2030-01-12', 'valid'),
	(14, 2, 20, 'csap', 'saas_standard', 'medium', 'CSAP-SaaS-2026-0533', '한국인터넷진흥원 (KISA)', '2026-11-16', '2031-11-15', 'pending'),
	(15, 1, NULL, 'iso27001', NULL, NULL, 'IS 771204', 'BSI Group Korea', '2025-01-20', '2028-01-19', 'valid'),
	(16, 6, NULL, 'iso27001', NULL, NULL, 'KR-ISMS-27001-0917', '한국표준협회 (KSA)', '2024-09-02', '2027-09-01', 'valid'),
	(17, 3, NULL, 'iso27001', NULL, NULL, 'IS 803377', 'BSI Group Korea', '2025-11-03', '2028-11-02', 'valid'),
	(18, 2, 8, 'quality', NULL, NULL, 'CQ-2025-0041', '한국정보통신기술협회 (TTA)', '2025-03-04', '2028-03-03', 'valid'),
	(19, 5, 15, 'quality', NULL, NULL, 'CQ-2024-0077', '한국정보통신기술협회 (TTA)', '2024-12-09', '2027-12-08', 'valid'),
	(20, 7, 11, 'gs', NULL, NULL, 'GS-A-25-0318', '한국정보통신기술협회 (TTA)', '2025-05-27', '2028-05-26', 'valid')
) AS v (id, vendor_id, listing_id, scheme, csap_type, grade, number, issuer,
    issue_date, expiry_date, status);

-- Evidence files first (document id = certificate id).
INSERT INTO documents (id, vendor_id, listing_id, kind, filename, size_bytes,
    sha256, content, created_by)
SELECT d.id, d.vendor_id, d.listing_id, 'evidence',
    replace(d.number, ' ', '_') || '.pdf', octet_length(p.pdf),
    encode(sha256(p.pdf), 'hex'), p.pdf, NULL
FROM demo_certs d
CROSS JOIN LATERAL (SELECT pg_temp.demo_pdf('Certificate ' || d.number) AS pdf) p
ON CONFLICT DO NOTHING;

-- Listing 1's price sheet and SLA.
INSERT INTO documents (id, vendor_id, listing_id, kind, filename, size_bytes,
    sha256, content)
SELECT v.id, 1, 1, v.kind, v.filename, octet_length(p.pdf),
    encode(sha256(p.pdf), 'hex'), p.pdf
FROM (VALUES (101, 'price_sheet', 'hanbit-cloud-server-price-2026.pdf', 'Hanbit Cloud Server price sheet 2026'),
	(102, 'sla', 'hanbit-cloud-server-sla.pdf', 'Hanbit Cloud Server SLA 99.95%')) AS v (id, kind, filename, title)
CROSS JOIN LATERAL (SELECT pg_temp.demo_pdf(v.title) AS pdf) p
ON CONFLICT DO NOTHING;

SELECT setval('documents_id_seq', greatest((SELECT max(id) FROM documents), 1000));

-- The certificates; the pending one as submitted by staff@nurisoft (user 8),
-- who its history row names.
SELECT set_config('gureum.actor_id', '8', true);
INSERT INTO certificates (id, vendor_id, listing_id, scheme, csap_type, grade,
    number, issuer, issue_date, expiry_date, status, evidence_ref,
    evidence_document_id, submitted_by, created_at)
SELECT d.id, d.vendor_id, d.listing_id, d.scheme, d.csap_type, d.grade,
    d.number, d.issuer, d.issue_date::date, d.expiry_date::date, 'pending',
    'document:' || d.id, d.id, 8, now() - interval '2 days 3 hours'
FROM demo_certs d WHERE d.status = 'pending'
ON CONFLICT (id) DO NOTHING;
SELECT set_config('gureum.actor_id', '', true);
INSERT INTO certificates (id, vendor_id, listing_id, scheme, csap_type, grade,
    number, issuer, issue_date, expiry_date, status, evidence_ref,
    evidence_document_id, submitted_by, created_at)
SELECT d.id, d.vendor_id, d.listing_id, d.scheme, d.csap_type, d.grade,
    d.number, d.issuer, d.issue_date::date, d.expiry_date::date,
    CASE d.status WHEN 'pending' THEN 'pending' ELSE 'valid' END,
    'document:' || d.id, d.id, CASE WHEN d.status = 'pending' THEN 8 END,
    CASE WHEN d.status = 'pending' THEN now() - interval '2 days 3 hours'
    ELSE d.issue_date::date::timestamptz END
FROM demo_certs d WHERE d.status <> 'pending'
ON CONFLICT (id) DO NOTHING;

SELECT setval('certificates_id_seq', greatest((SELECT max(id) FROM certificates), 1000));

-- Two CSAP certificates expired (their expiry dates passed), two revoked by
-- the reviewer.
SELECT certificate_set_status(3, 'expired', NULL,
    'expiry date passed (gureumctl expire-certificates)')
WHERE EXISTS (SELECT 1 FROM certificates WHERE id = 3 AND status = 'valid');
SELECT certificate_set_status(8, 'expired', NULL,
    'expiry date passed (gureumctl expire-certificates)')
WHERE EXISTS (SELECT 1 FROM certificates WHERE id = 8 AND status = 'valid');
SELECT certificate_set_status(11, 'revoked', 9,
    '인증기관 통보에 따라 인증이 취소되었습니다. (Revoked on notice from the certification body.)')
WHERE EXISTS (SELECT 1 FROM certificates WHERE id = 11 AND status = 'valid');
SELECT certificate_set_status(10, 'revoked', 9,
    '정기 사후점검에서 보안 취약점 조치 미이행이 확인되어 인증이 취소되었습니다. '
    '(Revoked: the follow-up inspection found security fixes not made.)')
WHERE EXISTS (SELECT 1 FROM certificates WHERE id = 10 AND status = 'valid');
