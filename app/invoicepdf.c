/*
 * invoicepdf.c - an invoice or credit note as a Korean PDF (see
 * invoicepdf.h).  One A4 page in the usual case: title and number, the
 * 공급자 / 공급받는자 boxes, the contract, the three totals, the lines
 * with their tier breakdown (continued on further pages with the table
 * header repeated), and the evidence box with the bundle hash.  Every
 * amount comes from the bundle as a decimal string and is only grouped
 * for reading (money.c), never recomputed here.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "invoicepdf.h"
#include "money.h"

#define PW		595.0f
#define PH		842.0f
#define ML		40.0f
#define MR		(PW - 40.0f)
#define TOP		(PH - 40.0f)
#define BOTTOM		60.0f
#define TEXT_MAX	1024

/* Table columns: No., item, quantity, amount (right edges for numbers). */
#define C_NO		(ML + 4)
#define C_ITEM		(ML + 30)
#define C_QTY_R		(ML + 380)
#define C_AMT_R		(MR - 4)

struct ip {
	HPDF_Doc	 pdf;
	HPDF_Page	 page;
	HPDF_Font	 font;
	float		 y;
	int		 npage;
	int		 failed;
	int		 in_table;
	char		*err;
	size_t		 errlen;
	char		 footer[200];
};

static void	 ip_error(HPDF_STATUS, HPDF_STATUS, void *);
static int	 ip_page(struct ip *);
static int	 ip_need(struct ip *, float);
static void	 ip_text(struct ip *, float, float, float, const char *);
static void	 ip_right(struct ip *, float, float, float, const char *);
static void	 ip_fit(struct ip *, float, float, float, float,
		    const char *);
static void	 ip_gray(struct ip *, float);
static void	 ip_box(struct ip *, float, float, float, float);
static void	 ip_label(struct ip *, float, float, const char *,
		    const char *);
static void	 ip_table_head(struct ip *);
static const char *sv(const json_t *, const char *);
static const char *won(const char *, char *, size_t);
static const char *qty(const char *, char *, size_t);
static const char *status_label(const char *, char *, size_t);
static int	 ip_party(struct ip *, float, float, const json_t *,
		    const char *, const char *, int);
static int	 ip_lines(struct ip *, const json_t *, const json_t *);

/* A string member or "" (never NULL). */
static const char *
sv(const json_t *o, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(o, key));
	return (s != NULL ? s : "");
}

/* Whole won with thousands separators, or the text as it is. */
static const char *
won(const char *s, char *buf, size_t len)
{
	int64_t	v;

	if (money_parse_won(s, MONEY_PARSE_NEGATIVE, &v) != MONEY_OK ||
	    money_format_won(v, MONEY_FMT_GROUP, buf, len) != MONEY_OK)
		(void)snprintf(buf, len, "%s", s);
	return (buf);
}

/*
 * A decimal (any number of places: exact amounts have 12) with thousands
 * separators in its integer part; anything else as it is.
 */
static const char *
qty(const char *s, char *buf, size_t len)
{
	size_t	i, n, digits, o;

	n = strlen(s);
	i = s[0] == '-' ? 1 : 0;
	digits = strspn(s + i, "0123456789");
	if (digits == 0 || (s[i + digits] != '\0' && s[i + digits] != '.') ||
	    n + digits / 3 + 1 > len) {
		(void)snprintf(buf, len, "%s", s);
		return (buf);
	}
	o = 0;
	if (i == 1)
		buf[o++] = '-';
	for (n = 0; n < digits; n++) {
		if (n > 0 && (digits - n) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = s[i + n];
	}
	(void)snprintf(buf + o, len - o, "%s", s + i + digits);
	return (buf);
}

/* The Korean name of an invoice state, with the stored one. */
static const char *
status_label(const char *st, char *buf, size_t len)
{
	static const char *const names[][2] = {
		{ "draft", "초안" }, { "issued", "발행" },
		{ "accepted", "검수 완료" }, { "disputed", "이의 제기" },
		{ "paid", "지급 완료" },
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(names[i][0], st) == 0) {
			(void)snprintf(buf, len, "%s %s", names[i][1], st);
			return (buf);
		}
	}
	(void)snprintf(buf, len, "%s", st);
	return (buf);
}

