/*
 * `gureumctl generate`: a deterministic synthetic catalog at the UK
 * G-Cloud's 2018 scale (3,500 vendors, 25,000 listings by default), for
 * benchmarks and for seeing the pages full.
 *
 * Everything comes from word lists and a seeded generator (splitmix64),
 * one independent stream per record, so the same --seed always gives the
 * same rows, whatever else the database holds and on any machine: no
 * floating point, no clock, no locale. Dates are drawn relative to a
 * fixed day (GEN_AS_OF), which also decides whether a certificate has
 * expired. The mix follows the public record where there is one: about
 * 90% SME vendors (G-Cloud), most services SaaS, CSAP certificates with
 * the validity of the scheme (3 years before 2019, 5 since) and grades
 * since 2023, some expired, suspended or revoked, data centres mostly in
 * Korea. Every rate plan is built as the struct rating.h validates and
 * prices, checked with rating_validate() (a plan that fails stops the
 * run: that would be a bug here), stored as jsonb in the format of
 * docs/catalog-data.md, and priced at its reference quantities with
 * rating_price() for reference_monthly_price_won.
 *
 * Generated rows carry external_ref 'gen:...'. A run first deletes what an
 * earlier run generated, then writes the new catalog with COPY, all in
 * one transaction: a rerun with the same seed replaces the rows with
 * identical ones (only surrogate ids and bookkeeping times differ), and a
 * failure leaves the previous catalog in place. Rows that are not
 * synthetic are never touched; if one points at a generated row, the run
 * fails on the foreign key and says so.
 *
 * `generate --check` reads every stored rate plan back, validates it and
 * recomputes its reference price: the same code path a contract will use.
 */

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bizno.h"
#include "ctl.h"
#include "money.h"
#include "plan.h"
#include "rating.h"

#define GEN_LOCK		"4711006"	/* pg_advisory_xact_lock key */
#define GEN_LISTINGS		25000
#define GEN_VENDORS		3500
#define GEN_MAX			1000000		/* listings or vendors */
#define GEN_FLUSH		(1 << 20)	/* COPY data sent per call */
#define GEN_DIMS		4		/* dimensions in a plan */
#define GEN_AS_OF_Y		2026		/* the day dates are drawn */
#define GEN_AS_OF_M		4		/* around and certificates */
#define GEN_AS_OF_D		28		/* expire by */

/* Independent random streams, one per kind of record. */
enum gen_stream {
	S_VENDOR,
	S_LISTING,
	S_CERT,
	S_LINK,
	S_VCERT,
	S__MAX
};

enum gen_type {
	T_IAAS,
	T_PAAS,
	T_SAAS,
	T_DAAS,
	T_SUPPORT,
	T__MAX
};

static const struct gen_type_info {
	const char	*name;
	int		 weight;	/* share of listings, percent */
	int		 trial;		/* percent with a free trial */
	int		 csap;		/* percent with a CSAP certificate */
	const char	*csap_type;
} gen_types[T__MAX] = {
	{ "iaas", 10, 30, 85, "iaas" },		/* T_IAAS */
	{ "paas", 10, 30, 0, NULL },		/* T_PAAS */
	{ "saas", 55, 45, 65, NULL },		/* T_SAAS: standard or simple */
	{ "daas", 5, 40, 80, "daas" },		/* T_DAAS */
	{ "support", 20, 5, 0, NULL },		/* T_SUPPORT */
};

struct pair {
	const char	*ko;
	const char	*en;
};

/* The leaf categories of sql/0005_catalog.sql, with product nouns. */
static const struct gen_cat {
	int		 id;
	const char	*code;
	enum gen_type	 type;
	struct pair	 noun[3];
} gen_cats[] = {
	{ 101, "iaas.compute", T_IAAS, { { "클라우드 서버", "Cloud Server" },
	    { "가상 머신", "Virtual Machines" },
	    { "베어메탈 서버", "Bare Metal Server" } } },
	{ 102, "iaas.storage", T_IAAS, { { "오브젝트 스토리지",
	    "Object Storage" }, { "블록 스토리지", "Block Storage" },
	    { "파일 스토리지", "File Storage" } } },
	{ 103, "iaas.network", T_IAAS, { { "로드밸런서", "Load Balancer" },
	    { "전용 회선 연결", "Direct Connect" },
	    { "콘텐츠 전송 네트워크", "Content Delivery Network" } } },
	{ 104, "iaas.gpu", T_IAAS, { { "GPU 서버", "GPU Server" },
	    { "고성능 컴퓨팅 클러스터", "HPC Cluster" },
	    { "AI 학습 인프라", "AI Training Infrastructure" } } },
	{ 105, "iaas.backup", T_IAAS, { { "클라우드 백업", "Cloud Backup" },
	    { "재해복구 센터", "Disaster Recovery Site" },
	    { "아카이브 스토리지", "Archive Storage" } } },
	{ 106, "iaas.dedicated", T_IAAS, { { "공공 전용 클라우드",
	    "Government Dedicated Cloud" }, { "프라이빗 클라우드 존",
	    "Private Cloud Zone" }, { "행정망 연계 클라우드",
	    "Government Network Cloud" } } },
	{ 107, "iaas.security", T_IAAS, { { "클라우드 방화벽",
	    "Cloud Firewall" }, { "디도스 방어", "DDoS Protection" },
	    { "침입 탐지 인프라", "Intrusion Detection" } } },
	{ 201, "paas.database", T_PAAS, { { "매니지드 PostgreSQL",
	    "Managed PostgreSQL" }, { "매니지드 MySQL", "Managed MySQL" },
	    { "인메모리 캐시", "In-memory Cache" } } },
	{ 202, "paas.container", T_PAAS, { { "쿠버네티스 서비스",
	    "Kubernetes Service" }, { "컨테이너 레지스트리",
	    "Container Registry" }, { "서버리스 함수",
	    "Serverless Functions" } } },
	{ 203, "paas.devtools", T_PAAS, { { "CI/CD 파이프라인",
	    "CI/CD Pipeline" }, { "소스코드 저장소", "Source Repository" },
	    { "API 테스트 도구", "API Testing" } } },
	{ 204, "paas.analytics", T_PAAS, { { "데이터 레이크", "Data Lake" },
	    { "데이터 웨어하우스", "Data Warehouse" },
	    { "빅데이터 분석 플랫폼", "Big Data Platform" } } },
	{ 205, "paas.ai", T_PAAS, { { "머신러닝 플랫폼",
	    "Machine Learning Platform" }, { "자연어 처리 API",
	    "Natural Language API" }, { "영상 인식 API",
	    "Image Recognition API" } } },
	{ 206, "paas.integration", T_PAAS, { { "API 게이트웨이",
	    "API Gateway" }, { "데이터 연계 플랫폼",
	    "Data Integration Platform" }, { "전자정부 프레임워크 플랫폼",
	    "eGovFrame Platform" } } },
	{ 207, "paas.messaging", T_PAAS, { { "메시지 큐", "Message Queue" },
	    { "이벤트 스트리밍", "Event Streaming" },
	    { "알림 발송 서비스", "Notification Service" } } },
	{ 208, "paas.identity", T_PAAS, { { "통합 인증(SSO)",
	    "Single Sign-On" }, { "접근 권한 관리", "Access Management" },
	    { "디지털 원패스 연동", "Digital OnePass Connector" } } },
	{ 301, "saas.collaboration", T_SAAS, { { "그룹웨어", "Groupware" },
	    { "협업 메신저", "Team Messenger" },
	    { "클라우드 드라이브", "Cloud Drive" } } },
	{ 302, "saas.document", T_SAAS, { { "전자결재", "e-Approval" },
	    { "전자문서 관리", "Document Management" },
	    { "기록물 관리", "Records Management" } } },
	{ 303, "saas.hr", T_SAAS, { { "인사 관리", "HR Management" },
	    { "급여 관리", "Payroll" },
	    { "근태 관리", "Time and Attendance" } } },
	{ 304, "saas.finance", T_SAAS, { { "회계 관리", "Accounting" },
	    { "예산 관리", "Budget Management" },
	    { "전자세금계산서", "e-Tax Invoicing" } } },
	{ 305, "saas.crm", T_SAAS, { { "고객 관리", "Customer Management" },
	    { "콜센터 솔루션", "Contact Centre" },
	    { "상담 예약", "Appointment Booking" } } },
	{ 306, "saas.civil", T_SAAS, { { "민원 접수 시스템",
	    "Civil Petition Desk" }, { "온라인 시설 예약",
	    "Facility Booking" }, { "전자 설문", "Online Surveys" } } },
	{ 307, "saas.security", T_SAAS, { { "웹 방화벽",
	    "Web Application Firewall" }, { "엔드포인트 보안",
	    "Endpoint Protection" }, { "개인정보 검출",
	    "Personal Data Discovery" } } },
	{ 308, "saas.education", T_SAAS, { { "이러닝 플랫폼",
	    "e-Learning Platform" }, { "학습 관리 시스템",
	    "Learning Management System" }, { "온라인 강의실",
	    "Virtual Classroom" } } },
	{ 309, "saas.video", T_SAAS, { { "화상회의", "Video Meetings" },
	    { "웨비나", "Webinars" },
	    { "영상 스트리밍", "Video Streaming" } } },
	{ 310, "saas.analytics", T_SAAS, { { "BI 대시보드", "BI Dashboards" },
	    { "통계 분석", "Statistics" },
	    { "공공데이터 시각화", "Open Data Visualisation" } } },
	{ 311, "saas.gis", T_SAAS, { { "공간정보 플랫폼", "GIS Platform" },
	    { "지도 서비스", "Map Service" },
	    { "시설물 관리", "Facility Management" } } },
	{ 312, "saas.health", T_SAAS, { { "보건소 업무 관리",
	    "Public Health Centre Management" }, { "원격 건강 상담",
	    "Telehealth" }, { "돌봄 서비스 관리", "Care Management" } } },
	{ 313, "saas.procurement", T_SAAS, { { "구매 관리", "Purchasing" },
	    { "계약 관리", "Contract Management" },
	    { "물품 관리", "Asset Management" } } },
	{ 314, "saas.cms", T_SAAS, { { "홈페이지 빌더", "Website Builder" },
	    { "콘텐츠 관리 시스템", "Content Management System" },
	    { "웹 접근성 점검", "Accessibility Checker" } } },
	{ 315, "saas.ai", T_SAAS, { { "AI 챗봇", "AI Chatbot" },
	    { "음성 인식", "Speech Recognition" },
	    { "문서 자동 요약", "Document Summarisation" } } },
	{ 316, "saas.it_management", T_SAAS, { { "IT 자산 관리",
	    "IT Asset Management" }, { "서비스 데스크", "Service Desk" },
	    { "서버 모니터링", "Server Monitoring" } } },
	{ 317, "saas.operations", T_SAAS, { { "현장 업무 관리",
	    "Field Work Management" }, { "차량 관리", "Fleet Management" },
	    { "프로젝트 관리", "Project Management" } } },
	{ 318, "saas.legal", T_SAAS, { { "법령 정보", "Legal Information" },
	    { "규정 준수 관리", "Compliance Management" },
	    { "감사 관리", "Audit Management" } } },
	{ 401, "daas.vdi", T_DAAS, { { "가상 데스크톱", "Virtual Desktop" },
	    { "VDI 서비스", "VDI Service" },
	    { "원격 업무 환경", "Remote Workspace" } } },
	{ 402, "daas.cloud_pc", T_DAAS, { { "클라우드 PC", "Cloud PC" },
	    { "업무용 클라우드 PC", "Business Cloud PC" },
	    { "교육용 클라우드 PC", "Education Cloud PC" } } },
	{ 403, "daas.secure_workspace", T_DAAS, { { "망분리 업무환경",
	    "Network-separated Workspace" }, { "인터넷 망분리",
	    "Internet Isolation" }, { "보안 원격 접속",
	    "Secure Remote Access" } } },
	{ 501, "support.consulting", T_SUPPORT, { { "클라우드 전환 컨설팅",
	    "Cloud Adoption Consulting" }, { "정보화 전략 컨설팅",
	    "IT Strategy Consulting" }, { "보안 컨설팅",
	    "Security Consulting" } } },
	{ 502, "support.migration", T_SUPPORT, { { "클라우드 이관",
	    "Cloud Migration" }, { "데이터 이전", "Data Migration" },
	    { "레거시 현대화", "Legacy Modernisation" } } },
	{ 503, "support.operation", T_SUPPORT, { { "클라우드 운영 관리",
	    "Managed Cloud Operations" }, { "24시간 기술 지원",
	    "24/7 Technical Support" }, { "클라우드 비용 최적화",
	    "Cloud Cost Optimisation" } } },
	{ 504, "support.security_monitoring", T_SUPPORT, { { "보안관제",
	    "Managed Security Monitoring" }, { "침해사고 대응",
	    "Incident Response" }, { "취약점 진단",
	    "Vulnerability Assessment" } } },
	{ 505, "support.training", T_SUPPORT, { { "클라우드 교육",
	    "Cloud Training" }, { "기술 교육", "Technical Training" },
	    { "운영자 교육", "Operator Training" } } },
};
#define GEN_NCATS	(sizeof(gen_cats) / sizeof(gen_cats[0]))

