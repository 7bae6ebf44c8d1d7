/*
 * test_vfr_rulelang.c - unit tests of the rule language's pieces.
 *
 * Address and number parsers (accepted and refused spellings), RFC 5952
 * printing of IPv6, VIF names, the bounded string builder, the lexer's
 * positions, and the printer of single rules (canonical spelling).
 */
#include <stdio.h>

#include "check.h"
#include "rulelang.h"
#include "rulelex.h"

static bool v6(const char *s, const char *canon)
{
	struct vfr_ip ip = { .family = VFR_AF_INET6 };
	char out[64];
	struct vfr_sbuf sb;

	if (!vfr_parse_ipv6(s, strlen(s), ip.b))
		return canon == NULL;
	vfr_sbuf_init(&sb, out, sizeof(out));
	vfr_sbuf_put_ip(&sb, &ip);
	if (!canon || strcmp(out, canon))
		fprintf(stderr, "%s -> %s\n", s, out);
	return canon && strcmp(out, canon) == 0;
}

static void test_addresses(void)
{
	uint8_t a[4];
	struct vfr_mac mac;
	uint32_t v;

	CHECK(v6("::", "::"));
	CHECK(v6("::1", "::1"));
	CHECK(v6("1::", "1::"));
	CHECK(v6("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"));
	CHECK(v6("0:0:1:0:0:0:0:0", "0:0:1::"));
	CHECK(v6("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"));
	CHECK(v6("1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"));
	CHECK(v6("::ffff:1.2.3.4", "::ffff:102:304"));
	CHECK(v6(":::", NULL));
	CHECK(v6("1:::2", NULL));
	CHECK(v6("1::2::3", NULL));
	CHECK(v6("1:2:3:4:5:6:7:8:9", NULL));
	CHECK(v6("1:2:3:4:5:6:7", NULL));
	CHECK(v6("12345::", NULL));
	CHECK(v6("1:", NULL));
	CHECK(v6(":1", NULL));
	CHECK(v6("::1.2.3", NULL));
	CHECK(v6("1.2.3.4::", NULL));
	CHECK(v6("1:2:3:4:5:6:7::8", NULL));
	CHECK(vfr_parse_ipv4("10.0.0.255", 10, a) && a[3] == 255);
	CHECK(!vfr_parse_ipv4("10.0.0.256", 10, a));
	CHECK(!vfr_parse_ipv4("10.0.0", 6, a));
	CHECK(!vfr_parse_ipv4("10.0.0.01", 9, a));
	CHECK(!vfr_parse_ipv4("10..0.1", 7, a));
	CHECK(vfr_parse_mac("52:54:00:AB:cd:ef", 17, &mac) && mac.b[3] == 0xab);
	CHECK(!vfr_parse_mac("52:54:00:AB:cd:eg", 17, &mac));
	CHECK(!vfr_parse_mac("52-54-00-AB-cd-ef", 17, &mac));
	CHECK(vfr_parse_u32("65535", 5, 65535, false, &v) && v == 65535);
	CHECK(!vfr_parse_u32("65536", 5, 65535, false, &v));
	CHECK(!vfr_parse_u32("99999999999", 11, 0xffffffffu, false, &v));
	CHECK(vfr_parse_u32("0x88cc", 6, 0xffff, true, &v) && v == 0x88cc);
	CHECK(!vfr_parse_u32("0x88cc", 6, 0xffff, false, &v));
	CHECK(!vfr_parse_u32("", 0, 10, false, &v));
}

