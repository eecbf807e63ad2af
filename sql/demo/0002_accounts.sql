-- Demo organisations and one account per role. Every demo account's
-- password is "Gureum-demo-2026!" (shown on the sign-in page in demo mode
-- only); the hash below is its Argon2id hash. Business registration
-- numbers are made up but pass the check digit.

INSERT INTO organisations (id, kind, name_ko, name_en, agency_type,
    parent_id, email_domains) VALUES
	(100, 'operator', '조달청 디지털서비스 운영팀',
	 'Public Procurement Service, Digital Service Operations', NULL, NULL,
	 '{pps.go.kr}'),
	(101, 'agency', '행정안전부', 'Ministry of the Interior and Safety',
	 'central', NULL, '{mois.go.kr}'),
	(102, 'agency', '과학기술정보통신부', 'Ministry of Science and ICT',
	 'central', NULL, '{msit.go.kr}'),
	(103, 'agency', '서울특별시', 'Seoul Metropolitan Government',
	 'metropolitan', NULL, '{seoul.go.kr}'),
	(104, 'agency', '부산광역시', 'Busan Metropolitan City',
	 'metropolitan', NULL, '{busan.go.kr}'),
	(105, 'agency', '서울특별시 강남구', 'Gangnam-gu, Seoul', 'basic', 103,
	 '{gangnam.go.kr}'),
	(106, 'agency', '경기도 수원시', 'Suwon, Gyeonggi-do', 'basic', NULL,
	 '{suwon.go.kr}'),
	(107, 'agency', '한국지능정보사회진흥원',
	 'National Information Society Agency', 'institution', NULL,
	 '{nia.or.kr}'),
	(108, 'agency', '국민건강보험공단', 'National Health Insurance Service',
	 'institution', NULL, '{nhis.or.kr}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO organisations (id, kind, name_ko, name_en, status) VALUES
	(8, 'vendor', '별빛소프트', 'Byeolbit Soft', 'approved'),
	(9, 'vendor', '도담클라우드', 'Dodam Cloud', 'approved'),
	(10, 'vendor', '하늘정보통신', 'Haneul ICT', 'approved'),
	(11, 'vendor', '온누리데이터', 'Onnuri Data', 'applied'),
	(12, 'vendor', '바른보안', 'Bareun Security', 'applied')
ON CONFLICT (id) DO NOTHING;

-- Company details of the twelve vendors (sizes of every kind).
UPDATE organisations o SET biz_no = v.biz_no, company_size = v.size,
    address = v.address, contact_name = v.contact, website = v.web
FROM (VALUES
	(1, '214-86-52606', 'large', '서울특별시 중구 세종대로 110', '정우진', 'https://hanbit.example'),
	(2, '120-81-18157', 'sme', '경기도 성남시 분당구 판교역로 235', '조현우', 'https://nurisoft.example'),
	(3, '105-87-90832', 'midsize', '서울특별시 강남구 테헤란로 152', '서지아', 'https://daon.example'),
	(4, '211-88-01664', 'sme', '대전광역시 유성구 대학로 99', '오민재', 'https://saebyeok.example'),
	(5, '119-86-13180', 'midsize', '부산광역시 해운대구 센텀중앙로 78', '배수빈', 'https://garam.example'),
	(6, '220-87-60919', 'sme', '서울특별시 구로구 디지털로 300', '신예준', 'https://pureun.example'),
	(7, '113-86-39090', 'sme', '광주광역시 북구 첨단과기로 123', '류하린', 'https://mirinae.example'),
	(8, '107-87-96036', 'sme', '대구광역시 동구 동대구로 461', '노은우', 'https://byeolbit.example'),
	(9, '104-81-08244', 'midsize', '인천광역시 연수구 컨벤시아대로 165', '권서준', 'https://dodam.example'),
	(10, '215-87-62818', 'large', '서울특별시 송파구 올림픽로 300', '문채원', 'https://haneul.example'),
	(11, '129-86-94822', 'sme', '경기도 안양시 동안구 시민대로 230', '홍시우', 'https://onnuri.example'),
	(12, '110-81-19936', 'sme', '서울특별시 마포구 월드컵북로 396', '남유나', 'https://bareun.example')
) AS v (id, biz_no, size, address, contact, web)
WHERE o.id = v.id AND o.biz_no IS NULL;

INSERT INTO users (id, org_id, email, name, role, password_hash) VALUES
	(1, 101, 'buyer@mois.go.kr', '김민준', 'buyer', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(2, 101, 'approver@mois.go.kr', '이서연', 'buyer_approver', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(3, 102, 'buyer@msit.go.kr', '박지훈', 'buyer', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(4, 102, 'approver@msit.go.kr', '최수아', 'buyer_approver', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(5, 1, 'admin@hanbit.example', '정우진', 'vendor_admin', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(6, 1, 'staff@hanbit.example', '강하은', 'vendor_staff', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(7, 2, 'admin@nurisoft.example', '조현우', 'vendor_admin', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(8, 2, 'staff@nurisoft.example', '윤지민', 'vendor_staff', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(9, 100, 'reviewer@pps.go.kr', '장도윤', 'reviewer', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(10, 100, 'auditor@pps.go.kr', '임서윤', 'auditor', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(11, 100, 'admin@pps.go.kr', '한지호', 'platform_admin', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE'),
	(12, 11, 'applicant@onnuri.example', '홍시우', 'vendor_admin', '$argon2id$v=19$m=65536,t=2,p=1$+cVK2bJHgSHd0C/H4ZBApg$xfXiUyJVtiHhT7hz2aY4PtCs6es/urlqaeVLsyWWVbE')
ON CONFLICT (id) DO NOTHING;

SELECT setval('organisations_id_seq', (SELECT max(id) FROM organisations));
SELECT setval('users_id_seq', (SELECT max(id) FROM users));