/* Vendor names: prefix + middle + suffix (none is a demo vendor's). */
static const struct pair gen_prefix[] = {
	{ "아라", "Ara" }, { "라온", "Raon" }, { "마루", "Maru" },
	{ "여울", "Yeoul" }, { "은하", "Eunha" }, { "초록", "Chorok" },
	{ "한결", "Hangyeol" }, { "나래", "Narae" }, { "다솜", "Dasom" },
	{ "보람", "Boram" }, { "새론", "Saeron" }, { "슬기", "Seulgi" },
	{ "아름", "Areum" }, { "이음", "Ieum" }, { "자람", "Jaram" },
	{ "차오름", "Chaoreum" }, { "하람", "Haram" }, { "해솔", "Haesol" },
	{ "한울", "Hanul" }, { "늘품", "Neulpum" }, { "든솔", "Deunsol" },
	{ "모두", "Modu" }, { "새솔", "Saesol" }, { "시온", "Sion" },
	{ "윤슬", "Yunseul" }, { "지음", "Jieum" }, { "채움", "Chaeum" },
	{ "큰별", "Keunbyeol" }, { "한터", "Hanteo" }, { "해오름", "Haeoreum" },
	{ "가온", "Gaon" }, { "너울", "Neoul" }, { "맑은", "Malgeun" },
	{ "단비", "Danbi" }, { "바로", "Baro" }, { "소담", "Sodam" },
	{ "참", "Cham" }, { "늘봄", "Neulbom" }, { "새길", "Saegil" },
	{ "온빛", "Onbit" }, { "빛나", "Bitna" }, { "미소", "Miso" },
	{ "도란", "Doran" }, { "꽃샘", "Kkotsaem" }, { "산들", "Sandeul" },
	{ "별하", "Byeolha" }, { "해람", "Haeram" }, { "누비", "Nubi" },
	{ "온결", "Ongyeol" }, { "로운", "Roun" },
};
static const struct pair gen_middle[] = {
	{ "", "" }, { "넥스", "Nex" }, { "원", "One" }, { "AI", "AI" },
	{ "큐브", "Cube" }, { "링크", "Link" }, { "웨이", "Way" },
	{ "플로우", "Flow" }, { "스퀘어", "Square" }, { "브릿지", "Bridge" },
};
static const struct pair gen_suffix[] = {
	{ "클라우드", "Cloud" }, { "소프트", "Soft" }, { "데이터", "Data" },
	{ "정보기술", "IT" }, { "시스템즈", "Systems" },
	{ "시큐리티", "Security" }, { "웍스", "Works" }, { "테크", "Tech" },
	{ "네트웍스", "Networks" }, { "랩스", "Labs" },
	{ "솔루션", "Solutions" }, { "디지털", "Digital" },
	{ "이노베이션", "Innovation" }, { "정보통신", "ICT" },
	{ "컨설팅", "Consulting" }, { "인포", "Info" },
	{ "플랫폼", "Platform" },
	{ "에듀", "Edu" }, { "헬스케어", "Healthcare" },
	{ "커뮤니케이션즈", "Communications" },
};
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct pair gen_edition[] = {
	{ "", "" }, { "", "" }, { "", "" }, { " 플러스", " Plus" },
	{ " 프로", " Pro" }, { " 엔터프라이즈", " Enterprise" },
	{ " 라이트", " Lite" }, { " 스탠다드", " Standard" },
	{ " 2.0", " 2.0" }, { " G", " G" },
};

static const struct pair gen_audience[] = {
	{ "공공기관", "public bodies" },
	{ "중앙행정기관", "central government" },
	{ "지방자치단체", "local governments" },
	{ "교육기관", "schools and universities" },
	{ "공공기관과 지방자치단체", "public bodies and local governments" },
};

static const struct pair gen_customers[] = {
	{ "중앙행정기관", "Central government" },
	{ "광역자치단체", "Metropolitan governments" },
	{ "기초자치단체", "Local governments" },
	{ "공공기관", "Public institutions" },
	{ "교육기관", "Schools and universities" },
	{ "공공의료기관", "Public hospitals" },
};

/* Features per service type (7 each). */
static const struct pair gen_features[T__MAX][7] = {
	/* T_IAAS */
	{ { "몇 분 안에 자원 생성", "Resources ready in minutes" },
	  { "자동 확장", "Autoscaling" },
	  { "스냅샷과 이미지 백업", "Snapshots and image backups" },
	  { "이중화된 국내 데이터센터", "Redundant data centres" },
	  { "API와 웹 콘솔로 관리", "Managed by API and web console" },
	  { "사용량 실시간 조회", "Real-time usage reports" },
	  { "저장 데이터 암호화", "Encryption at rest" } },
	/* T_PAAS */
	{ { "자동 백업과 복구", "Automatic backup and restore" },
	  { "무중단 패치", "Patching without downtime" },
	  { "모니터링 대시보드", "Monitoring dashboard" },
	  { "표준 오픈소스 호환", "Compatible with standard open source" },
	  { "역할 기반 접근 관리", "Role-based access control" },
	  { "자동 확장", "Autoscaling" },
	  { "감사 로그", "Audit logs" } },
	/* T_SAAS */
	{ { "웹과 모바일 앱 지원", "Web and mobile apps" },
	  { "행정전자서명 연동", "Government e-signature" },
	  { "통합 인증(SSO)", "Single sign-on" },
	  { "엑셀 내보내기", "Excel export" },
	  { "웹 접근성 인증", "Certified web accessibility" },
	  { "개인정보 암호화", "Personal data encryption" },
	  { "알림톡·문자 발송", "KakaoTalk and text notifications" } },
	/* T_DAAS */
	{ { "망분리 환경 지원", "Works in separated networks" },
	  { "어디서나 접속", "Access from anywhere" },
	  { "중앙 관리 콘솔", "Central management console" },
	  { "단말기 자료 유출 방지", "No data left on devices" },
	  { "GPU 가상 데스크톱", "GPU desktops" },
	  { "사용자별 자원 조정", "Per-user resources" },
	  { "화면 워터마크", "Screen watermarks" } },
	/* T_SUPPORT */
	{ { "전담 엔지니어 배정", "A dedicated engineer" },
	  { "월간 운영 보고서", "Monthly operations report" },
	  { "24시간 장애 대응", "24/7 incident response" },
	  { "클라우드 비용 분석", "Cloud cost analysis" },
	  { "정기 보안 점검", "Regular security checks" },
	  { "전환 계획 수립", "Migration planning" },
	  { "표준 산출물 제공", "Standard deliverables" } },
};

static const struct pair gen_benefits[] = {
	{ "구축 기간 단축", "Shorter set-up" },
	{ "초기 투자 비용 없음", "No upfront investment" },
	{ "운영 인력 부담 감소", "Less operations workload" },
	{ "사용한 만큼만 지불", "Pay only for what you use" },
	{ "보안 수준 향상", "Better security" },
	{ "서비스 안정성 향상", "More reliable service" },
	{ "새 기능 자동 적용", "New features without upgrades" },
};

static const struct pair gen_places[] = {
	{ "서울특별시", "Seoul" }, { "부산광역시", "Busan" },
	{ "대구광역시", "Daegu" }, { "인천광역시", "Incheon" },
	{ "광주광역시", "Gwangju" }, { "대전광역시", "Daejeon" },
	{ "울산광역시", "Ulsan" }, { "세종특별자치시", "Sejong" },
	{ "경기도", "Gyeonggi" }, { "강원특별자치도", "Gangwon" },
	{ "충청북도", "North Chungcheong" },
	{ "충청남도", "South Chungcheong" },
	{ "전라남도", "South Jeolla" }, { "경상북도", "North Gyeongsang" },
	{ "경상남도", "South Gyeongsang" }, { "제주특별자치도", "Jeju" },
};

