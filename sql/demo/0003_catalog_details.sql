-- Demo catalog details: what a buyer reads on a service page. Updates the
-- 23 listings of 0001_catalog.sql (it adds none): category, descriptions
-- in CommonMark, lists, terms, data centre, SLA, support, trials, a rate
-- plan in the format of docs/catalog-data.md §2 with its reference monthly
-- price, "runs on" links, a few certificates (valid, expired, suspended,
-- revoked, company-wide) and each listing's first version.
--
-- Idempotent: UPDATEs set the same values again, inserts skip what
-- exists, and a version is created only for a listing that has none.
-- Reference prices are what the rating engine gives for the plan at its
-- reference quantities (each line rounded half up); tests check them with
-- `gureumctl generate --check` and through the service page.

-- Category, descriptions (CommonMark source; raw HTML is never rendered).
UPDATE listings l SET category_id = d.category, description_ko = d.ko,
    description_en = d.en
FROM (VALUES
(1, 101, '한빛 클라우드 서버는 **공공기관 전용으로 심사받은 IaaS**입니다. 서울과 대전 두 곳의 데이터센터에서 가상 서버를 몇 분 만에 만들고, 사용한 시간만큼만 지불합니다.

## 이런 기관에 맞습니다
- 행정 서비스를 새로 열면서 서버 규모를 아직 정하지 못한 기관
- 선거, 연말정산처럼 한때 접속이 몰리는 업무

## 운영 방식
가상 서버(vCPU, 메모리)는 시간 단위로, 블록 스토리지는 월 최대 사용량으로 과금합니다. 행정망 연계는 [공공 전용 클라우드](/services/4)를 함께 이용하세요.',
 'Hanbit Cloud Server is **IaaS reviewed for public agencies**. Create virtual servers in minutes in two data centres, Seoul and Daejeon, and pay only for the hours you use.

## A good fit for
- agencies opening a new service before they know its size
- work with seasonal peaks such as elections or year-end tax settlement

## How it is billed
Servers (vCPU and memory) by the hour, block storage by the month''s peak. For links to the government network use the [dedicated government cloud](/services/4).'),
(2, 102, 'S3 호환 API로 문서, 영상, 백업 파일을 저장하는 **오브젝트 스토리지**입니다. 저장 용량은 구간별 누진 요금(많이 쓸수록 단가가 내려감)으로, 외부 전송량은 매월 10 GB까지 무료입니다.

- 버킷별 접근 정책과 버전 관리
- 기록물 보존을 위한 객체 잠금(WORM)',
 'S3-compatible **object storage** for documents, video and backups. Storage is priced in graduated tiers (the more you store, the lower the unit price); the first 10 GB of transfer out each month are free.

- access policies and versioning per bucket
- object lock (WORM) for records retention'),
(3, 104, '인공지능 학습과 추론을 위한 **GPU 가상 서버**입니다. 최신 데이터센터용 GPU를 시간 단위로 빌려 쓰고 반납합니다.

> 공공 AI 시범사업처럼 기간이 정해진 과제에 알맞습니다.',
 '**GPU virtual machines** for AI training and inference. Rent data-centre GPUs by the hour and give them back.

> Suited to time-boxed work such as public AI pilot projects.'),
(4, 106, '공공기관만 입주하는 **물리적으로 분리된 전용 클라우드 존**입니다. 국가정보원 보안 기준에 맞춘 망 구성과 행정망(국가정보통신망) 연계를 제공합니다.

## 구성
1. 전용 존 기본료(월 정액)
2. vCPU 규모별 볼륨 요금: 전체 사용량이 속한 구간의 단가가 전체에 적용됩니다
3. 스토리지(TB 단위)',
 'A **physically separate cloud zone for public agencies only**, with a network built to the national security guidelines and links to the government network.

## What you pay for
1. the dedicated zone (a monthly fee)
2. vCPUs at volume prices: the tier your total falls in prices all of it
3. storage by the terabyte'),
(5, 201, '백업, 이중화, 보안 패치를 대신 관리하는 **PostgreSQL 데이터베이스 서비스**입니다. 장애 시 대기 서버로 자동 전환하고, 7일간의 시점 복구를 제공합니다.',
 'A **PostgreSQL database service** with backups, replication and security patches managed for you. It fails over to a standby on its own and offers seven days of point-in-time recovery.'),
(6, 202, '쿠버네티스 기반 **컨테이너 플랫폼**으로 행정 서비스를 빠르게 배포하고 자동으로 확장합니다.

- 클러스터 관리 요금은 월 정액, 작업 노드는 vCPU 시간으로 과금
- 전자정부 표준프레임워크 애플리케이션용 배포 템플릿 제공',
 'A Kubernetes **container platform** to deploy government services quickly and scale them automatically.

- a monthly fee per cluster; worker nodes billed by vCPU hour
- deployment templates for eGovFrame applications'),
(7, 204, '공공 데이터를 모아 분석하고 **대시보드로 공유하는 데이터 분석 플랫폼**입니다. 분석 사용자 10명까지는 기본료에 포함됩니다.',
 'Collect and analyse public data and **share it as dashboards**. Up to ten analyst users are included in the base fee.'),
(8, 301, '전자결재, 메일, 메신저, 일정 관리를 하나로 묶은 **공공기관용 그룹웨어**입니다. 행정전자서명(GPKI)과 온나라 문서 연계를 지원합니다.

## 요금
사용자 수 구간에 따라 **전체 사용자에게 같은 단가**가 적용됩니다(볼륨 요금). 기본 저장공간을 넘으면 100 GB 단위로 추가합니다.',
 '**Groupware for public agencies**: electronic approval, mail, messenger and calendars in one place, with government PKI signatures and links to the On-nara document system.

## Pricing
The tier your number of users falls in sets **one unit price for all users** (volume pricing). Storage beyond the allowance is added in 100 GB packs.'),
(9, 309, '설치 없이 브라우저에서 바로 여는 **보안 화상회의** 서비스입니다. 회의 내용을 받아 적어 회의록 초안을 자동으로 만듭니다.',
 '**Secure video meetings** in the browser with no install. It transcribes the meeting and drafts the minutes for you.'),
(10, 306, '국민이 온라인으로 민원을 신청하고 처리 상황을 확인하는 **대국민 민원 접수 서비스**입니다. 접수, 배정, 처리, 회신까지 한 화면에서 관리합니다.

- 민원 1,000건 단위 패키지 요금(시작한 패키지는 과금)
- 처리 단계마다 문자 알림',
 'A **citizen-facing service to file petitions** online and follow their progress. Intake, assignment, handling and reply on one screen.

- petitions priced in packs of 1,000 (a started pack is charged)
- a text message at every step'),
(11, 302, '기안부터 결재, 문서 보관까지 처리하는 **클라우드 전자결재** 서비스입니다. 공공기록물 관리에 관한 법률의 기록물 관리 기준을 따릅니다.',
 '**Cloud electronic approval** from draft to sign-off and archiving, following the Public Records Management Act.'),
(12, 315, '자주 묻는 질문에 24시간 답하는 **인공지능 챗봇 상담** 서비스입니다. 기관의 안내 자료를 학습해 답하고, 모르는 질문은 상담원에게 넘깁니다.

월 1,000건까지는 기본료에 포함되고, 이를 넘는 대화는 구간별로 과금합니다.',
 'An **AI chatbot** that answers frequently asked questions around the clock. It learns from the agency''s own guidance and hands what it cannot answer to a person.

The first 1,000 conversations a month are in the base fee; beyond that, conversations are priced in graduated tiers.'),
(13, 307, '홈페이지를 해킹과 디도스 공격으로부터 보호하는 **클라우드형 웹 방화벽**입니다. DNS만 바꾸면 적용됩니다.',
 'A **cloud web application firewall** that protects websites from hacking and DDoS attacks. Switch your DNS and it is on.'),
(14, 504, '보안 전문 인력이 **24시간 클라우드 자산을 감시**하고 침해 사고에 대응합니다. 월간 보안 보고서와 분기별 모의 훈련을 포함합니다.',
 'Security analysts **watch your cloud assets around the clock** and respond to incidents. Monthly reports and quarterly drills included.'),
(15, 402, '어디서나 접속하는 **업무용 클라우드 PC**입니다. 단말기에 자료가 남지 않아 재택·출장 근무에 안전합니다.',
 '**Work desktops in the cloud**, reachable from anywhere, leaving no data on the device: safe for remote work and travel.'),
(16, 403, '인터넷망과 업무망을 분리하는 공공기관 **망분리용 가상 데스크톱**입니다. 망 간 자료 전송 시스템과 연동됩니다.',
 '**Virtual desktops for network separation**, as agencies require, with the cross-network file transfer system built in.'),
(17, 501, '기존 정보시스템을 진단하고 **클라우드 전환 계획과 비용**을 설계합니다. 정보자원 현황 조사, 전환 우선순위, 목표 아키텍처, 예산안을 보고서로 드립니다.',
 'We assess existing systems and plan their **move to the cloud, with costs**: an inventory, priorities, a target architecture and a budget, in one report.'),
(18, 503, '클라우드 인프라의 **모니터링, 장애 대응, 비용 최적화를 대신 운영**합니다(MSP). 서버 20대까지는 기본료에 포함됩니다.',
 'We **run your cloud infrastructure**: monitoring, incident response and cost optimisation (MSP). Up to 20 servers are in the base fee.'),
(19, 502, '메일과 문서를 **오피스 365로 옮기고** 사용자 교육까지 지원합니다. 이관 작업은 메일함 단위, 교육은 회차 단위로 과금합니다.',
 'We **move mail and documents to Office 365** and train your users. Migration is priced per mailbox, training per session.'),
(20, 301, '한글 문서와 오피스 문서를 **브라우저에서 함께 편집하는 협업 오피스**입니다. 변경 이력과 공동 편집을 지원합니다.',
 '**Edit Hangul and Office documents together** in the browser, with history and co-editing.'),
(21, 206, '주소 검색, 지도 표시, 경로 안내를 제공하는 **공간정보 API**입니다. 지도 호출은 월 10만 건까지 무료입니다.

```
GET /v1/geocode?address=세종대로 110
```',
 '**Address search, maps and routing** as an API. The first 100,000 map calls a month are free.

```
GET /v1/geocode?address=Sejong-daero 110
```'),
(22, 105, '서버와 데이터베이스를 **자동으로 백업하고 다른 지역에 복제**해 재해에 대비합니다. 복구 목표 시간(RTO) 4시간 등급입니다.',
 '**Automatic backups** of servers and databases, **copied to another region** for disaster recovery, with a four-hour recovery-time grade.'),
(23, 301, '설문을 만들고 응답을 모아 분석하는 서비스입니다. 아직 심사 전인 초안입니다.',
 'Create surveys, collect and analyse answers. A draft not yet reviewed.')
) AS d (id, category, ko, en)
WHERE l.id = d.id;

-- Features, benefits, target customers and references, in both languages.
UPDATE listings l SET features_ko = d.f_ko, features_en = d.f_en,
    benefits_ko = d.b_ko, benefits_en = d.b_en,
    target_customers_ko = d.t_ko, target_customers_en = d.t_en,
    customer_references_ko = d.r_ko, customer_references_en = d.r_en
FROM (VALUES
(1, ARRAY['vCPU 1~64개, 메모리 1~512 GB 가상 서버', '서울·대전 이중화 가용 영역', '시간 단위 과금', '스냅샷과 이미지 복제'],
    ARRAY['Virtual servers with 1 to 64 vCPUs and 1 to 512 GB memory', 'Two availability zones, Seoul and Daejeon', 'Billed by the hour', 'Snapshots and image copies'],
    ARRAY['서버 구매 없이 몇 분 만에 시작', '쓰지 않을 때는 꺼서 비용 절감'], ARRAY['Start in minutes without buying servers', 'Switch off what you do not use and stop paying'],
    ARRAY['중앙행정기관', '지방자치단체', '공공기관'], ARRAY['Central government', 'Local government', 'Public institutions'],
    ARRAY['행정안전부 행정서비스 통합 플랫폼(2025)', '한국지능정보사회진흥원 공공 클라우드 시범사업'], ARRAY['Ministry of the Interior and Safety, integrated service platform (2025)', 'NIA public cloud pilot']),
(2, ARRAY['S3 호환 API', '객체 잠금(WORM)', '버전 관리'], ARRAY['S3-compatible API', 'Object lock (WORM)', 'Versioning'],
    ARRAY['저장량이 늘수록 단가 인하'], ARRAY['Lower unit prices as you store more'],
    ARRAY['기록물 보관 기관', '영상 자료를 가진 기관'], ARRAY['Agencies keeping records', 'Agencies with video archives'],
    ARRAY['서울특별시 영상 기록 보관(2024)'], ARRAY['Seoul Metropolitan Government, video archive (2024)']),
(3, ARRAY['데이터센터용 GPU 1~8장', '학습용 고속 NVMe 스토리지', '주요 AI 프레임워크 이미지'], ARRAY['1 to 8 data-centre GPUs', 'Fast NVMe storage for training', 'Images with the usual AI frameworks'],
    ARRAY['고가 장비 구매 없이 AI 과제 수행'], ARRAY['AI projects without buying expensive hardware'],
    ARRAY['연구기관', 'AI 시범사업 기관'], ARRAY['Research institutes', 'Agencies running AI pilots'],
    ARRAY['과학기술정보통신부 공공 AI 학습 지원'], ARRAY['Ministry of Science and ICT, public AI training support']),
(4, ARRAY['공공기관 전용 물리 분리 존', '국가정보통신망 연계', '전담 보안 관제'], ARRAY['Physically separate zone for public bodies', 'Government network links', 'Dedicated security monitoring'],
    ARRAY['보안 등급 상 시스템도 클라우드로 이전'], ARRAY['Move even high-security systems to the cloud'],
    ARRAY['중앙행정기관', '광역지방자치단체'], ARRAY['Central government', 'Metropolitan governments'],
    ARRAY['행정안전부 공공 전용 존 1차 사업'], ARRAY['Ministry of the Interior and Safety, dedicated zone phase 1']),
(5, ARRAY['자동 장애 전환', '7일 시점 복구', '보안 패치 자동 적용'], ARRAY['Automatic failover', 'Seven days of point-in-time recovery', 'Security patches applied for you'],
    ARRAY['DB 관리자 없이 운영'], ARRAY['Run a database without a DBA'],
    ARRAY['행정 시스템 운영 기관'], ARRAY['Agencies running line-of-business systems'],
    ARRAY['국민건강보험공단 민원 DB'], ARRAY['National Health Insurance Service, petitions database']),
(6, ARRAY['관리형 쿠버네티스', '자동 확장', '전자정부 표준프레임워크 템플릿'], ARRAY['Managed Kubernetes', 'Autoscaling', 'eGovFrame templates'],
    ARRAY['배포 시간 단축'], ARRAY['Faster releases'],
    ARRAY['개발 조직을 둔 기관'], ARRAY['Agencies with development teams'],
    ARRAY['부산광역시 스마트시티 플랫폼'], ARRAY['Busan Metropolitan City, smart city platform']),
(7, ARRAY['공공데이터 수집 커넥터', '대시보드 공유', '개인정보 비식별 도구'], ARRAY['Connectors for public data', 'Shared dashboards', 'De-identification tools'],
    ARRAY['데이터 기반 정책 결정'], ARRAY['Evidence-based policy'],
    ARRAY['정책 부서', '통계 담당 부서'], ARRAY['Policy teams', 'Statistics teams'],
    ARRAY['경기도 수원시 교통 데이터 분석'], ARRAY['Suwon, traffic data analysis']),
(8, ARRAY['전자결재', '메일', '메신저', '일정·자원 예약', '행정전자서명(GPKI)'], ARRAY['Electronic approval', 'Mail', 'Messenger', 'Calendars and room booking', 'Government PKI signatures'],
    ARRAY['업무 도구를 하나로', '사용자가 많을수록 단가 인하'], ARRAY['One place for everyday work', 'Lower unit price for more users'],
    ARRAY['기초지방자치단체', '공공기관'], ARRAY['Local government', 'Public institutions'],
    ARRAY['서울특별시 강남구 전 직원 그룹웨어', '한국지능정보사회진흥원'], ARRAY['Gangnam-gu, Seoul: groupware for all staff', 'National Information Society Agency']),
(9, ARRAY['브라우저 화상회의', '회의록 자동 작성', '종단간 암호화'], ARRAY['Meetings in the browser', 'Automatic minutes', 'End-to-end encryption'],
    ARRAY['출장비 절감'], ARRAY['Less travel'],
    ARRAY['모든 공공기관'], ARRAY['Any public body'],
    ARRAY['과학기술정보통신부 정례 회의'], ARRAY['Ministry of Science and ICT, regular meetings']),
(10, ARRAY['온라인 민원 신청', '처리 상황 조회', '단계별 문자 알림'], ARRAY['Online petitions', 'Progress tracking', 'Text messages at every step'],
    ARRAY['민원 처리 기간 단축'], ARRAY['Shorter handling times'],
    ARRAY['기초지방자치단체'], ARRAY['Local government'],
    ARRAY['경기도 수원시 온라인 민원'], ARRAY['Suwon, online petitions']),
(11, ARRAY['기안·결재·보관', '기록물 관리 기준 준수', '모바일 결재'], ARRAY['Draft, sign-off and archive', 'Records rules built in', 'Mobile approval'],
    ARRAY['종이 없는 결재'], ARRAY['Paperless approval'],
    ARRAY['공공기관', '지방 공기업'], ARRAY['Public institutions', 'Local public enterprises'],
    ARRAY['광주광역시 산하 공공기관 3곳'], ARRAY['Three public institutions of Gwangju']),
(12, ARRAY['24시간 자동 응답', '상담원 연결', '기관 자료 학습'], ARRAY['Answers around the clock', 'Hand-over to a person', 'Learns from your guidance'],
    ARRAY['콜센터 대기 시간 감소'], ARRAY['Shorter call-centre queues'],
    ARRAY['민원 창구 운영 기관'], ARRAY['Agencies with public help desks'],
    ARRAY['부산광역시 120 상담 보조'], ARRAY['Busan 120 help line assistant']),
(13, ARRAY['OWASP Top 10 차단', '디도스 완화', '인증서 자동 갱신'], ARRAY['OWASP Top 10 blocking', 'DDoS mitigation', 'Automatic certificate renewal'],
    ARRAY['장비 구매 없이 웹 보안'], ARRAY['Web security without appliances'],
    ARRAY['홈페이지를 운영하는 모든 기관'], ARRAY['Any body with a website'],
    ARRAY['국민건강보험공단 누리집'], ARRAY['National Health Insurance Service website']),
(14, ARRAY['24시간 관제', '침해 사고 대응', '월간 보고서', '분기별 모의 훈련'], ARRAY['Round-the-clock monitoring', 'Incident response', 'Monthly reports', 'Quarterly drills'],
    ARRAY['보안 인력 없이 관제 체계 확보'], ARRAY['A security operations centre without hiring one'],
    ARRAY['중소 규모 공공기관'], ARRAY['Small and mid-sized public bodies'],
    ARRAY['행정안전부 산하기관 보안관제'], ARRAY['Security monitoring for agencies of the Ministry of the Interior and Safety']),
(15, ARRAY['어디서나 접속', '단말기 자료 미저장', '화상회의 최적화'], ARRAY['Reach it from anywhere', 'No data on the device', 'Tuned for video calls'],
    ARRAY['PC 교체 비용 절감'], ARRAY['Fewer PC replacements'],
    ARRAY['재택근무 기관'], ARRAY['Agencies with remote staff'],
    ARRAY['부산광역시 재택근무 시범'], ARRAY['Busan Metropolitan City, remote work pilot']),
(16, ARRAY['인터넷망·업무망 분리', '망간 자료 전송', '중앙 관리 콘솔'], ARRAY['Internet and work networks kept apart', 'Cross-network file transfer', 'Central console'],
    ARRAY['망분리 의무 충족'], ARRAY['Meets the network-separation rule'],
    ARRAY['중앙행정기관', '지방자치단체'], ARRAY['Central government', 'Local government'],
    ARRAY['서울특별시 망분리 가상 데스크톱'], ARRAY['Seoul Metropolitan Government, separated desktops']),
(17, ARRAY['정보자원 현황 조사', '전환 우선순위', '목표 아키텍처', '예산안'], ARRAY['Inventory of systems', 'Priorities', 'Target architecture', 'Budget'],
    ARRAY['예산 요구서에 바로 쓰는 보고서'], ARRAY['A report ready for the budget request'],
    ARRAY['클라우드 전환을 준비하는 기관'], ARRAY['Agencies preparing a move to the cloud'],
    ARRAY['한국지능정보사회진흥원 전환 컨설팅'], ARRAY['NIA migration consulting']),
(18, ARRAY['24시간 모니터링', '장애 대응', '월간 비용 최적화 보고'], ARRAY['Round-the-clock monitoring', 'Incident response', 'Monthly cost optimisation report'],
    ARRAY['운영 인력 부담 감소'], ARRAY['Less load on your staff'],
    ARRAY['클라우드로 이전한 기관'], ARRAY['Agencies already in the cloud'],
    ARRAY['대전광역시 산하기관 클라우드 운영'], ARRAY['Cloud operations for Daejeon institutions']),
(19, ARRAY['메일함 이관', '문서 이관', '사용자 교육'], ARRAY['Mailbox migration', 'Document migration', 'User training'],
    ARRAY['업무 중단 없는 전환'], ARRAY['A move without downtime'],
    ARRAY['오피스 365를 도입하는 기관'], ARRAY['Agencies adopting Office 365'],
    ARRAY['국립대학 두 곳의 메일 전환'], ARRAY['Mail migration for two national universities']),
(20, ARRAY['한글(HWP) 문서 편집', '공동 편집', '변경 이력'], ARRAY['Hangul (HWP) editing', 'Co-editing', 'Change history'],
    ARRAY['설치 없는 문서 작업'], ARRAY['Documents without installing software'],
    ARRAY['모든 공공기관'], ARRAY['Any public body'],
    ARRAY['행정안전부 협업 문서 시범'], ARRAY['Ministry of the Interior and Safety, shared documents pilot']),
(21, ARRAY['주소 검색(지오코딩)', '지도 타일', '경로 안내'], ARRAY['Geocoding', 'Map tiles', 'Routing'],
    ARRAY['월 10만 건 무료'], ARRAY['100,000 calls a month free'],
    ARRAY['지도를 쓰는 행정 서비스'], ARRAY['Services that show maps'],
    ARRAY['서울특별시 공공시설 안내 지도'], ARRAY['Seoul public facilities map']),
(22, ARRAY['자동 백업 일정', '원격 지역 복제', 'RTO 4시간'], ARRAY['Scheduled backups', 'Copies in another region', 'Four-hour RTO'],
    ARRAY['재해에도 업무 지속'], ARRAY['Keep working through a disaster'],
    ARRAY['모든 공공기관'], ARRAY['Any public body'],
    ARRAY['행정안전부 재해복구 훈련'], ARRAY['Ministry of the Interior and Safety, disaster recovery drill']),
(23, ARRAY['설문 작성'], ARRAY['Survey builder'], '{}'::text[], '{}'::text[], '{}'::text[], '{}'::text[], '{}'::text[], '{}'::text[])
) AS d (id, f_ko, f_en, b_ko, b_en, t_ko, t_en, r_ko, r_en)
WHERE l.id = d.id;

-- Terms: deployment, data centre, SLA, recovery grade, support, trial,
-- minimum term, contract unit, website.
UPDATE listings l SET deployment_model = d.dep, dc_location = d.loc,
    dc_region = d.region, availability_target = d.sla,
    recovery_grade_hours = d.rto, support_hours = d.hours,
    support_channels = d.channels, free_trial_url = d.trial,
    free_trial_terms_ko = d.trial_ko, free_trial_terms_en = d.trial_en,
    min_contract_months = d.months, contract_unit = d.unit, website = d.web
FROM (VALUES
(1, 'public', 'domestic', 'Seoul', 99.95, 2, '24x7', ARRAY['phone', 'email', 'web'], '', '', '', 1, 'usage', 'https://hanbit.example/server'),
(2, 'public', 'domestic', 'Seoul', 99.9, 4, '24x7', ARRAY['phone', 'email', 'web'], 'https://hanbit.example/storage/trial', '가입 후 30일 동안 100 GB까지 무료', 'Free up to 100 GB for 30 days after sign-up', 1, 'usage', 'https://hanbit.example/storage'),
(3, 'public', 'domestic', 'Daejeon', 99.9, 4, 'extended', ARRAY['phone', 'email'], '', '', '', 1, 'usage', 'https://hanbit.example/gpu'),
(4, 'community', 'domestic', 'Daejeon', 99.99, 2, '24x7', ARRAY['phone', 'email', 'onsite', 'remote'], '', '', '', 12, 'yearly', 'https://hanbit.example/gov'),
(5, 'public', 'domestic', 'Seoul', 99.95, 2, '24x7', ARRAY['phone', 'email', 'web', 'remote'], '', '', '', 1, 'monthly', 'https://daon.example/postgresql'),
(6, 'public', 'domestic', 'Seoul', 99.9, 4, 'extended', ARRAY['email', 'web', 'chat'], '', '', '', 1, 'monthly', 'https://daon.example/containers'),
(7, 'hybrid', 'domestic', 'Busan', 99.5, 8, 'business_hours', ARRAY['email', 'web'], '', '', '', 3, 'quarterly', 'https://daon.example/analytics'),
(8, 'public', 'domestic', 'Gyeonggi (Pangyo)', 99.9, 4, 'extended', ARRAY['phone', 'email', 'web', 'remote'], 'https://nurisoft.example/groupware/trial', '30일 무료 체험, 최대 20명', 'Thirty days free for up to 20 users', 3, 'monthly', 'https://nurisoft.example/groupware'),
(9, 'public', 'domestic', 'Gyeonggi (Pangyo)', 99.9, 4, 'business_hours', ARRAY['email', 'chat', 'web'], 'https://nurisoft.example/meeting/trial', '14일 무료, 진행자 5명', 'Fourteen days free, five hosts', 1, 'monthly', 'https://nurisoft.example/meeting'),
(10, 'public', 'domestic', 'Gwangju', 99.9, 4, 'extended', ARRAY['phone', 'email', 'remote'], '', '', '', 12, 'yearly', 'https://mirinae.example/petition'),
(11, 'public', 'domestic', 'Gwangju', 99.9, 4, 'business_hours', ARRAY['phone', 'email', 'remote'], '', '', '', 6, 'monthly', 'https://mirinae.example/approval'),
(12, 'public', 'overseas', 'Tokyo, Japan', 99.5, 8, 'business_hours', ARRAY['email', 'web'], 'https://mirinae.example/chatbot/trial', '월 500건까지 60일 무료', 'Free for 60 days up to 500 conversations a month', 1, 'monthly', 'https://mirinae.example/chatbot'),
(13, 'public', 'domestic', 'Seoul', 99.99, 2, '24x7', ARRAY['phone', 'email', 'chat'], '', '', '', 1, 'monthly', 'https://pureun.example/waf'),
(14, 'private', 'domestic', 'Seoul', 99.9, 2, '24x7', ARRAY['phone', 'email', 'onsite'], '', '', '', 12, 'yearly', 'https://pureun.example/soc'),
(15, 'public', 'domestic', 'Busan', 99.9, 4, 'extended', ARRAY['phone', 'email', 'remote'], '', '', '', 1, 'monthly', 'https://garam.example/cloudpc'),
(16, 'private', 'domestic', 'Daejeon', 99.9, 4, '24x7', ARRAY['phone', 'email', 'remote', 'onsite'], '', '', '', 12, 'yearly', 'https://garam.example/vdi'),
(17, 'public', 'domestic', 'Daejeon', NULL, NULL, 'business_hours', ARRAY['phone', 'email', 'onsite'], '', '', '', 1, 'usage', 'https://saebyeok.example/consulting'),
(18, 'public', 'domestic', 'Daejeon', 99.9, 2, '24x7', ARRAY['phone', 'email', 'remote', 'onsite'], '', '', '', 12, 'monthly', 'https://saebyeok.example/msp'),
(19, 'public', 'overseas', 'Singapore', NULL, NULL, 'business_hours', ARRAY['email', 'remote'], '', '', '', 1, 'usage', 'https://saebyeok.example/o365'),
(20, 'public', 'domestic', 'Gyeonggi (Pangyo)', 99.9, 4, 'business_hours', ARRAY['email', 'chat', 'web'], 'https://nurisoft.example/docs/trial', '30일 무료', 'Thirty days free', 1, 'monthly', 'https://nurisoft.example/docs'),
(21, 'public', 'domestic', 'Seoul', 99.9, 4, 'extended', ARRAY['email', 'web'], 'https://daon.example/map/key', '가입만 하면 월 10만 건 무료 키 발급', 'Sign up for a free key with 100,000 calls a month', 1, 'usage', 'https://daon.example/map'),
(22, 'public', 'domestic', 'Daejeon', 99.9, 4, '24x7', ARRAY['phone', 'email', 'web'], '', '', '', 1, 'usage', 'https://hanbit.example/backup'),
(23, 'public', 'domestic', 'Gyeonggi (Pangyo)', 99.5, 8, 'business_hours', ARRAY['email'], '', '', '', 1, 'monthly', '')
) AS d (id, dep, loc, region, sla, rto, hours, channels, trial, trial_ko,
    trial_en, months, unit, web)
WHERE l.id = d.id;

-- Rate plans (docs/catalog-data.md §2) and their reference monthly prices:
-- every pricing model and aggregation of billing.md is used at least once.
-- One plan per line, its price beside it (tests/unit/test_demo_plans.c
-- reads these lines and reprices them with the rating engine).
UPDATE listings l SET rate_plan = p.plan::jsonb,
    reference_monthly_price_won = p.won
FROM (VALUES
(1, 147252, '{"dimensions": [{"code": "vcpu_hour", "unit_ko": "vCPU·시간", "unit_en": "vCPU hour", "aggregation": "sum", "model": "per_unit", "unit_price": "28.5", "reference_quantity": "2920"}, {"code": "memory_gb_hour", "unit_ko": "GB·시간", "unit_en": "GB hour", "aggregation": "sum", "model": "per_unit", "unit_price": "3.65", "reference_quantity": "11680"}, {"code": "block_storage_gb", "unit_ko": "GB·월", "unit_en": "GB month", "aggregation": "max", "model": "per_unit", "unit_price": "85", "reference_quantity": "200"}, {"code": "public_ip", "unit_ko": "공인 IP·월", "unit_en": "public IP month", "aggregation": "max", "model": "flat", "fee": "4400", "reference_quantity": "1"}], "credits": [{"below": "99.95", "share": "10"}, {"below": "99.5", "share": "25"}, {"below": "99", "share": "50"}]}'),
(2, 149280, '{"dimensions": [{"code": "storage_gb_month", "unit_ko": "GB·월", "unit_en": "GB month", "aggregation": "max", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "1024", "unit_price": "23", "flat_fee": "0"}, {"up_to": "51200", "unit_price": "20.5", "flat_fee": "0"}, {"up_to": null, "unit_price": "17.25", "flat_fee": "0"}], "reference_quantity": "5000"}, {"code": "transfer_out_gb", "unit_ko": "GB(외부 전송)", "unit_en": "GB out", "aggregation": "sum", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "10", "unit_price": "0", "flat_fee": "0"}, {"up_to": null, "unit_price": "88", "flat_fee": "0"}], "reference_quantity": "500"}, {"code": "api_request", "unit_ko": "요청", "unit_en": "request", "aggregation": "sum", "model": "package", "package_size": "10000", "package_price": "5.5", "package_rounding": "up", "reference_quantity": "2000000"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99", "share": "25"}]}'),
(3, 795600, '{"dimensions": [{"code": "gpu_hour", "unit_ko": "GPU·시간", "unit_en": "GPU hour", "aggregation": "sum", "model": "per_unit", "unit_price": "2950", "reference_quantity": "200"}, {"code": "vcpu_hour", "unit_ko": "vCPU·시간", "unit_en": "vCPU hour", "aggregation": "sum", "model": "per_unit", "unit_price": "28.5", "reference_quantity": "1600"}, {"code": "nvme_gb", "unit_ko": "GB·월", "unit_en": "GB month", "aggregation": "max", "model": "per_unit", "unit_price": "160", "reference_quantity": "1000"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99", "share": "30"}]}'),
(4, 31072000, '{"dimensions": [{"code": "dedicated_zone", "unit_ko": "전용 존·월", "unit_en": "dedicated zone month", "aggregation": "latest", "model": "flat", "fee": "18500000", "reference_quantity": "1"}, {"code": "vcpu", "unit_ko": "vCPU", "unit_en": "vCPU", "aggregation": "max", "model": "volume", "charge_at_zero": false, "tiers": [{"up_to": "256", "unit_price": "21000", "flat_fee": "0"}, {"up_to": "1024", "unit_price": "18500", "flat_fee": "0"}, {"up_to": null, "unit_price": "16000", "flat_fee": "0"}], "reference_quantity": "512"}, {"code": "storage_tb", "unit_ko": "TB·월", "unit_en": "TB month", "aggregation": "max", "model": "per_unit", "unit_price": "62000", "reference_quantity": "50"}], "credits": [{"below": "99.99", "share": "10"}, {"below": "99.9", "share": "25"}, {"below": "99.5", "share": "50"}]}'),
(5, 299040, '{"dimensions": [{"code": "db_vcpu_hour", "unit_ko": "vCPU·시간", "unit_en": "vCPU hour", "aggregation": "sum", "model": "volume", "charge_at_zero": false, "tiers": [{"up_to": "2920", "unit_price": "62", "flat_fee": "0"}, {"up_to": "14600", "unit_price": "55", "flat_fee": "0"}, {"up_to": null, "unit_price": "49", "flat_fee": "0"}], "reference_quantity": "2920"}, {"code": "db_storage_gb", "unit_ko": "GB·월", "unit_en": "GB month", "aggregation": "max", "model": "per_unit", "unit_price": "180", "reference_quantity": "500"}, {"code": "backup_gb", "unit_ko": "백업 GB·월", "unit_en": "backup GB month", "aggregation": "max", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "500", "unit_price": "0", "flat_fee": "0"}, {"up_to": null, "unit_price": "40", "flat_fee": "0"}], "reference_quantity": "1200"}], "credits": [{"below": "99.95", "share": "10"}, {"below": "99.5", "share": "25"}]}'),
(6, 415268, '{"dimensions": [{"code": "cluster", "unit_ko": "클러스터·월", "unit_en": "cluster month", "aggregation": "max", "model": "flat", "fee": "150000", "reference_quantity": "1"}, {"code": "worker_vcpu_hour", "unit_ko": "vCPU·시간", "unit_en": "vCPU hour", "aggregation": "sum", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "5000", "unit_price": "31", "flat_fee": "0"}, {"up_to": null, "unit_price": "26.8", "flat_fee": "0"}], "reference_quantity": "8760"}, {"code": "registry_gb", "unit_ko": "GB·월", "unit_en": "GB month", "aggregation": "max", "model": "per_unit", "unit_price": "95", "reference_quantity": "100"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99.5", "share": "25"}]}'),
(7, 1490000, '{"dimensions": [{"code": "analyst", "unit_ko": "분석 사용자", "unit_en": "analyst user", "aggregation": "unique_count", "model": "graduated", "charge_at_zero": true, "tiers": [{"up_to": "10", "unit_price": "0", "flat_fee": "490000"}, {"up_to": "100", "unit_price": "38000", "flat_fee": "0"}, {"up_to": null, "unit_price": "29500", "flat_fee": "0"}], "reference_quantity": "30"}, {"code": "data_gb", "unit_ko": "적재 GB·월", "unit_en": "stored GB month", "aggregation": "max", "model": "per_unit", "unit_price": "120", "reference_quantity": "2000"}], "credits": [{"below": "99.5", "share": "10"}, {"below": "99", "share": "25"}]}'),
(8, 2490000, '{"dimensions": [{"code": "active_user", "unit_ko": "사용자", "unit_en": "user", "aggregation": "unique_count", "model": "volume", "charge_at_zero": false, "tiers": [{"up_to": "100", "unit_price": "9000", "flat_fee": "0"}, {"up_to": "500", "unit_price": "8000", "flat_fee": "0"}, {"up_to": null, "unit_price": "7000", "flat_fee": "0"}], "reference_quantity": "300"}, {"code": "extra_storage", "unit_ko": "GB(추가 저장공간)", "unit_en": "GB extra storage", "aggregation": "max", "model": "package", "package_size": "100", "package_price": "30000", "package_rounding": "up", "reference_quantity": "250"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99.5", "share": "20"}, {"below": "99", "share": "30"}]}'),
(9, 630000, '{"dimensions": [{"code": "host_license", "unit_ko": "진행자 라이선스", "unit_en": "host licence", "aggregation": "latest", "model": "per_unit", "unit_price": "15000", "reference_quantity": "40"}, {"code": "recording_gb", "unit_ko": "녹화 GB·월", "unit_en": "recording GB month", "aggregation": "max", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "100", "unit_price": "0", "flat_fee": "0"}, {"up_to": null, "unit_price": "150", "flat_fee": "0"}], "reference_quantity": "300"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99", "share": "25"}]}'),
(10, 2756320, '{"dimensions": [{"code": "service_fee", "unit_ko": "기관·월", "unit_en": "agency month", "aggregation": "latest", "model": "flat", "fee": "2500000", "reference_quantity": "1"}, {"code": "petition", "unit_ko": "민원 건", "unit_en": "petition", "aggregation": "sum", "model": "package", "package_size": "1000", "package_price": "50000", "package_rounding": "up", "reference_quantity": "3200"}, {"code": "sms", "unit_ko": "알림 문자", "unit_en": "text message", "aggregation": "sum", "model": "per_unit", "unit_price": "8.8", "reference_quantity": "6400"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99.5", "share": "25"}]}'),
(11, 1709000, '{"dimensions": [{"code": "active_user", "unit_ko": "사용자", "unit_en": "user", "aggregation": "unique_count", "model": "per_unit", "unit_price": "6500", "reference_quantity": "250"}, {"code": "archive_gb", "unit_ko": "기록물 GB·월", "unit_en": "archive GB month", "aggregation": "max", "model": "per_unit", "unit_price": "210", "reference_quantity": "400"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99.5", "share": "25"}]}'),
(12, 1140000, '{"dimensions": [{"code": "conversation", "unit_ko": "상담 대화", "unit_en": "conversation", "aggregation": "sum", "model": "graduated", "charge_at_zero": true, "tiers": [{"up_to": "1000", "unit_price": "0", "flat_fee": "300000"}, {"up_to": "10000", "unit_price": "120", "flat_fee": "0"}, {"up_to": null, "unit_price": "90", "flat_fee": "0"}], "reference_quantity": "8000"}], "credits": [{"below": "99.5", "share": "10"}, {"below": "99", "share": "20"}]}'),
(13, 607500, '{"dimensions": [{"code": "protected_domain", "unit_ko": "보호 도메인", "unit_en": "protected domain", "aggregation": "max", "model": "per_unit", "unit_price": "180000", "reference_quantity": "3"}, {"code": "clean_traffic_gb", "unit_ko": "정상 트래픽 GB", "unit_en": "clean traffic GB", "aggregation": "sum", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "1000", "unit_price": "0", "flat_fee": "0"}, {"up_to": "10000", "unit_price": "45", "flat_fee": "0"}, {"up_to": null, "unit_price": "30", "flat_fee": "0"}], "reference_quantity": "2500"}], "credits": [{"below": "99.99", "share": "10"}, {"below": "99.9", "share": "25"}, {"below": "99", "share": "50"}]}'),
(14, 6080000, '{"dimensions": [{"code": "monitoring_base", "unit_ko": "관제 기본료·월", "unit_en": "monitoring base month", "aggregation": "latest", "model": "flat", "fee": "3200000", "reference_quantity": "1"}, {"code": "monitored_asset", "unit_ko": "관제 자산", "unit_en": "monitored asset", "aggregation": "max", "model": "volume", "charge_at_zero": false, "tiers": [{"up_to": "50", "unit_price": "42000", "flat_fee": "0"}, {"up_to": "200", "unit_price": "36000", "flat_fee": "0"}, {"up_to": null, "unit_price": "31000", "flat_fee": "0"}], "reference_quantity": "80"}], "credits": []}'),
(15, 5250000, '{"dimensions": [{"code": "cloud_pc", "unit_ko": "클라우드 PC", "unit_en": "cloud PC", "aggregation": "latest", "model": "volume", "charge_at_zero": false, "tiers": [{"up_to": "50", "unit_price": "45000", "flat_fee": "0"}, {"up_to": "200", "unit_price": "41000", "flat_fee": "0"}, {"up_to": null, "unit_price": "38000", "flat_fee": "0"}], "reference_quantity": "120"}, {"code": "extra_disk_gb", "unit_ko": "추가 디스크 GB", "unit_en": "extra disk GB", "aggregation": "max", "model": "per_unit", "unit_price": "110", "reference_quantity": "3000"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99.5", "share": "25"}]}'),
(16, 10620000, '{"dimensions": [{"code": "concurrent_user", "unit_ko": "동시 사용자", "unit_en": "concurrent user", "aggregation": "max", "model": "per_unit", "unit_price": "52000", "reference_quantity": "200"}, {"code": "profile_storage", "unit_ko": "GB(프로필 저장소)", "unit_en": "GB profile storage", "aggregation": "max", "model": "package", "package_size": "500", "package_price": "55000", "package_rounding": "up", "reference_quantity": "2000"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99.5", "share": "25"}, {"below": "99", "share": "40"}]}'),
(17, 20000000, '{"dimensions": [{"code": "consultant_day", "unit_ko": "컨설턴트 일(M/D)", "unit_en": "consultant day", "aggregation": "sum", "model": "per_unit", "unit_price": "850000", "reference_quantity": "20"}, {"code": "pmo_fee", "unit_ko": "사업관리(PMO)·월", "unit_en": "project management month", "aggregation": "latest", "model": "flat", "fee": "3000000", "reference_quantity": "1"}], "credits": []}'),
(18, 6875000, '{"dimensions": [{"code": "operation_base", "unit_ko": "운영 기본료·월", "unit_en": "operations base month", "aggregation": "latest", "model": "flat", "fee": "4500000", "reference_quantity": "1"}, {"code": "managed_server", "unit_ko": "관리 서버", "unit_en": "managed server", "aggregation": "max", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "20", "unit_price": "0", "flat_fee": "0"}, {"up_to": "100", "unit_price": "95000", "flat_fee": "0"}, {"up_to": null, "unit_price": "70000", "flat_fee": "0"}], "reference_quantity": "45"}], "credits": [{"below": "99.9", "share": "5"}, {"below": "99.5", "share": "15"}]}'),
(19, 9900000, '{"dimensions": [{"code": "mailbox", "unit_ko": "메일함 이관", "unit_en": "mailbox migrated", "aggregation": "sum", "model": "per_unit", "unit_price": "25000", "reference_quantity": "300"}, {"code": "training_session", "unit_ko": "사용자 교육(회)", "unit_en": "training session", "aggregation": "sum", "model": "per_unit", "unit_price": "600000", "reference_quantity": "4"}], "credits": []}'),
(20, 775938, '{"dimensions": [{"code": "active_user", "unit_ko": "사용자", "unit_en": "user", "aggregation": "unique_count", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "50", "unit_price": "7643", "flat_fee": "126282.8"}, {"up_to": null, "unit_price": "5350.1", "flat_fee": "0"}], "reference_quantity": "100"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99.5", "share": "25"}]}'),
(21, 1215000, '{"dimensions": [{"code": "map_call", "unit_ko": "API 호출", "unit_en": "API call", "aggregation": "sum", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "100000", "unit_price": "0", "flat_fee": "0"}, {"up_to": "10000000", "unit_price": "0.35", "flat_fee": "0"}, {"up_to": null, "unit_price": "0.22", "flat_fee": "0"}], "reference_quantity": "3000000"}, {"code": "geocode_call", "unit_ko": "주소 검색 호출", "unit_en": "geocoding call", "aggregation": "sum", "model": "package", "package_size": "1000", "package_price": "400", "package_rounding": "down", "reference_quantity": "500000"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99", "share": "25"}]}'),
(22, 316000, '{"dimensions": [{"code": "protected_gb", "unit_ko": "보호 대상 GB", "unit_en": "protected GB", "aggregation": "max", "model": "graduated", "charge_at_zero": false, "tiers": [{"up_to": "1000", "unit_price": "45", "flat_fee": "0"}, {"up_to": "10000", "unit_price": "38", "flat_fee": "0"}, {"up_to": null, "unit_price": "30.5", "flat_fee": "0"}], "reference_quantity": "3000"}, {"code": "dr_replica_gb", "unit_ko": "원격 복제 GB", "unit_en": "remote replica GB", "aggregation": "max", "model": "per_unit", "unit_price": "25", "reference_quantity": "3000"}, {"code": "agent", "unit_ko": "백업 에이전트", "unit_en": "backup agent", "aggregation": "max", "model": "per_unit", "unit_price": "12000", "reference_quantity": "10"}], "credits": [{"below": "99.9", "share": "10"}, {"below": "99.5", "share": "25"}]}'),
(23, 100000, '{"dimensions": [{"code": "survey_response", "unit_ko": "응답", "unit_en": "response", "aggregation": "sum", "model": "package", "package_size": "1000", "package_price": "20000", "package_rounding": "down", "reference_quantity": "5000"}], "credits": []}')
) AS p (id, won, plan)
WHERE l.id = p.id;

-- What runs on what: SaaS and PaaS on the vendors' IaaS, desktops on the
-- dedicated zone.
INSERT INTO listing_runs_on (listing_id, runs_on_id, source) VALUES
	(5, 1, 'vendor'), (6, 1, 'vendor'), (7, 1, 'vendor'), (7, 2, 'vendor'),
	(8, 1, 'vendor'), (9, 1, 'vendor'), (10, 1, 'vendor'),
	(11, 1, 'vendor'), (11, 22, 'vendor'), (12, 3, 'vendor'),
	(13, 1, 'vendor'), (15, 4, 'vendor'), (16, 4, 'vendor'),
	(20, 1, 'vendor'), (21, 6, 'vendor'), (22, 2, 'vendor')
ON CONFLICT DO NOTHING;

-- Certificates are sql/demo/0004_certificates.sql's (the certificates
-- feature owns them, with their evidence files and history).

-- Each listing's first version, recorded as it is now; a listing that
-- already has one (a second load, or versions made since) keeps its own.
SELECT listing_version_create(id, NULL, 'demo catalog details')
    FROM listings WHERE id BETWEEN 1 AND 23 AND current_version IS NULL
    ORDER BY id;
