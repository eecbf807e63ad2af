/*
 * bundle_fixtures.h - evidence bundles as the sealer's SQL assembles them
 * (evidence_bundle_input() in sql/0022_evidence.sql), shared by
 * test_bundle.c and test_invoicepdf.c. The line amounts are computed by
 * hand from docs/billing.md's rules, in the comments.
 */

#ifndef BUNDLE_FIXTURES_H
#define BUNDLE_FIXTURES_H

#define PLAN \
	"{\"dimensions\": [" \
	"{\"code\": \"vcpu_hour\", \"unit_ko\": \"vCPU시간\"," \
	" \"unit_en\": \"vCPU hour\", \"aggregation\": \"sum\"," \
	" \"model\": \"graduated\", \"charge_at_zero\": true," \
	" \"reference_quantity\": \"720\", \"tiers\": [" \
	"  {\"up_to\": \"10\", \"unit_price\": \"10\", \"flat_fee\": \"2\"}," \
	"  {\"up_to\": \"20\", \"unit_price\": \"5\", \"flat_fee\": \"3\"}," \
	"  {\"up_to\": null, \"unit_price\": \"5\", \"flat_fee\": \"3\"}]}," \
	"{\"code\": \"storage_gb_month\", \"unit_ko\": \"GB월\"," \
	" \"unit_en\": \"GB-month\", \"aggregation\": \"max\"," \
	" \"model\": \"per_unit\", \"unit_price\": \"100.5\"," \
	" \"reference_quantity\": \"100\"}," \
	"{\"code\": \"support\", \"unit_ko\": \"월\", \"unit_en\": \"month\"," \
	" \"aggregation\": \"sum\", \"model\": \"flat\", \"fee\": 100000," \
	" \"reference_quantity\": \"1\"}]," \
	" \"credits\": [{\"below\": \"99.5\", \"share\": \"10\"}," \
	" {\"below\": \"99\", \"share\": \"25\"}]}"

/*
 * The invoice for October 2026 of a contract that starts on the 11th
 * (21 of 31 days; 40,000,000 invoiced before, all in 2025, and the 2026 split of
 * 60,000,000 untouched, so both limits leave exactly 60,000,000): vCPU 21 h graduated = 100 + 2 + 50 + 3 + 5 + 3 = 163;
 * storage 12.5 GB x 100.5 = 1,256.25 -> 1,256; support 100,000 x 21/31 =
 * 67,741.935... -> 67,742; charge 69,161; availability 99.4% -> 10% ->
 * -6,916 (6,916.1); an adjustment of +50 for September; 공급가액 62,295,
 * 부가세 6,229, 합계 68,524. The plan above holds a JSON integer, as a
 * stored plan may: bundle_finish() rewrites it as a decimal string.
 */