static const struct pair gen_trial[] = {
	{ "30일 무료 체험 (사용자 10명까지)",
	    "30-day free trial (up to 10 users)" },
	{ "14일 무료 체험", "14-day free trial" },
	{ "첫 달 무료", "First month free" },
};

static const char *const gen_regions[] = {	/* domestic data centres */
	"Seoul", "Seoul", "Gyeonggi", "Gyeonggi", "Daejeon", "Gwangju",
	"Busan", "Daegu", "Sejong", "Chuncheon",
};
static const char *const gen_regions_abroad[] = {
	"Tokyo", "Singapore", "United States",
};

static const char *const gen_surnames[] = {
	"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임",
	"한", "오", "서", "신", "권", "황", "안", "송", "류", "홍",
};
static const char *const gen_given[] = {
	"민준", "서연", "도윤", "서윤", "시우", "지우", "하준", "하은",
	"주원", "지유", "지호", "수아", "예준", "채원", "준서", "지민",
	"건우", "다은", "현우", "소율",
};
static const char *const gen_districts[] = {
	"서울특별시 강남구 테헤란로", "서울특별시 금천구 가산디지털1로",
	"서울특별시 마포구 월드컵북로", "서울특별시 구로구 디지털로",
	"경기도 성남시 분당구 판교역로", "경기도 안양시 동안구 시민대로",
	"대전광역시 유성구 대학로", "부산광역시 해운대구 센텀중앙로",
	"광주광역시 북구 첨단과기로", "대구광역시 동구 동대구로",
	"인천광역시 연수구 컨벤시아대로", "세종특별자치시 한누리대로",
};
static const char *const gen_area_codes[] = {
	"02", "02", "02", "031", "032", "042", "051", "053", "062", "044",
};

static const char *const gen_iso_issuers[] = {
	"BSI", "DNV", "한국품질재단(KFQ)", "한국표준협회(KSA)", "TÜV SÜD",
};

/* A splitmix64 stream. */
struct rng {
	uint64_t	s;
};

struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

struct gen_vendor {
	char		 name_ko[128];
	char		 name_en[128];
	char		 brand_ko[64];
	char		 brand_en[64];
	char		 domain[96];
	enum gen_type	 type;		/* what it mostly sells */
	size_t		 cat;		/* its main category */
	int64_t		 id;
};

struct gen_listing {
	size_t		 vendor;
	size_t		 cat;
	enum gen_type	 type;
	int		 csap;		/* gets a CSAP certificate */
	int		 created;	/* day number */
	int64_t		 id;
};

struct gen {
	PGconn			*db;
	const struct ctl_generate_opts *o;
	struct gen_vendor	*vends;
	struct gen_listing	*lists;
	size_t			*iaas;		/* CSAP-certified IaaS first */
	size_t			 niaas;
	long			 ntype[T__MAX];
	long			 ncerts;
	long			 nlinks;
	long			 removed_listings;
	long			 removed_vendors;
	int			 as_of;		/* day number of GEN_AS_OF */
};

static void	 nomem(void) __attribute__((noreturn));
static uint64_t	 rng_next(struct rng *);
static struct rng rng_for(uint64_t, enum gen_stream, uint64_t);
static uint32_t	 rng_below(struct rng *, uint32_t);
static int	 rng_pct(struct rng *, int);
static int	 days_from_civil(int, int, int);
static void	 civil_from_days(int, int *, int *, int *);
static void	 sb_grow(struct sbuf *, size_t);
static void	 sb_add(struct sbuf *, const char *, size_t);
static void	 sb_puts(struct sbuf *, const char *);
static void	 sb_printf(struct sbuf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 cp_text(struct sbuf *, const char *);
static void	 cp_sep(struct sbuf *, int);
static void	 cp_null(struct sbuf *, int);
static void	 cp_date(struct sbuf *, int, int);
static void	 cp_time(struct sbuf *, int, int, int);
static void	 cp_array(struct sbuf *, const char *const *, size_t, int);
static int	 copy_begin(struct gen *, const char *);
static int	 copy_flush(struct gen *, struct sbuf *, int);
static int	 exec_ok(PGconn *, const char *, const char *);
static void	 pick(struct rng *, size_t, size_t, size_t *);
static int	 check_categories(struct gen *);
static int	 remove_old(struct gen *);
static void	 make_vendor(struct gen *, size_t, struct rng *);
static int	 write_vendors(struct gen *);
static int	 read_ids(struct gen *, const char *, int64_t *, size_t,
		    size_t);
static int64_t	 price(struct rng *, int64_t, int64_t);
static void	 dim_init(struct plan *, const char *, const char *,
		    const char *, enum rating_aggregation,
		    enum rating_model, int64_t);
static void	 dim_tiers(struct plan *, int64_t, const int64_t *,
		    const int *, const int64_t *, size_t);
static void	 make_plan(struct rng *, const struct gen_cat *,
		    int64_t, struct plan *);
static int	 gen_plan_check(const struct plan *, int64_t *, char *,
		    size_t);
static void	 make_listing(struct gen *, size_t, struct sbuf *);
static int	 write_listings(struct gen *);
static int	 write_links(struct gen *);
static int	 issue_day(struct gen *, struct rng *, int);
static void	 make_cert(struct gen *, struct sbuf *, struct rng *,
		    int64_t, int64_t, const char *, const char *,
		    const char *, const char *, const char *, int, int,
		    const char *);
static int	 write_certificates(struct gen *);
static int	 write_versions(struct gen *);
static int	 write_audit(struct gen *, double);
static int	 check_plans(PGconn *);

/*
 * Reads the arguments after "generate": --listings N, --vendors N,
 * --seed S (defaults 25,000, 3,500 and 1), or --check alone. Returns 0
 * with *o filled, or -1 for a usage error.
 */
int
ctl_generate_args(int argc, char *argv[], struct ctl_generate_opts *o)
{
	char		*end;
	int		 i;
	unsigned long long v;

	o->listings = GEN_LISTINGS;
	o->vendors = GEN_VENDORS;
	o->seed = 1;
	o->check = 0;
	if (argc == 1 && strcmp(argv[0], "--check") == 0) {
		o->check = 1;
		return (0);
	}
	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc || !isdigit((unsigned char)argv[i + 1][0]))
			return (-1);
		errno = 0;
		v = strtoull(argv[i + 1], &end, 10);
		if (errno != 0 || *end != '\0')
			return (-1);
		if (strcmp(argv[i], "--seed") == 0)
			o->seed = v;
		else if (strcmp(argv[i], "--listings") == 0 && v >= 1 &&
		    v <= GEN_MAX)
			o->listings = (long)v;
		else if (strcmp(argv[i], "--vendors") == 0 && v >= 1 &&
		    v <= GEN_MAX)
			o->vendors = (long)v;
		else
			return (-1);
	}
	if (o->vendors > o->listings) {
		fprintf(stderr, "gureumctl: generate: more vendors (%ld) than "
		    "listings (%ld): every vendor lists at least one\n",
		    o->vendors, o->listings);
		return (-1);
	}
	return (0);
}

/*
 * Replaces the generated catalog with the one o describes, or with
 * o->check validates every stored rate plan. Prints a summary with the
 * time taken. Returns 0, or -1 after printing why (nothing is changed).
 */
int
ctl_generate(PGconn *db, const struct ctl_generate_opts *o)
{
	struct gen	 g;
	struct timespec	 t0, t1;
	double		 secs;
	int		 rc;

	if (o->check)
		return (check_plans(db));

	memset(&g, 0, sizeof(g));
	g.db = db;
	g.o = o;
	g.as_of = days_from_civil(GEN_AS_OF_Y, GEN_AS_OF_M, GEN_AS_OF_D);
	g.vends = calloc(o->vendors, sizeof(*g.vends));
	g.lists = calloc(o->listings, sizeof(*g.lists));
	g.iaas = calloc(o->listings, sizeof(*g.iaas));
	if (g.vends == NULL || g.lists == NULL || g.iaas == NULL)
		nomem();
	rc = -1;
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);

	if (!exec_ok(db, "BEGIN", "begin"))
		goto out;
	/* The certificates' history rows say why they were written. */
	if (!exec_ok(db, "SELECT pg_advisory_xact_lock(" GEN_LOCK ")",
	    "lock") ||
	    !exec_ok(db, "SELECT set_config('gureum.reason', "
	    "'generated catalog', true)", "settings") ||
	    check_categories(&g) == -1 ||
	    remove_old(&g) == -1 ||
	    write_vendors(&g) == -1 ||
	    write_listings(&g) == -1 ||
	    write_links(&g) == -1 ||
	    write_certificates(&g) == -1 ||
	    write_versions(&g) == -1)
		goto rollback;
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (write_audit(&g, secs) == -1)
		goto rollback;
	if (!exec_ok(db, "COMMIT", "commit"))
		goto out;
	/* Fresh statistics, so the first benchmark query plans well. */
	(void)exec_ok(db, "ANALYZE organisations, listings, listing_runs_on,"
	    " listing_versions, certificates, certificate_events", "analyze");
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

	printf("generate: seed %llu: %ld vendors, %ld listings (iaas %ld, "
	    "paas %ld, saas %ld, daas %ld, support %ld), %ld certificates, "
	    "%ld runs-on links, %ld versions; replaced %ld listings and %ld "
	    "vendors; %.1f s\n", o->seed, o->vendors, o->listings,
	    g.ntype[T_IAAS], g.ntype[T_PAAS], g.ntype[T_SAAS], g.ntype[T_DAAS],
	    g.ntype[T_SUPPORT], g.ncerts, g.nlinks, o->listings,
	    g.removed_listings, g.removed_vendors, secs);
	rc = 0;
	goto out;

rollback:
	(void)exec_ok(db, "ROLLBACK", "rollback");
out:
	free(g.vends);
	free(g.lists);
	free(g.iaas);
	return (rc);
}

static void
nomem(void)
{
	fprintf(stderr, "gureumctl: generate: out of memory\n");
	exit(1);
}