static void test_vif_names(void)
{
	char buf[VFR_VIF_NAME_MAX];
	const char *why;
	vfr_vif_id_t id;

	CHECK_EQ(vfr_vif_name_parse("vif12.3", 7, &id, &why), 0);
	CHECK_EQ(id, 12 << 4 | 3);
	vfr_vif_name_format(id, buf);
	CHECK(strcmp(buf, "vif12.3") == 0);
	CHECK_EQ(vfr_vif_name_parse("uplink", 6, &id, &why), 0);
	CHECK_EQ(id, VFR_VIF_UPLINK);
	vfr_vif_name_format(id, buf);
	CHECK(strcmp(buf, "uplink") == 0);
	CHECK_EQ(vfr_vif_name_parse("vif4094.15", 10, &id, &why), 0);
	CHECK(id != VFR_VIF_UPLINK && id != VFR_VIF_NONE);
	CHECK_EQ(vfr_vif_name_parse("vif4095.0", 9, &id, &why), -VFR_ENOSPC);
	CHECK_EQ(vfr_vif_name_parse("vif1.16", 7, &id, &why), -VFR_ENOSPC);
	CHECK_EQ(vfr_vif_name_parse("vif01.0", 7, &id, &why), -VFR_EINVAL);
	CHECK_EQ(vfr_vif_name_parse("vif1.", 5, &id, &why), -VFR_EINVAL);
	CHECK_EQ(vfr_vif_name_parse("vif.1", 5, &id, &why), -VFR_EINVAL);
	CHECK_EQ(vfr_vif_name_parse("eth0", 4, &id, &why), -VFR_EINVAL);
}

static void test_lexer_and_sbuf(void)
{
	const char *src = "add rule\n  \"a b\" x/24, # c\n;";
	struct vfr_lexer lx;
	struct vfr_token t;
	struct vfr_sbuf sb;
	char small[4];

	vfr_lex_init(&lx, src, strlen(src));
	vfr_lex_next(&lx, &t);
	CHECK(vfr_tok_is(&t, "add") && t.line == 1 && t.col == 1);
	vfr_lex_next(&lx, &t);
	CHECK(vfr_tok_is(&t, "rule") && t.col == 5);
	vfr_lex_next(&lx, &t);
	CHECK_EQ(t.kind, VFR_TOK_NEWLINE);
	vfr_lex_next(&lx, &t);
	CHECK(t.kind == VFR_TOK_STRING && t.len == 3 && t.line == 2 && t.col == 3);
	vfr_lex_next(&lx, &t);
	CHECK(vfr_tok_is(&t, "x") && t.col == 9);
	vfr_lex_next(&lx, &t);
	CHECK_EQ(t.kind, VFR_TOK_SLASH);
	vfr_lex_next(&lx, &t);
	CHECK(vfr_tok_is(&t, "24"));
	vfr_lex_next(&lx, &t);
	CHECK_EQ(t.kind, VFR_TOK_COMMA);
	vfr_lex_next(&lx, &t);
	CHECK_EQ(t.kind, VFR_TOK_NEWLINE);	/* comment skipped */
	vfr_lex_next(&lx, &t);
	CHECK_EQ(t.kind, VFR_TOK_NEWLINE);	/* ';' */
	vfr_lex_next(&lx, &t);
	CHECK_EQ(t.kind, VFR_TOK_EOF);
	vfr_sbuf_init(&sb, small, sizeof(small));
	vfr_sbuf_puts(&sb, "hello");
	vfr_sbuf_put_u64(&sb, 18446744073709551615ull);
	CHECK_EQ(sb.len, 25);
	CHECK(strcmp(small, "hel") == 0);
}

static void test_format_rule(void)
{
	struct vfr_rule r;
	struct vfr_rule_state s = { .packets = 7, .bytes = 4200000000000ull };
	char buf[256];

	vfr_rule_init(&r);
	r.match.fields = VFR_MATCH_FAMILY | VFR_MATCH_PROTO |
			 VFR_MATCH_DST_PORT | VFR_MATCH_OIF;
	r.match.family = VFR_AF_INET6;
	r.match.proto = VFR_PROTO_UDP;
	r.match.dport.lo = 53;
	r.match.dport.hi = 53;
	r.match.oif = VFR_VIF_UPLINK;
	r.action.verdict = VFR_RULE_DROP;
	CHECK(vfr_rule_validate(&r) == NULL);
	vfr_rulelang_format_rule(&r, &s, buf, sizeof(buf));
	CHECK(strcmp(buf, "oif uplink meta nfproto ipv6 udp dport 53 counter "
		     "packets 7 bytes 4200000000000 drop") == 0);
	printf("%s\n", buf);
}

int main(void)
{
	test_addresses();
	test_vif_names();
	test_lexer_and_sbuf();
	test_format_rule();
	return check_done();
}