static const char *const invoice_input =
	"{\"format\": \"gureum-invoice-evidence/1\","
	" \"invoice\": {\"id\": \"41\", \"kind\": \"invoice\","
	"  \"number\": \"1234567890-2026-000007\", \"seq\": \"7\","
	"  \"month\": \"2026-10\", \"fiscal_year\": \"2026\","
	"  \"issued_at\": \"2026-11-04T00:00:00Z\", \"rounding\": \"half_up\"},"
	" \"contract\": {\"id\": \"5\", \"version\": \"1\","
	"  \"title\": \"민원 포털 \\\"클라우드\\\" 전환\\n2단계\","
	"  \"agency\": {\"id\": \"3\", \"name_ko\": \"행정안전부\","
	"   \"name_en\": \"Ministry of the Interior and Safety\","
	"   \"biz_no\": null},"
	"  \"vendor\": {\"id\": \"1\", \"name_ko\": \"한빛클라우드\","
	"   \"name_en\": \"Hanbit Cloud\", \"biz_no\": \"123-45-67890\"},"
	"  \"start\": \"2026-10-11\", \"end\": \"2027-12-31\","
	"  \"ceiling_won\": \"100000000\","
	"  \"fy_split\": {\"2026\": \"60000000\", \"2027\": \"40000000\"},"
	"  \"rounding\": \"half_up\","
	"  \"listing\": {\"id\": \"24\", \"version\": \"2\"},"
	"  \"document_sha256\": null},"
	" \"contract_hash\": \"\", \"rate_plan\": " PLAN ","
	" \"rate_plan_hash\": \"\","
	" \"usage\": {\"chain_head\": "
	"  \"97cd47fb52cb8f9c2904b3252b6f5db5a0bf27be9636d4f67f914053cce90fdf\","
	"  \"chain_seq\": \"3\", \"dimensions\": ["
	"  {\"code\": \"vcpu_hour\", \"aggregation\": \"sum\","
	"   \"quantity\": \"21\", \"records\": \"12\"},"
	"  {\"code\": \"storage_gb_month\", \"aggregation\": \"max\","
	"   \"quantity\": \"12.5\", \"records\": \"4\"},"
	"  {\"code\": \"support\", \"aggregation\": \"sum\","
	"   \"quantity\": \"0\", \"records\": \"0\"}]},"
	" \"availability\": \"99.4\", \"sla_share\": \"0\","
	" \"adjustments\": [{\"month\": \"2026-09\","
	"  \"dimension\": \"vcpu_hour\", \"amount_won\": \"50\"}],"
	" \"ceiling\": {\"contract_won\": \"100000000\","
	"  \"invoiced_won\": \"40000000\", \"fy_ceiling_won\": \"60000000\","
	"  \"fy_invoiced_won\": \"0\", \"remaining_won\": \"60000000\"},"
	" \"lines\": ["
	"  {\"no\": \"1\", \"kind\": \"usage\", \"dimension\": \"vcpu_hour\","
	"   \"quantity\": \"21\", \"amount_won\": \"163\","
	"   \"adjusts_month\": null, \"label_ko\": \"vCPU시간\","
	"   \"label_en\": \"vCPU hour\", \"breakdown\": []},"
	"  {\"no\": \"2\", \"kind\": \"usage\","
	"   \"dimension\": \"storage_gb_month\", \"quantity\": \"12.5\","
	"   \"amount_won\": \"1256\", \"adjusts_month\": null,"
	"   \"label_ko\": \"GB월\", \"label_en\": \"GB-month\","
	"   \"breakdown\": []},"
	"  {\"no\": \"3\", \"kind\": \"usage\", \"dimension\": \"support\","
	"   \"quantity\": \"0\", \"amount_won\": \"67742\","
	"   \"adjusts_month\": null, \"label_ko\": \"월\","
	"   \"label_en\": \"month\", \"breakdown\": []},"
	"  {\"no\": \"4\", \"kind\": \"sla_credit\", \"dimension\": null,"
	"   \"quantity\": null, \"amount_won\": \"-6916\","
	"   \"adjusts_month\": null, \"label_ko\": \"SLA 크레딧\","
	"   \"label_en\": \"SLA credit\", \"breakdown\": []},"
	"  {\"no\": \"5\", \"kind\": \"adjustment\","
	"   \"dimension\": \"vcpu_hour\", \"quantity\": \"23\","
	"   \"amount_won\": \"50\", \"adjusts_month\": \"2026-09\","
	"   \"label_ko\": \"전월 조정\", \"label_en\": \"prior-period "
	"adjustment\", \"breakdown\": []}],"
	" \"totals\": {\"supply_won\": \"62295\", \"vat_won\": \"6229\","
	"  \"total_won\": \"68524\"},"
	" \"corrects\": null,"
	" \"prev_hash\": "
	"  \"94f31fe6aed3a55fbb7c6c91c772211110b5f9dfb8d9b21af135eccf75fc5f6f\","
	" \"marketplace_key\": \"\"}";