/* splitmix64 (Steele, Lea, Flood 2014): tiny, fast, well mixed. */
static uint64_t
rng_next(struct rng *r)
{
	uint64_t	z;

	z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* The stream of record n of a kind: independent of every other record. */
static struct rng
rng_for(uint64_t seed, enum gen_stream s, uint64_t n)
{
	struct rng	r;

	r.s = seed ^ ((uint64_t)(s + 1) << 56);
	r.s = rng_next(&r) ^ n;
	(void)rng_next(&r);
	return (r);
}

/* Uniform in [0, n), without modulo bias (rejection). */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	uint64_t	v, lim;

	if (n <= 1)
		return (0);
	lim = UINT64_MAX - UINT64_MAX % n;
	do {
		v = rng_next(r);
	} while (v >= lim);
	return ((uint32_t)(v % n));
}

/* True with the given percent chance. */
static int
rng_pct(struct rng *r, int percent)
{
	return ((int)rng_below(r, 100) < percent);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int
days_from_civil(int y, int m, int d)
{
	int		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 +
	    (unsigned)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + (int)doe - 719468);
}

static void
civil_from_days(int z, int *y, int *m, int *d)
{
	int		era;
	unsigned	doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (*m <= 2);
}

static void
sb_grow(struct sbuf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap == 0 ? 4096 : b->cap * 2;
	if ((b->p = realloc(b->p, b->cap)) == NULL)
		nomem();
}

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		nomem();
	sb_grow(b, (size_t)n);
	va_start(ap, fmt);
	(void)vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* A COPY text-format field: backslash, tab, newline and CR escaped. */
static void
cp_text(struct sbuf *b, const char *s)
{
	const char	*run;

	for (run = s; *s != '\0'; s++) {
		if (*s != '\\' && *s != '\t' && *s != '\n' && *s != '\r')
			continue;
		sb_add(b, run, (size_t)(s - run));
		sb_puts(b, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" :
		    *s == '\n' ? "\\n" : "\\r");
		run = s + 1;
	}
	sb_add(b, run, (size_t)(s - run));
}

/* The separator after a field: a tab, or the end of the row. */
static void
cp_sep(struct sbuf *b, int last)
{
	sb_add(b, last ? "\n" : "\t", 1);
}

static void
cp_null(struct sbuf *b, int last)
{
	sb_puts(b, "\\N");
	cp_sep(b, last);
}

static void
cp_date(struct sbuf *b, int day, int last)
{
	int	y, m, d;

	civil_from_days(day, &y, &m, &d);
	sb_printf(b, "%04d-%02d-%02d", y, m, d);
	cp_sep(b, last);
}

/* A timestamptz at second sec of day (UTC). */
static void
cp_time(struct sbuf *b, int day, int sec, int last)
{
	int	y, m, d;

	civil_from_days(day, &y, &m, &d);
	sb_printf(b, "%04d-%02d-%02d %02d:%02d:%02d+00", y, m, d, sec / 3600,
	    sec / 60 % 60, sec % 60);
	cp_sep(b, last);
}

/* A text[] field: an array literal with quoted items, COPY-escaped. */
static void
cp_array(struct sbuf *b, const char *const *items, size_t n, int last)
{
	struct sbuf	 a;
	const char	*s;
	size_t		 i;

	memset(&a, 0, sizeof(a));
	sb_puts(&a, "{");
	for (i = 0; i < n; i++) {
		sb_puts(&a, i > 0 ? ",\"" : "\"");
		for (s = items[i]; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				sb_add(&a, "\\", 1);
			sb_add(&a, s, 1);
		}
		sb_puts(&a, "\"");
	}
	sb_puts(&a, "}");
	cp_text(b, a.p);
	cp_sep(b, last);
	free(a.p);
}

static int
copy_begin(struct gen *g, const char *sql)
{
	PGresult	*res;

	res = PQexec(g->db, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		fprintf(stderr, "gureumctl: generate: %s",
		    PQerrorMessage(g->db));
		PQclear(res);
		return (-1);
	}
	PQclear(res);
	return (0);
}

/* Sends what b holds once it is large (or always, with end; then ends). */
static int
copy_flush(struct gen *g, struct sbuf *b, int end)
{
	PGresult	*res;
	int		 ok;

	if (!end && b->len < GEN_FLUSH)
		return (0);
	ok = b->len == 0 || PQputCopyData(g->db, b->p, (int)b->len) == 1;
	b->len = 0;
	if (ok && !end)
		return (0);
	/* Ending the COPY with an error message aborts it. */
	if (PQputCopyEnd(g->db, ok ? NULL : "generate: sending failed") != 1)
		ok = 0;
	if (!ok)
		fprintf(stderr, "gureumctl: generate: copy: %s",
		    PQerrorMessage(g->db));
	while ((res = PQgetResult(g->db)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "gureumctl: generate: copy: %s",
			    PQerrorMessage(g->db));
			ok = 0;
		}
		PQclear(res);
	}
	return (ok ? 0 : -1);
}

static int
exec_ok(PGconn *db, const char *sql, const char *what)
{
	PGresult	*res;
	int		 st;

	res = PQexec(db, sql);
	st = PQresultStatus(res);
	PQclear(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: generate: %s: %s", what,
		    PQerrorMessage(db));
		return (0);
	}
	return (1);
}

/* k distinct indexes below n, in drawing order, into out. */
static void
pick(struct rng *r, size_t n, size_t k, size_t *out)
{
	size_t	i, j;

	for (i = 0; i < k && i < n; i++) {
again:
		out[i] = rng_below(r, (uint32_t)n);
		for (j = 0; j < i; j++)
			if (out[j] == out[i])
				goto again;
	}
}

/* The categories here must be those the migration seeded. */
static int
check_categories(struct gen *g)
{
	PGresult	*res;
	char		 sql[128];
	size_t		 i;
	int		 bad;

	bad = 0;
	for (i = 0; i < GEN_NCATS && !bad; i++) {
		(void)snprintf(sql, sizeof(sql), "SELECT code FROM categories "
		    "WHERE id = %d", gen_cats[i].id);
		res = PQexec(g->db, sql);
		bad = PQresultStatus(res) != PGRES_TUPLES_OK ||
		    PQntuples(res) != 1 ||
		    strcmp(PQgetvalue(res, 0, 0), gen_cats[i].code) != 0;
		PQclear(res);
	}
	if (bad) {
		fprintf(stderr, "gureumctl: generate: category %d is not %s: "
		    "migrate the database first (sql/0005_catalog.sql)\n",
		    gen_cats[i - 1].id, gen_cats[i - 1].code);
		return (-1);
	}
	return (0);
}

/* Deletes what an earlier run generated, history first. */
static int
remove_old(struct gen *g)
{
	static const char *const sql[] = {
		"DELETE FROM certificate_events e USING certificates c"
		" WHERE c.id = e.certificate_id"
		" AND c.external_ref LIKE 'gen:%'",
		"DELETE FROM certificates WHERE external_ref LIKE 'gen:%'",
		"DELETE FROM listing_versions v USING listings l"
		" WHERE l.id = v.listing_id AND l.external_ref LIKE 'gen:%'",
		"DELETE FROM listing_runs_on r USING listings l"
		" WHERE l.id = r.listing_id AND l.external_ref LIKE 'gen:%'",
		"DELETE FROM listings WHERE external_ref LIKE 'gen:%'",
		"DELETE FROM organisations WHERE external_ref LIKE 'gen:%'",
	};
	PGresult	*res;
	size_t		 i;

	for (i = 0; i < NELEM(sql); i++) {
		res = PQexec(g->db, sql[i]);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "gureumctl: generate: removing the "
			    "catalog generated before: %s",
			    PQerrorMessage(g->db));
			PQclear(res);
			return (-1);
		}
		if (i == 4)
			g->removed_listings = atol(PQcmdTuples(res));
		if (i == 5)
			g->removed_vendors = atol(PQcmdTuples(res));
		PQclear(res);
	}
	return (0);
}

/*
 * Vendor i. Its name is one of the prefix x middle x suffix combinations,
 * visited in a fixed order that spreads neighbours apart and never
 * repeats one (the step is coprime to their number); past that number a
 * numeral keeps names unique.
 */
static void
make_vendor(struct gen *g, size_t i, struct rng *r)
{
	struct gen_vendor	*v;
	const struct pair	*pre, *mid, *suf;
	size_t			 ncomb, c, step, round, k;
	char			 num[16], *s, *d;
	uint32_t		 w;

	v = &g->vends[i];
	ncomb = NELEM(gen_prefix) * NELEM(gen_middle) * NELEM(gen_suffix);
	step = 7919;			/* prime, does not divide ncomb */
	c = (i * step + (size_t)(g->o->seed % ncomb)) % ncomb;
	round = i / ncomb;
	pre = &gen_prefix[c % NELEM(gen_prefix)];
	mid = &gen_middle[c / NELEM(gen_prefix) % NELEM(gen_middle)];
	suf = &gen_suffix[c / NELEM(gen_prefix) / NELEM(gen_middle)];
	num[0] = '\0';
	if (round > 0)
		(void)snprintf(num, sizeof(num), " %zu", round + 1);
	(void)snprintf(v->brand_ko, sizeof(v->brand_ko), "%s%s", pre->ko,
	    mid->ko);
	(void)snprintf(v->brand_en, sizeof(v->brand_en), "%s%s%s", pre->en,
	    mid->en[0] != '\0' ? " " : "", mid->en);
	(void)snprintf(v->name_ko, sizeof(v->name_ko), "%s%s%s", v->brand_ko,
	    suf->ko, num);
	(void)snprintf(v->name_en, sizeof(v->name_en), "%s %s%s", v->brand_en,
	    suf->en, num);
	for (s = v->name_en, d = v->domain; *s != '\0' &&
	    d < v->domain + sizeof(v->domain) - 10; s++)
		if (isalnum((unsigned char)*s))
			*d++ = tolower((unsigned char)*s);
	(void)snprintf(d, 10, ".example");

	/* What it mostly sells. */
	w = rng_below(r, 100);
	for (k = 0; k < T__MAX - 1 && (int)w >= gen_types[k].weight; k++)
		w -= gen_types[k].weight;
	v->type = (enum gen_type)k;
	do {
		v->cat = rng_below(r, GEN_NCATS);
	} while (gen_cats[v->cat].type != v->type);
}