int
invoicepdf_render(const json_t *b, const json_t *meta, const char *font_path,
    unsigned char **out, size_t *outlen, char *err, size_t errlen)
{
	struct ip	 d;
	const json_t	*inv, *ct, *t, *c, *cl;
	const char	*name, *status, *hash, *kind;
	char		 buf[TEXT_MAX], w1[MONEY_FMT_MAX], w2[MONEY_FMT_MAX];
	char		 w3[MONEY_FMT_MAX];
	float		 top, colw;
	HPDF_UINT32	 size;
	unsigned char	*data;
	int		 credit_note, draft, i;

	*out = NULL;
	*outlen = 0;
	memset(&d, 0, sizeof(d));
	d.err = err;
	d.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	inv = json_object_get(b, "invoice");
	ct = json_object_get(b, "contract");
	t = json_object_get(b, "totals");
	if (!json_is_object(b) || !json_is_object(inv) ||
	    !json_is_object(ct) || !json_is_object(t)) {
		(void)snprintf(err, errlen, "bundle: no invoice, contract or "
		    "totals");
		return (-1);
	}
	status = sv(meta, "status");
	hash = sv(meta, "bundle_hash");
	kind = sv(inv, "kind");
	credit_note = strcmp(kind, "credit_note") == 0;
	draft = strcmp(status, "draft") == 0;

	if ((d.pdf = HPDF_New(ip_error, &d)) == NULL) {
		(void)snprintf(err, errlen, "libharu: out of memory");
		return (-1);
	}
	HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(d.pdf);
	HPDF_SetCurrentEncoder(d.pdf, "UTF-8");
	if ((name = HPDF_LoadTTFontFromFile(d.pdf, font_path, HPDF_TRUE)) ==
	    NULL || (d.font = HPDF_GetFont(d.pdf, name, "UTF-8")) == NULL) {
		if (err != NULL && err[0] == '\0')
			(void)snprintf(err, errlen, "font %s", font_path);
		HPDF_Free(d.pdf);
		return (-1);
	}
	(void)snprintf(buf, sizeof(buf), "%s %s", credit_note ? "감액 청구서" :
	    "청구서", sv(inv, "number"));
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_TITLE, buf);
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_CREATOR, "Gureum");
	(void)snprintf(d.footer, sizeof(d.footer), "구름 Gureum · %s %s",
	    credit_note ? "감액 청구서 Credit note" : "청구서 Invoice",
	    draft ? "(초안 draft)" : sv(inv, "number"));
	if (ip_page(&d) == -1)
		goto fail;

	/* Title, number, month. */
	ip_text(&d, ML, d.y - 22, 22, credit_note ? "감액 청구서" : "청구서");
	ip_text(&d, ML, d.y - 38, 10, credit_note ?
	    "Credit note (a correction of an issued invoice)" :
	    "Invoice (공급가액 · 부가세 · 합계, 세금계산서 형식)");
	if (draft) {
		HPDF_Page_SetRGBFill(d.page, 0.75f, 0.1f, 0.1f);
		ip_text(&d, ML + 150, d.y - 22, 16, "초안 · DRAFT");
		ip_gray(&d, 0);
	}
	top = d.y;
	ip_label(&d, MR - 200, top - 8, "번호", "Number");
	ip_right(&d, MR, top - 12, 10, draft ? "—" : sv(inv, "number"));
	ip_label(&d, MR - 200, top - 30, "청구월", "Month");
	ip_right(&d, MR, top - 34, 10, sv(inv, "month"));
	ip_label(&d, MR - 200, top - 52, "상태", "Status");
	ip_right(&d, MR, top - 56, 10, status_label(status, buf,
	    sizeof(buf)));
	d.y = top - 70;
	if (draft) {
		ip_text(&d, ML, d.y, 9, "발행 전 초안입니다: 유예 기간 중 사용량이 "
		    "들어오면 금액이 바뀝니다. / Not issued: amounts may change "
		    "during the grace period.");
		d.y -= 14;
	}

	/* 공급자 and 공급받는자. */
	colw = (MR - ML - 10) / 2;
	top = d.y;
	if (ip_party(&d, ML, top, json_object_get(ct, "vendor"), "공급자",
	    "Supplier", 1) == -1 ||
	    ip_party(&d, ML + colw + 10, top, json_object_get(ct, "agency"),
	    "공급받는자", "Buyer", 0) == -1)
		goto fail;
	d.y = top - 92;

	/* The contract. */
	ip_label(&d, ML, d.y, "계약", "Contract");
	(void)snprintf(buf, sizeof(buf), "#%s %s", sv(ct, "id"),
	    sv(ct, "title"));
	ip_fit(&d, ML + 70, d.y - 4, MR - ML - 70, 10, buf);
	d.y -= 24;
	ip_label(&d, ML, d.y, "계약기간", "Period");
	(void)snprintf(buf, sizeof(buf), "%s ~ %s", sv(ct, "start"),
	    sv(ct, "end"));
	ip_text(&d, ML + 70, d.y - 4, 10, buf);
	ip_label(&d, ML + 270, d.y, "계약금액", "Ceiling (VAT incl.)");
	(void)snprintf(buf, sizeof(buf), "%s원", won(sv(ct, "ceiling_won"),
	    w1, sizeof(w1)));
	ip_right(&d, MR, d.y - 4, 10, buf);
	d.y -= 24;
	c = json_object_get(b, "ceiling");
	if (json_is_object(c) && !credit_note) {
		ip_label(&d, ML, d.y, "이번 청구 전 잔액",
		    "Ceiling left before this invoice");
		(void)snprintf(buf, sizeof(buf), "%s원", won(sv(c,
		    "remaining_won"), w1, sizeof(w1)));
		ip_right(&d, MR, d.y - 4, 10, buf);
		d.y -= 24;
	}
	cl = json_object_get(b, "corrects");
	if (credit_note && json_is_object(cl)) {
		ip_label(&d, ML, d.y, "수정 대상 청구서", "Corrects invoice");
		(void)snprintf(buf, sizeof(buf), "%s (#%s, 합계 %s원)",
		    sv(cl, "number"), sv(cl, "id"), won(sv(cl, "total_won"), w1,
		    sizeof(w1)));
		ip_text(&d, ML + 110, d.y - 4, 10, buf);
		d.y -= 24;
	}

	/* The totals. */
	d.y -= 4;
	colw = (MR - ML) / 3;
	ip_box(&d, ML, d.y - 44, MR - ML, 44);
	for (i = 1; i < 3; i++) {
		HPDF_Page_MoveTo(d.page, ML + colw * i, d.y);
		HPDF_Page_LineTo(d.page, ML + colw * i, d.y - 44);
		HPDF_Page_Stroke(d.page);
	}
	ip_label(&d, ML + 6, d.y - 4, "공급가액", "Supply amount");
	ip_label(&d, ML + colw + 6, d.y - 4, "세액 (부가세)", "VAT");
	ip_label(&d, ML + colw * 2 + 6, d.y - 4, "합계금액", "Total");
	(void)snprintf(buf, sizeof(buf), "%s원", won(sv(t, "supply_won"), w1,
	    sizeof(w1)));
	ip_right(&d, ML + colw - 6, d.y - 38, 13, buf);
	(void)snprintf(buf, sizeof(buf), "%s원", won(sv(t, "vat_won"), w2,
	    sizeof(w2)));
	ip_right(&d, ML + colw * 2 - 6, d.y - 38, 13, buf);
	(void)snprintf(buf, sizeof(buf), "%s원", won(sv(t, "total_won"), w3,
	    sizeof(w3)));
	ip_right(&d, MR - 6, d.y - 38, 13, buf);
	d.y -= 60;

	/* The lines. */
	if (ip_lines(&d, b, json_object_get(b, "lines")) == -1)
		goto fail;

	/* The evidence. */
	d.y -= 10;
	if (ip_need(&d, 110) == -1)
		goto fail;
	ip_box(&d, ML, d.y - 96, MR - ML, 96);
	d.y -= 4;
	ip_label(&d, ML + 6, d.y, "증빙 해시 (BLAKE2b-256)", "Evidence hash");
	ip_text(&d, ML + 150, d.y - 4, 8, hash[0] != '\0' ? hash : draft ?
	    "없음: 초안은 봉인되지 않습니다 / none: drafts are not sealed" :
	    "봉인 대기 중 / seal pending");
	d.y -= 22;
	ip_label(&d, ML + 6, d.y, "이전 청구서 해시", "Previous invoice");
	ip_text(&d, ML + 150, d.y - 4, 8, json_is_string(json_object_get(b,
	    "prev_hash")) ? sv(b, "prev_hash") : "없음 / none (the contract's "
	    "first)");
	d.y -= 22;
	ip_label(&d, ML + 6, d.y, "서명 키 (Ed25519)", "Marketplace key");
	ip_text(&d, ML + 150, d.y - 4, 8, sv(b, "marketplace_key")[0] != '\0' ?
	    sv(b, "marketplace_key") : "—");
	d.y -= 22;
	ip_label(&d, ML + 6, d.y, "검증 방법", "How to verify");
	ip_text(&d, ML + 150, d.y - 4, 8, "gureumctl verify-invoice "
	    "evidence.json --key <key>  (/invoices/:id/evidence.json)");
	d.y -= 22;

	if (d.failed || HPDF_SaveToStream(d.pdf) != HPDF_OK)
		goto fail;
	size = HPDF_GetStreamSize(d.pdf);
	if ((data = malloc(size > 0 ? size : 1)) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (HPDF_ReadFromStream(d.pdf, data, &size) != HPDF_OK &&
	    HPDF_GetError(d.pdf) != HPDF_STREAM_EOF) {
		free(data);
		goto fail;
	}
	HPDF_Free(d.pdf);
	*out = data;
	*outlen = size;
	return (0);
fail:
	if (err != NULL && err[0] == '\0')
		(void)snprintf(err, errlen, "libharu: error %04X",
		    (unsigned)HPDF_GetError(d.pdf));
	HPDF_Free(d.pdf);
	return (-1);
}