/* The rules' ceiling example: 770,000 of 1,100,000 invoiced, 500,000. */
static const char *const capped_input =
	"{\"format\": \"gureum-invoice-evidence/1\","
	" \"invoice\": {\"id\": \"42\", \"kind\": \"invoice\","
	"  \"number\": \"N-8\", \"seq\": \"8\", \"month\": \"2026-12\","
	"  \"fiscal_year\": \"2026\", \"issued_at\": \"2027-01-04T00:00:00Z\","
	"  \"rounding\": \"down\"},"
	" \"contract\": {\"id\": \"6\", \"version\": \"2\", \"title\": \"t\","
	"  \"agency\": {\"id\": \"3\", \"name_ko\": \"가\", \"name_en\": \"\","
	"   \"biz_no\": null},"
	"  \"vendor\": {\"id\": \"1\", \"name_ko\": \"나\", \"name_en\": \"\","
	"   \"biz_no\": \"123-45-67890\"},"
	"  \"start\": \"2026-01-01\", \"end\": \"2026-12-31\","
	"  \"ceiling_won\": \"1100000\", \"fy_split\": {},"
	"  \"rounding\": \"down\","
	"  \"listing\": {\"id\": \"24\", \"version\": \"1\"},"
	"  \"document_sha256\": \"00ff\"},"
	" \"contract_hash\": \"\","
	" \"rate_plan\": {\"dimensions\": [{\"code\": \"api_call\","
	"  \"unit_ko\": \"호출\", \"aggregation\": \"sum\","
	"  \"model\": \"per_unit\", \"unit_price\": \"0.5\","
	"  \"reference_quantity\": \"1\"}],"
	"  \"credits\": [{\"below\": \"99.9\", \"share\": \"5\"}]},"
	" \"rate_plan_hash\": \"\","
	" \"usage\": {\"chain_head\": null, \"chain_seq\": \"0\","
	"  \"dimensions\": [{\"code\": \"api_call\", \"aggregation\": \"sum\","
	"  \"quantity\": \"1000000.999999\", \"records\": \"2\"}]},"
	" \"availability\": null, \"sla_share\": \"0\", \"adjustments\": [],"
	" \"ceiling\": {\"contract_won\": \"1100000\","
	"  \"invoiced_won\": \"770000\", \"fy_ceiling_won\": null,"
	"  \"fy_invoiced_won\": \"770000\", \"remaining_won\": \"330000\"},"
	" \"lines\": ["
	"  {\"no\": \"1\", \"kind\": \"usage\", \"dimension\": \"api_call\","
	"   \"quantity\": \"1000000.999999\", \"amount_won\": \"500000\","
	"   \"adjusts_month\": null, \"label_ko\": \"호출\","
	"   \"label_en\": \"\", \"breakdown\": []},"
	"  {\"no\": \"2\", \"kind\": \"ceiling_cap\", \"dimension\": null,"
	"   \"quantity\": null, \"amount_won\": \"-200000\","
	"   \"adjusts_month\": null,"
	"   \"label_ko\": \"계약금액 한도 초과분 차감\","
	"   \"label_en\": \"ceiling cap\", \"breakdown\": []}],"
	" \"totals\": {\"supply_won\": \"300000\", \"vat_won\": \"30000\","
	"  \"total_won\": \"330000\"},"
	" \"corrects\": null, \"prev_hash\": null, \"marketplace_key\": \"\"}";

/* A credit note of 1,000 won (+ VAT) against invoice 41. */
static const char *const credit_input =
	"{\"format\": \"gureum-invoice-evidence/1\","
	" \"invoice\": {\"id\": \"43\", \"kind\": \"credit_note\","
	"  \"number\": \"N-9\", \"seq\": \"9\", \"month\": \"2026-10\","
	"  \"fiscal_year\": \"2026\", \"issued_at\": \"2026-11-20T00:00:00Z\","
	"  \"rounding\": \"half_up\"},"
	" \"contract\": {\"id\": \"5\", \"version\": \"1\", \"title\": \"t\","
	"  \"agency\": {\"id\": \"3\", \"name_ko\": \"가\", \"name_en\": \"\","
	"   \"biz_no\": null},"
	"  \"vendor\": {\"id\": \"1\", \"name_ko\": \"나\", \"name_en\": \"\","
	"   \"biz_no\": \"123-45-67890\"},"
	"  \"start\": \"2026-10-11\", \"end\": \"2027-12-31\","
	"  \"ceiling_won\": \"100000000\", \"fy_split\": {},"
	"  \"rounding\": \"half_up\","
	"  \"listing\": {\"id\": \"24\", \"version\": \"2\"},"
	"  \"document_sha256\": null},"
	" \"contract_hash\": \"\", \"rate_plan\": " PLAN ","
	" \"rate_plan_hash\": \"\", \"usage\": null, \"availability\": null,"
	" \"sla_share\": \"0\", \"adjustments\": [],"
	" \"ceiling\": {\"contract_won\": \"100000000\","
	"  \"invoiced_won\": \"68524\", \"fy_ceiling_won\": null,"
	"  \"fy_invoiced_won\": \"68524\", \"remaining_won\": \"99931476\"},"
	" \"lines\": [{\"no\": \"1\", \"kind\": \"credit\","
	"  \"dimension\": \"vcpu_hour\", \"quantity\": null,"
	"  \"amount_won\": \"-1000\", \"adjusts_month\": null,"
	"  \"label_ko\": \"이의 인정\", \"label_en\": \"dispute upheld\","
	"  \"breakdown\": []}],"
	" \"totals\": {\"supply_won\": \"-1000\", \"vat_won\": \"-100\","
	"  \"total_won\": \"-1100\"},"
	" \"corrects\": {\"id\": \"41\", \"number\": \"1234567890-2026-000007\","
	"  \"total_won\": \"68524\", \"credited_won\": \"0\","
	"  \"bundle_hash\": "
	"  \"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319\"},"
	" \"prev_hash\": "
	"  \"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319\","
	" \"marketplace_key\": \"\"}";

#endif