static int
write_vendors(struct gen *g)
{
	struct sbuf	 b;
	struct rng	 r;
	struct gen_vendor *v;
	char		 biz[16], bizno[BIZNO_BUFSZ];
	size_t		 i;
	int		 day, pct;

	memset(&b, 0, sizeof(b));
	if (copy_begin(g, "COPY organisations (kind, name_ko, name_en, biz_no,"
	    " company_size, address, contact_name, contact_email,"
	    " contact_phone, website, status, created_at, updated_at,"
	    " external_ref) FROM STDIN") == -1)
		return (-1);
	for (i = 0; i < (size_t)g->o->vendors; i++) {
		r = rng_for(g->o->seed, S_VENDOR, i);
		make_vendor(g, i, &r);
		v = &g->vends[i];

		sb_puts(&b, "vendor\t");
		cp_text(&b, v->name_ko);
		cp_sep(&b, 0);
		cp_text(&b, v->name_en);
		cp_sep(&b, 0);
		/* 9xx-: no tax office uses it; the check digit is real. */
		(void)snprintf(biz, sizeof(biz), "%09zu", 900000000 + i);
		biz[9] = (char)('0' + bizno_check_digit(biz));
		biz[10] = '\0';
		if (bizno_parse(biz, bizno) != BIZNO_OK) {
			fprintf(stderr, "gureumctl: generate: business number "
			    "%s: bad check digit\n", biz);
			(void)copy_flush(g, &b, 1);
			goto fail;
		}
		sb_printf(&b, "%s\t", bizno);
		pct = (int)rng_below(&r, 100);
		sb_puts(&b, pct < 90 ? "sme\t" : pct < 97 ? "midsize\t" :
		    "large\t");
		sb_printf(&b, "%s %u\t", gen_districts[rng_below(&r,
		    NELEM(gen_districts))], 10 + rng_below(&r, 490));
		sb_printf(&b, "%s%s\t", gen_surnames[rng_below(&r,
		    NELEM(gen_surnames))], gen_given[rng_below(&r,
		    NELEM(gen_given))]);
		sb_printf(&b, "sales@%s\t", v->domain);
		sb_printf(&b, "%s-%u-%04u\t", gen_area_codes[rng_below(&r,
		    NELEM(gen_area_codes))], 200 + rng_below(&r, 7800),
		    rng_below(&r, 10000));
		sb_printf(&b, "https://www.%s\t", v->domain);
		sb_puts(&b, "approved\t");
		day = days_from_civil(2012, 1, 1) + (int)rng_below(&r, 9 * 365);
		cp_time(&b, day, (int)rng_below(&r, 86400), 0);
		cp_time(&b, day + 30, 0, 0);
		sb_printf(&b, "gen:vendor:%zu\n", i + 1);
		if (copy_flush(g, &b, 0) == -1)
			goto fail;
	}
	if (copy_flush(g, &b, 1) == -1)
		goto fail;
	free(b.p);
	return (read_ids(g, "SELECT id, substr(external_ref, 12)::bigint"
	    " FROM organisations WHERE external_ref LIKE 'gen:vendor:%'",
	    &g->vends[0].id, sizeof(g->vends[0]), (size_t)g->o->vendors));
fail:
	free(b.p);
	return (-1);
}

/*
 * Reads (id, n) rows into the id field of element n - 1 of an array of
 * count elements of size stride starting at first.
 */
static int
read_ids(struct gen *g, const char *sql, int64_t *first, size_t stride,
    size_t count)
{
	PGresult	*res;
	long long	 n;
	int		 i;

	res = PQexec(g->db, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK ||
	    (size_t)PQntuples(res) != count) {
		fprintf(stderr, "gureumctl: generate: reading ids back: %s",
		    PQresultStatus(res) != PGRES_TUPLES_OK ?
		    PQerrorMessage(g->db) : "wrong number of rows\n");
		PQclear(res);
		return (-1);
	}
	for (i = 0; i < PQntuples(res); i++) {
		n = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		if (n < 1 || (size_t)n > count) {
			PQclear(res);
			return (-1);
		}
		*(int64_t *)(void *)((char *)first + (size_t)(n - 1) * stride) =
		    strtoll(PQgetvalue(res, i, 0), NULL, 10);
	}
	PQclear(res);
	return (0);
}

/* A price in micro-won between lo and hi won, to one decimal. */
static int64_t
price(struct rng *r, int64_t lo, int64_t hi)
{
	return ((lo * 10 + (int64_t)rng_below(r, (uint32_t)((hi - lo) * 10 +
	    1))) * (MONEY_MICRO / 10));
}

static void
dim_init(struct plan *p, const char *code, const char *unit_ko,
    const char *unit_en, enum rating_aggregation agg, enum rating_model m,
    int64_t ref_units)
{
	struct rating_dimension	*d;

	d = &p->dims[p->ndims];
	memset(d, 0, sizeof(*d));
	(void)snprintf(d->code, sizeof(d->code), "%s", code);
	d->aggregation = agg;
	d->model = m;
	(void)snprintf(p->unit_ko[p->ndims], sizeof(p->unit_ko[0]), "%s",
	    unit_ko);
	(void)snprintf(p->unit_en[p->ndims], sizeof(p->unit_en[0]), "%s",
	    unit_en);
	p->ref_qty[p->ndims] = ref_units * MONEY_MICRO;
	p->ndims++;
}

/*
 * Tiers for the last dimension: up_to in whole units (the last one
 * open), each tier's price a percentage of base, flat fees in micro-won.
 */
static void
dim_tiers(struct plan *p, int64_t base, const int64_t *up_to,
    const int *pct, const int64_t *flat, size_t n)
{
	struct rating_dimension	*d;
	size_t			 i;

	d = &p->dims[p->ndims - 1];
	d->ntiers = n;
	for (i = 0; i < n; i++) {
		d->tiers[i].up_to = i + 1 < n ? up_to[i] * MONEY_MICRO :
		    RATING_UP_TO_INF;
		/* Whole tenths of a won stay exact. */
		d->tiers[i].unit_price = base / 100000 * pct[i] / 100 * 100000;
		d->tiers[i].flat_fee = flat != NULL ? flat[i] : 0;
	}
}

/*
 * The rate plan of a listing of category c: the dimensions such services
 * are sold by, prices drawn in plausible ranges, and an SLA credit
 * schedule under the availability target (micro-percent; 0: none).
 */
static void
make_plan(struct rng *r, const struct gen_cat *c, int64_t target,
    struct plan *p)
{
	static const int64_t	 st_up[] = { 1000, 10000 };
	static const int	 st_pct[] = { 100, 85, 70 };
	static const int64_t	 eg_up[] = { 100 };
	static const int	 eg_pct[] = { 0, 100 };
	static const int64_t	 user_up[] = { 50, 300, 1000 };
	static const int	 user_pct[] = { 100, 90, 80, 70 };
	static const int64_t	 vol_up[] = { 10000, 100000 };
	static const int	 vol_pct[] = { 100, 80, 60 };
	static const int	 shares[4][3] = {
		{ 10, 25, 50 }, { 5, 10, 30 }, { 3, 10, 15 }, { 10, 30, 100 }
	};
	int64_t			 flat[4], base;
	int			 k;

	memset(p, 0, sizeof(*p));
	switch (c->type) {
	case T_IAAS:
		if (c->id == 104) {
			dim_init(p, "gpu_hour", "GPU·시간", "GPU-hour",
			    RATING_AGG_SUM, RATING_MODEL_PER_UNIT, 730);
			p->dims[0].unit_price = price(r, 1800, 4200);
		} else if (c->id == 102 || c->id == 105) {
			dim_init(p, "storage_gb_month", "GB·월", "GB-month",
			    RATING_AGG_MAX, RATING_MODEL_VOLUME, 5000);
			dim_tiers(p, price(r, 20, 60), vol_up, vol_pct, NULL,
			    3);
			dim_init(p, "requests", "1만 건", "10,000 requests",
			    RATING_AGG_SUM, RATING_MODEL_PACKAGE, 2000000);
			p->dims[1].package_size = 10000 * MONEY_MICRO;
			p->dims[1].package_price = price(r, 3, 9);
			p->dims[1].package_rounding = rng_pct(r, 80) ?
			    RATING_PACKAGE_UP : RATING_PACKAGE_DOWN;
		} else {
			dim_init(p, "vcpu_hour", "vCPU·시간", "vCPU-hour",
			    RATING_AGG_SUM, RATING_MODEL_PER_UNIT, 2920);
			p->dims[0].unit_price = price(r, 25, 60);
			dim_init(p, "memory_gb_hour", "GB·시간", "GB-hour",
			    RATING_AGG_SUM, RATING_MODEL_PER_UNIT, 11680);
			p->dims[1].unit_price = price(r, 3, 8);
		}
		if (p->ndims < 3) {
			dim_init(p, "disk_gb_month", "GB·월", "GB-month",
			    RATING_AGG_MAX, RATING_MODEL_GRADUATED, 500);
			dim_tiers(p, price(r, 60, 120), st_up, st_pct, NULL, 3);
		}
		dim_init(p, "egress_gb", "GB", "GB", RATING_AGG_SUM,
		    RATING_MODEL_GRADUATED, 300);
		dim_tiers(p, price(r, 80, 130), eg_up, eg_pct, NULL, 2);
		break;
	case T_PAAS:
		if (rng_pct(r, 50)) {
			dim_init(p, "instance_hour", "인스턴스·시간",
			    "instance-hour", RATING_AGG_SUM,
			    RATING_MODEL_PER_UNIT, 1460);
			p->dims[0].unit_price = price(r, 120, 400);
		} else {
			dim_init(p, "platform", "월", "month", RATING_AGG_SUM,
			    RATING_MODEL_FLAT, 1);
			p->dims[0].fee = price(r, 70000, 400000);
			dim_init(p, "api_calls", "1천 건", "1,000 calls",
			    RATING_AGG_SUM, RATING_MODEL_PACKAGE, 1000000);
			p->dims[1].package_size = 1000 * MONEY_MICRO;
			p->dims[1].package_price = price(r, 20, 300);
			p->dims[1].package_rounding = RATING_PACKAGE_UP;
		}
		dim_init(p, "storage_gb_month", "GB·월", "GB-month",
		    RATING_AGG_MAX, RATING_MODEL_PER_UNIT, 200);
		p->dims[p->ndims - 1].unit_price = price(r, 80, 200);
		break;
	case T_SAAS:
		switch (rng_below(r, 4)) {
		case 0:		/* per user, the total's tier prices all */
			dim_init(p, "active_user", "사용자", "user",
			    RATING_AGG_UNIQUE_COUNT, RATING_MODEL_VOLUME, 100);
			dim_tiers(p, price(r, 3000, 25000), user_up, user_pct,
			    NULL, 4);
			break;
		case 1:		/* base fee in the first tier */
			base = price(r, 3000, 20000);
			flat[0] = price(r, 50000, 300000);
			flat[1] = flat[2] = flat[3] = 0;
			dim_init(p, "active_user", "사용자", "user",
			    RATING_AGG_UNIQUE_COUNT, RATING_MODEL_GRADUATED,
			    100);
			dim_tiers(p, base, user_up, user_pct, flat, 4);
			p->dims[0].charge_at_zero = 1;
			break;
		case 2:		/* subscription and storage packs */
			dim_init(p, "subscription", "월", "month",
			    RATING_AGG_SUM, RATING_MODEL_FLAT, 1);
			p->dims[0].fee = price(r, 200000, 3000000);
			dim_init(p, "storage_pack", "100GB", "100 GB",
			    RATING_AGG_MAX, RATING_MODEL_PACKAGE, 250);
			p->dims[1].package_size = 100 * MONEY_MICRO;
			p->dims[1].package_price = price(r, 10000, 30000);
			p->dims[1].package_rounding = RATING_PACKAGE_UP;
			break;
		default:	/* by transaction */
			dim_init(p, "transaction", "건", "transaction",
			    RATING_AGG_SUM, RATING_MODEL_PER_UNIT, 20000);
			p->dims[0].unit_price = price(r, 8, 60);
			break;
		}
		break;
	case T_DAAS:
		dim_init(p, "desktop", "대", "desktop", RATING_AGG_MAX,
		    RATING_MODEL_PER_UNIT, 50);
		p->dims[0].unit_price = price(r, 25000, 60000);
		if (rng_pct(r, 30)) {
			dim_init(p, "gpu_desktop", "대", "desktop",
			    RATING_AGG_MAX, RATING_MODEL_PER_UNIT, 5);
			p->dims[1].unit_price = price(r, 90000, 150000);
		}
		break;
	default:
		dim_init(p, "service_fee", "월", "month", RATING_AGG_SUM,
		    RATING_MODEL_FLAT, 1);
		p->dims[0].fee = price(r, 1000000, 15000000);
		if (rng_pct(r, 50)) {
			dim_init(p, "engineer_day", "인·일", "engineer-day",
			    RATING_AGG_SUM, RATING_MODEL_PER_UNIT, 2);
			p->dims[1].unit_price = price(r, 450000, 900000);
		}
		break;
	}