/* One party's box: registration number, name (Korean, English). */
static int
ip_party(struct ip *d, float x, float top, const json_t *p, const char *ko,
    const char *en, int vendor)
{
	float	w;
	char	buf[TEXT_MAX];

	w = (MR - ML - 10) / 2;
	ip_box(d, x, top - 84, w, 84);
	HPDF_Page_SetRGBFill(d->page, 0.93f, 0.93f, 0.93f);
	HPDF_Page_Rectangle(d->page, x, top - 20, w, 20);
	HPDF_Page_Fill(d->page);
	ip_gray(d, 0);
	(void)snprintf(buf, sizeof(buf), "%s  %s", ko, en);
	ip_text(d, x + 6, top - 14, 10, buf);
	ip_label(d, x + 6, top - 24, vendor ? "등록번호" : "고유번호",
	    vendor ? "Business no." : "Registration no.");
	ip_text(d, x + 80, top - 28, 10, sv(p, "biz_no")[0] != '\0' ?
	    sv(p, "biz_no") : "—");
	ip_label(d, x + 6, top - 46, vendor ? "상호" : "기관명", "Name");
	ip_fit(d, x + 80, top - 50, w - 86, 10, sv(p, "name_ko"));
	ip_fit(d, x + 80, top - 64, w - 86, 8, sv(p, "name_en"));
	return (d->failed ? -1 : 0);
}