	if (target == 0)
		return;
	k = (int)rng_below(r, 4);
	p->ncredits = 3;
	p->credits[0].below = target;
	/* The next two steps: the usual lower thresholds below the target. */
	if (target > 99900000) {
		p->credits[1].below = 99900000;
		p->credits[2].below = 99500000;
	} else if (target > 99500000) {
		p->credits[1].below = 99500000;
		p->credits[2].below = 99000000;
	} else {
		p->credits[1].below = 99000000;
		p->credits[2].below = 95000000;
	}
	p->credits[0].share = shares[k][0] * MONEY_MICRO;
	p->credits[1].share = shares[k][1] * MONEY_MICRO;
	p->credits[2].share = shares[k][2] * MONEY_MICRO;
}

/*
 * Validates a plan with rating_validate() and prices it at its reference
 * quantities: the reference monthly price is the sum of the dimensions'
 * lines, each rounded half up as an invoice line would be. Returns 0 with
 * the price in *won, or -1 with the first problem in err.
 */
static int
gen_plan_check(const struct plan *p, int64_t *won, char *err, size_t errlen)
{
	struct rating_error	 e;
	size_t			 n;

	if ((n = plan_check(p, won, &e, 1)) == 0)
		return (0);
	if (n == (size_t)-1)
		(void)snprintf(err, errlen, "a dimension cannot be priced at "
		    "its reference quantity");
	else
		(void)rating_error_format(&e, "en", err, errlen);
	return (-1);
}

/*
 * Listing j as one COPY row: its vendor (the first listings give every
 * vendor one; the rest lean towards the low vendor numbers, so a few
 * vendors list hundreds of services as on G-Cloud), its type (mostly the
 * vendor's own), category, names, texts, terms and plan.
 */
static void
make_listing(struct gen *g, size_t j, struct sbuf *b)
{
	static const int64_t	 targets[] = { 99500000, 99500000, 99500000,
	    99500000, 99900000, 99900000, 99900000, 99950000, 99950000,
	    99990000 };
	static const int	 recovery[] = { 2, 4, 8 };
	static const int	 months[] = { 1, 1, 1, 1, 1, 3, 3, 6, 12, 12 };
	struct gen_listing	*l;
	struct gen_vendor	*v;
	const struct gen_cat	*c;
	const struct pair	*noun, *ed, *aud, *tr;
	struct plan		 plan;
	struct rng		 r;
	struct sbuf		 t;
	json_t			*pj;
	const char		*ko[8], *en[8], *ch[6], *trait_ko[3];
	const char		*trait_en[3];
	char			 name_ko[256], name_en[256], err[256];
	char			 refs_ko[3][256], refs_en[3][256], *js;
	size_t			 idx[8], n, k, nch;
	uint64_t		 x;
	int64_t			 target, won;
	int			 domestic, trial, h24, day, y;

	l = &g->lists[j];
	r = rng_for(g->o->seed, S_LISTING, j);
	if (j < (size_t)g->o->vendors)
		l->vendor = j;
	else {
		x = rng_below(&r, 1u << 16);
		l->vendor = (size_t)(x * x * (uint64_t)g->o->vendors >> 32);
	}
	v = &g->vends[l->vendor];
	if (rng_pct(&r, 70))
		l->type = v->type;
	else {
		k = rng_below(&r, 100);
		for (n = 0; n < T__MAX - 1 && (int)k >= gen_types[n].weight;
		    n++)
			k -= (size_t)gen_types[n].weight;
		l->type = (enum gen_type)n;
	}
	if (l->type == v->type && rng_pct(&r, 50))
		l->cat = v->cat;
	else
		do {
			l->cat = rng_below(&r, GEN_NCATS);
		} while (gen_cats[l->cat].type != l->type);
	c = &gen_cats[l->cat];
	g->ntype[l->type]++;
	noun = &c->noun[rng_below(&r, 3)];
	ed = &gen_edition[rng_below(&r, NELEM(gen_edition))];
	aud = &gen_audience[rng_below(&r, NELEM(gen_audience))];
	domestic = rng_pct(&r, 96);
	trial = rng_pct(&r, gen_types[l->type].trial);
	h24 = rng_pct(&r, 40);
	l->csap = domestic && rng_pct(&r, gen_types[l->type].csap);
	target = l->type == T_SUPPORT && c->id != 503 ? 0 :
	    targets[rng_below(&r, NELEM(targets))];
	(void)snprintf(name_ko, sizeof(name_ko), "%s %s%s", v->brand_ko,
	    noun->ko, ed->ko);
	(void)snprintf(name_en, sizeof(name_en), "%s %s%s", v->brand_en,
	    noun->en, ed->en);

	/* Two or three traits for the summary. */
	n = 0;
	if (domestic) {
		trait_ko[n] = "국내 데이터센터에서 운영합니다.";
		trait_en[n++] = "Run from data centres in Korea.";
	}
	if (l->csap) {
		trait_ko[n] = "클라우드 보안인증(CSAP)을 받았습니다.";
		trait_en[n++] = "Certified under CSAP.";
	} else if (h24) {
		trait_ko[n] = "24시간 기술 지원을 제공합니다.";
		trait_en[n++] = "Support around the clock.";
	}
	if (trial) {
		trait_ko[n] = "무료 체험으로 먼저 써 볼 수 있습니다.";
		trait_en[n++] = "Try it first for free.";
	} else if (n < 3) {
		trait_ko[n] = "기존 행정 시스템과 쉽게 연계됩니다.";
		trait_en[n++] =
		    "Connects easily to existing government systems.";
	}

	memset(&t, 0, sizeof(t));
	sb_printf(b, "%lld\t%s\t%d\t", (long long)v->id,
	    gen_types[l->type].name, c->id);
	cp_text(b, name_ko);
	cp_sep(b, 0);
	cp_text(b, name_en);
	cp_sep(b, 0);
	sb_printf(&t, "%s에서 바로 쓸 수 있는 %s 서비스입니다.", aud->ko,
	    noun->ko);
	for (k = 0; k < n; k++)
		sb_printf(&t, " %s", trait_ko[k]);
	cp_text(b, t.p);
	cp_sep(b, 0);
	t.len = 0;
	sb_printf(&t, "%s for %s, ready to use at once.", noun->en, aud->en);
	for (k = 0; k < n; k++)
		sb_printf(&t, " %s", trait_en[k]);
	cp_text(b, t.p);
	cp_sep(b, 0);
	sb_puts(b, "published\t");
	l->created = days_from_civil(2019, 1, 1) + (int)rng_below(&r,
	    (uint32_t)(g->as_of - 30 - days_from_civil(2019, 1, 1)));
	cp_time(b, l->created, (int)rng_below(&r, 86400), 0);
	day = l->created + (int)rng_below(&r, 30);
	cp_time(b, day, (int)rng_below(&r, 86400), 0);

	/* Features, benefits: in the description and as lists. */
	n = 3 + rng_below(&r, 3);
	pick(&r, 7, n, idx);
	for (k = 0; k < n; k++) {
		ko[k] = gen_features[l->type][idx[k]].ko;
		en[k] = gen_features[l->type][idx[k]].en;
	}
	t.len = 0;
	sb_printf(&t, "%s에서 바로 쓸 수 있는 %s 서비스, %s입니다.\n\n"
	    "## 주요 기능\n\n", aud->ko, noun->ko, name_ko);
	for (k = 0; k < n; k++)
		sb_printf(&t, "- %s\n", ko[k]);
	sb_printf(&t, "\n## 지원\n\n%s 전화와 이메일로 문의할 수 있습니다.\n",
	    h24 ? "24시간 365일" : "평일 업무시간에");
	cp_text(b, t.p);
	cp_sep(b, 0);
	t.len = 0;
	sb_printf(&t, "%s: %s for %s, ready to use at once.\n\n"
	    "## Features\n\n", name_en, noun->en, aud->en);
	for (k = 0; k < n; k++)
		sb_printf(&t, "- %s\n", en[k]);
	sb_printf(&t, "\n## Support\n\nBy phone and e-mail, %s.\n",
	    h24 ? "around the clock" : "on working days");
	cp_text(b, t.p);
	cp_sep(b, 0);
	cp_array(b, ko, n, 0);
	cp_array(b, en, n, 0);
	n = 2 + rng_below(&r, 2);
	pick(&r, NELEM(gen_benefits), n, idx);
	for (k = 0; k < n; k++) {
		ko[k] = gen_benefits[idx[k]].ko;
		en[k] = gen_benefits[idx[k]].en;
	}
	cp_array(b, ko, n, 0);
	cp_array(b, en, n, 0);
	n = 1 + rng_below(&r, 3);
	pick(&r, NELEM(gen_customers), n, idx);
	for (k = 0; k < n; k++) {
		ko[k] = gen_customers[idx[k]].ko;
		en[k] = gen_customers[idx[k]].en;
	}
	cp_array(b, ko, n, 0);
	cp_array(b, en, n, 0);
	n = rng_below(&r, 4);
	pick(&r, NELEM(gen_places), n, idx);
	for (k = 0; k < n; k++) {
		y = 2019 + (int)rng_below(&r, 7);
		if (rng_pct(&r, 60)) {
			(void)snprintf(refs_ko[k], sizeof(refs_ko[k]),
			    "%s청 %s 도입 (%d)", gen_places[idx[k]].ko,
			    noun->ko, y);
			(void)snprintf(refs_en[k], sizeof(refs_en[k]),
			    "%s government: %s (%d)", gen_places[idx[k]].en,
			    noun->en, y);
		} else {
			(void)snprintf(refs_ko[k], sizeof(refs_ko[k]),
			    "%s교육청 %s 도입 (%d)", gen_places[idx[k]].ko,
			    noun->ko, y);
			(void)snprintf(refs_en[k], sizeof(refs_en[k]),
			    "%s Office of Education: %s (%d)",
			    gen_places[idx[k]].en, noun->en, y);
		}
		ko[k] = refs_ko[k];
		en[k] = refs_en[k];
	}
	cp_array(b, ko, n, 0);
	cp_array(b, en, n, 0);

	/* Deployment, data centre, SLA, support. */
	k = rng_below(&r, 100);
	sb_puts(b, k < 45 ? "public\t" : k < 80 ? "community\t" :
	    k < 90 ? "private\t" : "hybrid\t");
	if (domestic)
		sb_printf(b, "domestic\t%s\t", gen_regions[rng_below(&r,
		    NELEM(gen_regions))]);
	else
		sb_printf(b, "overseas\t%s\t", gen_regions_abroad[rng_below(&r,
		    NELEM(gen_regions_abroad))]);
	if (target == 0) {
		cp_null(b, 0);
		cp_null(b, 0);
	} else {
		sb_printf(b, "%lld.%06lld\t", (long long)(target / MONEY_MICRO),
		    (long long)(target % MONEY_MICRO));
		sb_printf(b, "%d\t", recovery[rng_below(&r, NELEM(recovery))]);
	}
	sb_puts(b, h24 ? "24x7\t" : rng_pct(&r, 70) ? "business_hours\t" :
	    "extended\t");
	nch = 0;
	ch[nch++] = "phone";
	ch[nch++] = "email";
	if (rng_pct(&r, 70))
		ch[nch++] = "web";
	if (rng_pct(&r, 30))
		ch[nch++] = "chat";
	if (l->type != T_SUPPORT && rng_pct(&r, 50))
		ch[nch++] = "remote";
	if (l->type == T_SUPPORT && rng_pct(&r, 60))
		ch[nch++] = "onsite";
	cp_array(b, ch, nch, 0);
	if (trial) {
		tr = &gen_trial[rng_below(&r, NELEM(gen_trial))];
		sb_printf(b, "https://www.%s/trial/%zu\t", v->domain, j + 1);
		cp_text(b, tr->ko);
		cp_sep(b, 0);
		cp_text(b, tr->en);
		cp_sep(b, 0);
	} else
		sb_puts(b, "\t\t\t");
	sb_printf(b, "%d\t", months[rng_below(&r, NELEM(months))]);
	k = rng_below(&r, 100);
	if (l->type == T_SUPPORT)
		sb_puts(b, k < 60 ? "monthly\t" : k < 75 ? "quarterly\t" :
		    "yearly\t");
	else
		sb_puts(b, k < 55 ? "usage\t" : k < 85 ? "monthly\t" :
		    k < 90 ? "quarterly\t" : "yearly\t");
	sb_printf(b, "https://www.%s/services/%zu\t", v->domain, j + 1);

	/* The rate plan and its reference price. */
	make_plan(&r, c, target, &plan);
	if (gen_plan_check(&plan, &won, err, sizeof(err)) == -1) {
		fprintf(stderr, "gureumctl: generate: listing %zu: the "
		    "generated rate plan is invalid: %s\n", j + 1, err);
		exit(1);
	}
	if ((pj = plan_json(&plan)) == NULL ||
	    (js = json_dumps(pj, JSON_COMPACT)) == NULL)
		nomem();
	json_decref(pj);
	cp_text(b, js);
	free(js);
	sb_printf(b, "\t%lld\t1\tgen:listing:%zu\n", (long long)won, j + 1);
	free(t.p);
}