/* The lines table, with each usage line's tier breakdown under it. */
static int
ip_lines(struct ip *d, const json_t *b, const json_t *lines)
{
	const json_t	*line, *part;
	const char	*dim, *unit;
	char		 buf[TEXT_MAX], a[MONEY_FMT_MAX], q[MONEY_FMT_MAX];
	char		 u[MONEY_FMT_MAX], f[MONEY_FMT_MAX], e[MONEY_FMT_MAX];
	size_t		 i, j, k;
	json_t		*dims;

	dims = json_object_get(json_object_get(b, "rate_plan"), "dimensions");
	if (ip_need(d, 60) == -1)
		return (-1);
	ip_table_head(d);
	d->in_table = 1;
	json_array_foreach(lines, i, line) {
		if (ip_need(d, 26) == -1)
			return (-1);
		ip_text(d, C_NO, d->y - 11, 9, sv(line, "no"));
		ip_fit(d, C_ITEM, d->y - 11, C_QTY_R - C_ITEM - 90, 9,
		    sv(line, "label_ko"));
		ip_gray(d, 0.35f);
		(void)snprintf(buf, sizeof(buf), "%s%s%s", sv(line, "label_en"),
		    sv(line, "adjusts_month")[0] != '\0' ? " · " : "",
		    sv(line, "adjusts_month"));
		ip_fit(d, C_ITEM, d->y - 21, C_QTY_R - C_ITEM - 90, 7, buf);
		ip_gray(d, 0);
		dim = sv(line, "dimension");
		unit = "";
		json_array_foreach(dims, k, part) {
			if (strcmp(sv(part, "code"), dim) == 0)
				unit = sv(part, "unit_ko");
		}
		if (json_is_string(json_object_get(line, "quantity"))) {
			(void)snprintf(buf, sizeof(buf), "%s %s",
			    qty(sv(line, "quantity"), q, sizeof(q)), unit);
			ip_right(d, C_QTY_R, d->y - 11, 9, buf);
		}
		ip_right(d, C_AMT_R, d->y - 11, 9, won(sv(line, "amount_won"),
		    a, sizeof(a)));
		d->y -= 26;
		if (strcmp(sv(line, "kind"), "sla_credit") == 0 &&
		    json_is_string(json_object_get(b, "availability"))) {
			if (ip_need(d, 12) == -1)
				return (-1);
			ip_gray(d, 0.3f);
			(void)snprintf(buf, sizeof(buf), "└ 가용성 %s%% → "
			    "크레딧 %s%% / availability %s%%, credit %s%% of "
			    "this month's usage lines", sv(b, "availability"),
			    sv(b, "sla_share"), sv(b, "availability"),
			    sv(b, "sla_share"));
			ip_fit(d, C_ITEM + 8, d->y - 9, C_AMT_R - C_ITEM - 8,
			    7.5f, buf);
			ip_gray(d, 0);
			d->y -= 12;
		}
		json_array_foreach(json_object_get(line, "breakdown"), j,
		    part) {
			if (ip_need(d, 12) == -1)
				return (-1);
			ip_gray(d, 0.3f);
			if (json_is_string(json_object_get(part, "tier")))
				(void)snprintf(buf, sizeof(buf), "└ %s구간 "
				    "tier %s:", sv(part, "tier"),
				    sv(part, "tier"));
			else
				(void)snprintf(buf, sizeof(buf), "└");
			ip_text(d, C_ITEM + 8, d->y - 9, 7.5f, buf);
			if (strcmp(sv(part, "packages"), "0") != 0)
				(void)snprintf(buf, sizeof(buf), "%s %s → %s "
				    "패키지 × %s + %s = %s",
				    qty(sv(part, "quantity"), q, sizeof(q)),
				    unit, sv(part, "packages"),
				    qty(sv(part, "unit_price"), u, sizeof(u)),
				    qty(sv(part, "flat_fee"), f, sizeof(f)),
				    qty(sv(part, "amount"), e, sizeof(e)));
			else
				(void)snprintf(buf, sizeof(buf), "%s %s × %s원 "
				    "+ %s원 = %s원",
				    qty(sv(part, "quantity"), q, sizeof(q)),
				    unit, qty(sv(part, "unit_price"), u,
				    sizeof(u)), qty(sv(part, "flat_fee"), f,
				    sizeof(f)), qty(sv(part, "amount"), e,
				    sizeof(e)));
			ip_fit(d, C_ITEM + 70, d->y - 9, C_AMT_R - C_ITEM - 70,
			    7.5f, buf);
			ip_gray(d, 0);
			d->y -= 12;
		}
		HPDF_Page_SetLineWidth(d->page, 0.3f);
		HPDF_Page_MoveTo(d->page, ML, d->y);
		HPDF_Page_LineTo(d->page, MR, d->y);
		HPDF_Page_Stroke(d->page);
	}
	d->in_table = 0;
	return (d->failed ? -1 : 0);
}

static void
ip_table_head(struct ip *d)
{
	HPDF_Page_SetRGBFill(d->page, 0.93f, 0.93f, 0.93f);
	HPDF_Page_Rectangle(d->page, ML, d->y - 24, MR - ML, 24);
	HPDF_Page_Fill(d->page);
	ip_gray(d, 0);
	ip_label(d, C_NO, d->y - 2, "번호", "No.");
	ip_label(d, C_ITEM, d->y - 2, "품목", "Item");
	ip_text(d, C_QTY_R - 50, d->y - 10, 9, "수량");
	ip_text(d, C_QTY_R - 50, d->y - 20, 7, "Quantity");
	ip_text(d, C_AMT_R - 60, d->y - 10, 9, "금액 (원)");
	ip_text(d, C_AMT_R - 60, d->y - 20, 7, "Amount (won)");
	d->y -= 28;
}

/* A Korean label with its English line under it, top at y. */
static void
ip_label(struct ip *d, float x, float y, const char *ko, const char *en)
{
	ip_text(d, x, y - 8, 8.5f, ko);
	ip_gray(d, 0.4f);
	ip_text(d, x, y - 17, 6.5f, en);
	ip_gray(d, 0);
}

static void
ip_gray(struct ip *d, float g)
{
	HPDF_Page_SetRGBFill(d->page, g, g, g);
}