static int
write_listings(struct gen *g)
{
	struct sbuf	 b;
	size_t		 j;

	memset(&b, 0, sizeof(b));
	if (copy_begin(g, "COPY listings (vendor_id, service_type, category_id,"
	    " name_ko, name_en, summary_ko, summary_en, status, created_at,"
	    " updated_at, description_ko, description_en, features_ko,"
	    " features_en, benefits_ko, benefits_en, target_customers_ko,"
	    " target_customers_en, customer_references_ko,"
	    " customer_references_en, deployment_model, dc_location,"
	    " dc_region, availability_target, recovery_grade_hours,"
	    " support_hours, support_channels, free_trial_url,"
	    " free_trial_terms_ko, free_trial_terms_en, min_contract_months,"
	    " contract_unit, website, rate_plan, reference_monthly_price_won,"
	    " current_version, external_ref) FROM STDIN") == -1)
		return (-1);
	for (j = 0; j < (size_t)g->o->listings; j++) {
		make_listing(g, j, &b);
		if (copy_flush(g, &b, 0) == -1)
			goto fail;
	}
	if (copy_flush(g, &b, 1) == -1)
		goto fail;
	free(b.p);
	return (read_ids(g, "SELECT id, substr(external_ref, 13)::bigint"
	    " FROM listings WHERE external_ref LIKE 'gen:listing:%'",
	    &g->lists[0].id, sizeof(g->lists[0]), (size_t)g->o->listings));
fail:
	free(b.p);
	return (-1);
}

/*
 * Runs-on links: most SaaS and half the DaaS run on one of the generated
 * IaaS listings, a CSAP-certified one where there is any (CSAP requires
 * it of a certified SaaS).
 */
static int
write_links(struct gen *g)
{
	struct sbuf	 b;
	struct rng	 r;
	size_t		 j, ncsap, host;

	ncsap = 0;
	for (j = 0; j < (size_t)g->o->listings; j++)
		if (g->lists[j].type == T_IAAS && g->lists[j].csap)
			g->iaas[ncsap++] = j;
	g->niaas = ncsap;
	for (j = 0; j < (size_t)g->o->listings; j++)
		if (g->lists[j].type == T_IAAS && !g->lists[j].csap)
			g->iaas[g->niaas++] = j;
	if (g->niaas == 0)
		return (0);
	if (ncsap == 0)
		ncsap = g->niaas;

	memset(&b, 0, sizeof(b));
	if (copy_begin(g, "COPY listing_runs_on (listing_id, runs_on_id,"
	    " source, created_at) FROM STDIN") == -1)
		return (-1);
	for (j = 0; j < (size_t)g->o->listings; j++) {
		r = rng_for(g->o->seed, S_LINK, j);
		if (!(g->lists[j].type == T_SAAS && rng_pct(&r, 70)) &&
		    !(g->lists[j].type == T_DAAS && rng_pct(&r, 50)))
			continue;
		host = g->iaas[rng_below(&r, (uint32_t)ncsap)];
		sb_printf(&b, "%lld\t%lld\tgenerated\t",
		    (long long)g->lists[j].id, (long long)g->lists[host].id);
		cp_time(&b, g->lists[j].created, 0, 1);
		g->nlinks++;
		if (copy_flush(g, &b, 0) == -1)
			goto fail;
	}
	if (copy_flush(g, &b, 1) == -1)
		goto fail;
	free(b.p);
	return (0);
fail:
	free(b.p);
	return (-1);
}

/*
 * The issue day of a certificate valid for years (0: no expiry). Holders
 * renew, so most certificates are from the current validity window; the
 * rest, from 2016 on, have mostly expired without a renewal.
 */
static int
issue_day(struct gen *g, struct rng *r, int years)
{
	int	from, window;

	from = days_from_civil(2016, 1, 1);
	window = years * 365 - 60;
	if (years > 0 && rng_pct(r, 85))
		return (g->as_of - 28 - (int)rng_below(r, (uint32_t)window));
	return (from + (int)rng_below(r, (uint32_t)(g->as_of - 28 - from)));
}

/*
 * One certificate row. issue is a day number, years its validity (0: it
 * does not expire). Status: a few pending, revoked or suspended, else
 * valid or expired by GEN_AS_OF.
 */
static void
make_cert(struct gen *g, struct sbuf *b, struct rng *r, int64_t vendor,
    int64_t listing, const char *scheme, const char *csap_type,
    const char *grade, const char *number, const char *issuer, int issue,
    int years, const char *ref)
{
	const char	*status;
	int		 expiry, y, m, d, k;

	civil_from_days(issue, &y, &m, &d);
	expiry = 0;
	if (years > 0) {
		if (m == 2 && d == 29)
			d = 28;
		expiry = days_from_civil(y + years, m, d) - 1;
	}
	k = (int)rng_below(r, 1000);
	if (k < 15)
		status = "revoked";
	else if (k < 25)
		status = "suspended";
	else if (k < 125 && issue > g->as_of - 90)
		status = "pending";
	else if (years > 0 && expiry < g->as_of)
		status = "expired";
	else
		status = "valid";

	sb_printf(b, "%lld\t", (long long)vendor);
	if (listing > 0)
		sb_printf(b, "%lld\t", (long long)listing);
	else
		cp_null(b, 0);
	sb_printf(b, "%s\t", scheme);
	if (csap_type != NULL)
		sb_printf(b, "%s\t", csap_type);
	else
		cp_null(b, 0);
	if (grade != NULL)
		sb_printf(b, "%s\t", grade);
	else
		cp_null(b, 0);
	cp_text(b, number);
	cp_sep(b, 0);
	cp_text(b, issuer);
	cp_sep(b, 0);
	cp_date(b, issue, 0);
	if (years > 0)
		cp_date(b, expiry, 0);
	else
		cp_null(b, 0);
	sb_printf(b, "%s\t%s\t{}\t%s\t", ref, status, ref);
	cp_time(b, issue, 0, 0);
	cp_time(b, issue, 0, 1);
	g->ncerts++;
}

/*
 * Certificates. CSAP for the listings chosen in make_listing(): issued
 * between 2016 and 2026, valid 3 years if issued before 2019 and 5 years
 * since, graded (상/중/하) if issued since 2023; SaaS split between 표준
 * and 간편. Some SaaS and PaaS also have the quality/performance check
 * (3 years) or GS (no expiry), security services CC (5 years). A third
 * of the vendors hold a company-wide ISO/IEC 27001 (3 years).
 */
static int
write_certificates(struct gen *g)
{
	struct sbuf		 b;
	struct rng		 r;
	struct gen_listing	*l;
	const char		*type, *grade, *tshort;
	char			 num[64], ref[64];
	size_t			 j, i;
	int			 issue, y, m, d, k;

	memset(&b, 0, sizeof(b));
	if (copy_begin(g, "COPY certificates (vendor_id, listing_id, scheme,"
	    " csap_type, grade, number, issuer, issue_date, expiry_date,"
	    " evidence_ref, status, details, external_ref, created_at,"
	    " updated_at) FROM STDIN") == -1)
		return (-1);
	for (j = 0; j < (size_t)g->o->listings; j++) {
		l = &g->lists[j];
		r = rng_for(g->o->seed, S_CERT, j);
		if (l->csap) {
			type = gen_types[l->type].csap_type;
			if (type == NULL)
				type = rng_pct(&r, 60) ? "saas_standard" :
				    "saas_simple";
			tshort = strcmp(type, "iaas") == 0 ? "IaaS" :
			    strcmp(type, "daas") == 0 ? "DaaS" :
			    strcmp(type, "saas_standard") == 0 ? "SaaS-S" :
			    "SaaS-L";
			issue = issue_day(g, &r, 5);
			civil_from_days(issue, &y, &m, &d);
			grade = NULL;
			if (y >= 2023) {
				k = (int)rng_below(&r, 100);
				if (strcmp(type, "saas_simple") == 0)
					grade = "low";
				else if (strcmp(type, "iaas") == 0)
					grade = k < 60 ? "high" : "medium";
				else
					grade = k < 20 ? "high" : k < 85 ?
					    "medium" : "low";
			}
			(void)snprintf(num, sizeof(num), "CSAP-%s-%d-%05zu",
			    tshort, y, j + 1);
			(void)snprintf(ref, sizeof(ref), "gen:cert:%zu:csap",
			    j + 1);
			make_cert(g, &b, &r, g->vends[l->vendor].id, l->id,
			    "csap", type, grade, num, "한국인터넷진흥원(KISA)",
			    issue, y < 2019 ? 3 : 5, ref);
		}
		if ((l->type == T_SAAS || l->type == T_PAAS) &&
		    rng_pct(&r, 20)) {
			issue = issue_day(g, &r, 3);
			civil_from_days(issue, &y, &m, &d);
			(void)snprintf(num, sizeof(num), "TTA-CQ-%d-%05zu", y,
			    j + 1);
			(void)snprintf(ref, sizeof(ref), "gen:cert:%zu:quality",
			    j + 1);
			make_cert(g, &b, &r, g->vends[l->vendor].id, l->id,
			    "quality", NULL, NULL, num,
			    "한국정보통신기술협회(TTA)", issue, 3, ref);
		}
		if (l->type == T_SAAS && rng_pct(&r, 15)) {
			issue = issue_day(g, &r, 0);
			civil_from_days(issue, &y, &m, &d);
			(void)snprintf(num, sizeof(num), "%d-%04zu", y,
			    (j + 1) % 10000);
			(void)snprintf(ref, sizeof(ref), "gen:cert:%zu:gs",
			    j + 1);
			make_cert(g, &b, &r, g->vends[l->vendor].id, l->id,
			    "gs", NULL, NULL, num, "한국정보통신기술협회(TTA)",
			    issue, 0, ref);
		}
		k = gen_cats[l->cat].id;
		if ((k == 107 || k == 307) && rng_pct(&r, 40)) {
			issue = issue_day(g, &r, 5);
			civil_from_days(issue, &y, &m, &d);
			(void)snprintf(num, sizeof(num), "KECS-CISS-%04zu-%d",
			    (j + 1) % 10000, y);
			(void)snprintf(ref, sizeof(ref), "gen:cert:%zu:cc",
			    j + 1);
			make_cert(g, &b, &r, g->vends[l->vendor].id, l->id,
			    "cc", NULL, NULL, num, "IT보안인증사무국", issue, 5,
			    ref);
		}
		if (copy_flush(g, &b, 0) == -1)
			goto fail;
	}
	for (i = 0; i < (size_t)g->o->vendors; i++) {
		r = rng_for(g->o->seed, S_VCERT, i);
		if (!rng_pct(&r, 35))
			continue;
		issue = issue_day(g, &r, 3);
		(void)snprintf(num, sizeof(num), "IS %06zu", 100000 + i);
		(void)snprintf(ref, sizeof(ref), "gen:cert:v%zu:iso27001",
		    i + 1);
		make_cert(g, &b, &r, g->vends[i].id, 0, "iso27001", NULL,
		    NULL, num, gen_iso_issuers[rng_below(&r,
		    NELEM(gen_iso_issuers))], issue, 3, ref);
		if (copy_flush(g, &b, 0) == -1)
			goto fail;
	}
	if (copy_flush(g, &b, 1) == -1)
		goto fail;
	free(b.p);
	return (0);
fail:
	free(b.p);
	return (-1);
}

/* Version 1 of every generated listing, as the listing is now. */
static int
write_versions(struct gen *g)
{
	return (exec_ok(g->db, "INSERT INTO listing_versions (listing_id,"
	    " version, document, rate_plan, created_at, reason)"
	    " SELECT l.id, 1, listing_document(l), l.rate_plan, l.created_at,"
	    " 'generated catalog' FROM listings l"
	    " WHERE l.external_ref LIKE 'gen:listing:%'", "versions") ? 0 : -1);
}

static int
write_audit(struct gen *g, double secs)
{
	PGresult	*res;
	json_t		*sum;
	const char	*params[1];
	char		*js;
	int		 ok;

	sum = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}",
	    "seed", (json_int_t)g->o->seed, "vendors",
	    (json_int_t)g->o->vendors, "listings", (json_int_t)g->o->listings,
	    "certificates", (json_int_t)g->ncerts, "links",
	    (json_int_t)g->nlinks, "replaced_listings",
	    (json_int_t)g->removed_listings, "replaced_vendors",
	    (json_int_t)g->removed_vendors, "milliseconds", (int)(secs * 1000));
	if (sum == NULL || (js = json_dumps(sum, JSON_COMPACT)) == NULL)
		nomem();
	json_decref(sum);
	params[0] = js;
	res = PQexecParams(g->db, "INSERT INTO audit_events (action,"
	    " object_type, object_id, summary) VALUES ('catalog_generated',"
	    " 'catalog_source', 'generated', $1::jsonb)", 1, NULL, params,
	    NULL, NULL, 0);
	free(js);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "gureumctl: generate: audit: %s",
		    PQerrorMessage(g->db));
	PQclear(res);
	return (ok ? 0 : -1);
}

/*
 * `generate --check`: every listing's stored rate plan, read back,
 * validated and priced; the reference price must be what is stored.
 * Returns 0 if all are fine, -1 after naming each that is not.
 */
static int
check_plans(PGconn *db)
{
	PGresult	*res;
	json_t		*plan;
	json_error_t	 jerr;
	struct plan	 p;
	struct plan_perr perr;
	char		 err[256];
	const char	*ref;
	int64_t		 won;
	long		 bad;
	int		 i;

	res = PQexec(db, "SELECT id, coalesce(external_ref, ''), rate_plan,"
	    " reference_monthly_price_won FROM listings"
	    " WHERE rate_plan IS NOT NULL ORDER BY id");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: generate: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	bad = 0;
	for (i = 0; i < PQntuples(res); i++) {
		ref = PQgetvalue(res, i, 1);
		err[0] = '\0';
		plan = json_loads(PQgetvalue(res, i, 2), 0, &jerr);
		if (plan == NULL)
			(void)snprintf(err, sizeof(err), "%s", jerr.text);
		else if (plan_parse(plan, &p, &perr) == -1)
			(void)snprintf(err, sizeof(err), "%s: %s (dimension %d,"
			    " tier %d, credit step %d)", plan_perr_name(
			    perr.code), perr.key, perr.dimension + 1,
			    perr.tier + 1, perr.credit + 1);
		else if (gen_plan_check(&p, &won, err, sizeof(err)) == 0 &&
		    (PQgetisnull(res, i, 3) ||
		    won != strtoll(PQgetvalue(res, i, 3), NULL, 10)))
			(void)snprintf(err, sizeof(err), "reference price "
			    "%s won stored, %lld computed",
			    PQgetisnull(res, i, 3) ? "no" :
			    PQgetvalue(res, i, 3), (long long)won);
		json_decref(plan);
		if (err[0] != '\0') {
			fprintf(stderr, "gureumctl: generate: listing %s %s: "
			    "%s\n", PQgetvalue(res, i, 0), ref, err);
			bad++;
		}
	}
	printf("generate: checked %d rate plans, %ld invalid\n",
	    PQntuples(res), bad);
	PQclear(res);
	return (bad == 0 ? 0 : -1);
}