static void
ip_box(struct ip *d, float x, float y, float w, float h)
{
	HPDF_Page_SetLineWidth(d->page, 0.6f);
	HPDF_Page_Rectangle(d->page, x, y, w, h);
	HPDF_Page_Stroke(d->page);
}

static void
ip_text(struct ip *d, float x, float y, float size, const char *s)
{
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, d->font, size);
	HPDF_Page_TextOut(d->page, x, y, s);
	HPDF_Page_EndText(d->page);
}

static void
ip_right(struct ip *d, float xr, float y, float size, const char *s)
{
	float	w;

	HPDF_Page_SetFontAndSize(d->page, d->font, size);
	w = HPDF_Page_TextWidth(d->page, s);
	ip_text(d, xr - w, y, size, s);
}

/* Text cut (at a character, with "…") to fit width. */
static void
ip_fit(struct ip *d, float x, float y, float width, float size,
    const char *s)
{
	char	buf[TEXT_MAX];
	size_t	n;

	(void)snprintf(buf, sizeof(buf), "%s", s);
	HPDF_Page_SetFontAndSize(d->page, d->font, size);
	n = strlen(buf);
	while (n > 0 && HPDF_Page_TextWidth(d->page, buf) > width) {
		do {
			n--;
		} while (n > 0 && ((unsigned char)buf[n] & 0xc0) == 0x80);
		if (n + 4 > sizeof(buf))
			break;
		memcpy(buf + n, "…", 4);	/* 3 bytes and the NUL */
	}
	ip_text(d, x, y, size, buf);
}

static void
ip_error(HPDF_STATUS code, HPDF_STATUS detail, void *arg)
{
	struct ip	*d = arg;

	if (!d->failed && d->err != NULL && d->errlen > 0)
		(void)snprintf(d->err, d->errlen, "libharu: error %04X "
		    "(detail %u)", (unsigned)code, (unsigned)detail);
	d->failed = 1;
}

static int
ip_page(struct ip *d)
{
	char	num[32];

	if ((d->page = HPDF_AddPage(d->pdf)) == NULL)
		return (-1);
	HPDF_Page_SetSize(d->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	d->npage++;
	(void)snprintf(num, sizeof(num), "%d", d->npage);
	ip_gray(d, 0.4f);
	ip_text(d, ML, 30, 7.5f, d->footer);
	ip_right(d, MR, 30, 7.5f, num);
	ip_gray(d, 0);
	d->y = TOP;
	return (d->failed ? -1 : 0);
}

/* A new page when less than h points are left; the table goes on. */
static int
ip_need(struct ip *d, float h)
{
	if (d->y - h >= BOTTOM)
		return (0);
	if (ip_page(d) == -1)
		return (-1);
	if (d->in_table)
		ip_table_head(d);
	return (d->failed ? -1 : 0);
}
