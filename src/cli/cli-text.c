/* mohinh text COMMAND: the text engine as line filters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "cli.h"
#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn-ime.h"
#include "vn.h"
#include "xalloc.h"

static int cli_text_nfc_lines(FILE *in, FILE *out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int bad = 0;
	struct strbuf sb;
	strbuf_init(&sb);
	while ((n = getline(&line, &cap, in)) >= 0) {
		size_t len = (size_t)n;
		int nl = len > 0 && line[len - 1] == '\n';
		strbuf_reset(&sb);
		if (vn_nfc_repair(line, len - (size_t)nl, &sb) > 0)
			bad = 1;
		fwrite(sb.buf, 1, sb.len, out);
		if (nl)
			fputc('\n', out);
	}
	free(line);
	strbuf_release(&sb);
	return bad ? MH_EDATA : MH_OK;
}

/* Applies fn to each line (already NFC); a line of invalid UTF-8 gets U+FFFD
 * in place of each bad byte and makes the exit code 3. */
static int cli_text_map(FILE *in, FILE *out, void (*fn)(const char *, size_t, struct strbuf *))
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int bad = 0;
	struct strbuf nfc, res;
	strbuf_init(&nfc);
	strbuf_init(&res);
	while ((n = getline(&line, &cap, in)) >= 0) {
		size_t len = (size_t)n;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		strbuf_reset(&nfc);
		strbuf_reset(&res);
		if (vn_nfc_repair(line, len, &nfc) > 0)
			bad = 1;
		fn(nfc.buf, nfc.len, &res);
		fwrite(res.buf, 1, res.len, out);
		fputc('\n', out);
	}
	free(line);
	strbuf_release(&nfc);
	strbuf_release(&res);
	return bad ? MH_EDATA : MH_OK;
}

static void cli_text_width(const char *s, size_t n, struct strbuf *out)
{
	strbuf_addf(out, "%zu", vn_width(s, n));
}

struct cli_text_line {
	char *text;
	char *key;
};

static int cli_text_cmp(const void *a, const void *b)
{
	const struct cli_text_line *x = a, *y = b;
	int r = strcmp(x->key, y->key);
	return r ? r : strcmp(x->text, y->text);
}

static int cli_text_sort(FILE *in, FILE *out)
{
	struct cli_text_line *v = NULL;
	size_t nv = 0, cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t n;
	int bad = 0;
	while ((n = getline(&line, &lcap, in)) >= 0) {
		size_t len = (size_t)n;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		struct strbuf nfc, key;
		strbuf_init(&nfc);
		strbuf_init(&key);
		if (vn_nfc_repair(line, len, &nfc) > 0)
			bad = 1;
		vn_sortkey(nfc.buf, nfc.len, &key);
		if (nv == cap) {
			cap = cap ? cap * 2 : 256;
			v = xalloc_realloc(v, cap * sizeof *v);
		}
		v[nv].text = strbuf_detach(&nfc, NULL);
		v[nv].key = strbuf_detach(&key, NULL);
		nv++;
	}
	free(line);
	qsort(v, nv, sizeof *v, cli_text_cmp);
	for (size_t i = 0; i < nv; i++) {
		fprintf(out, "%s\n", v[i].text);
		free(v[i].text);
		free(v[i].key);
	}
	free(v);
	return bad ? MH_EDATA : MH_OK;
}

/* Each line is keys: characters, a space for the space key, and the word
 * <BackSpace> for the backspace key. The output line is the text produced. */
static int cli_text_type(FILE *in, FILE *out, enum vn_ime_method method, int modern)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int bad = 0;
	struct strbuf text;
	strbuf_init(&text);
	static const char bs[] = "<BackSpace>";
	while ((n = getline(&line, &cap, in)) >= 0) {
		size_t len = (size_t)n;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		struct vn_ime ime;
		vn_ime_init(&ime, method, modern);
		strbuf_reset(&text);
		size_t i = 0;
		while (i < len) {
			uint32_t key;
			if (len - i >= sizeof bs - 1 && memcmp(line + i, bs, sizeof bs - 1) == 0) {
				key = VN_IME_BACKSPACE;
				i += sizeof bs - 1;
			} else {
				int cl = utf8_decode(line + i, len - i, &key);
				if (cl < 0) {
					key = UTF8_REPLACEMENT;
					cl = 1;
					bad = 1;
				}
				i += (size_t)cl;
			}
			struct vn_ime_edit e;
			vn_ime_key(&ime, key, &e);
			for (size_t d = 0; d < e.del && text.len > 0; d++)
				strbuf_truncate(&text, utf8_last_start(text.buf, text.len));
			strbuf_adds(&text, e.ins);
			if (key == VN_IME_BACKSPACE)
				vn_ime_set_context(&ime, text.buf, text.len);
		}
		fwrite(text.buf, 1, text.len, out);
		fputc('\n', out);
	}
	free(line);
	strbuf_release(&text);
	return bad ? MH_EDATA : MH_OK;
}

static int cli_text_read_all(FILE *in, struct strbuf *sb)
{
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		strbuf_add(sb, buf, n);
	return ferror(in) ? -1 : 0;
}

static int cli_text_decode(FILE *in, FILE *out, enum charset_enc enc)
{
	struct strbuf raw, res;
	strbuf_init(&raw);
	strbuf_init(&res);
	struct mh_error err;
	int rc = MH_OK;
	if (cli_text_read_all(in, &raw) < 0) {
		rc = cli_fail(MH_EIO, _("cannot read standard input"));
		goto out;
	}
	if (enc == CHARSET_AUTO) {
		enc = charset_detect(raw.buf, raw.len);
		fprintf(stderr, "%s\n", charset_name(enc));
	}
	if (charset_decode(enc, raw.buf, raw.len, &res, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	fwrite(res.buf, 1, res.len, out);
out:
	strbuf_release(&raw);
	strbuf_release(&res);
	return rc;
}

static int cli_text_encode(FILE *in, FILE *out, enum charset_enc enc)
{
	struct strbuf raw, res;
	strbuf_init(&raw);
	strbuf_init(&res);
	struct mh_error err;
	int rc = MH_OK;
	if (cli_text_read_all(in, &raw) < 0)
		rc = cli_fail(MH_EIO, _("cannot read standard input"));
	else if (charset_encode(enc, raw.buf, raw.len, &res, &err) < 0)
		rc = cli_report(&err);
	else
		fwrite(res.buf, 1, res.len, out);
	strbuf_release(&raw);
	strbuf_release(&res);
	return rc;
}

static int cli_text_run(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	if (argc < 2)
		return cli_usage(&cli_text_command);
	const char *cmd = argv[1];
	const char *enc_name = NULL;
	int modern = 0;
	for (int i = 2; i < argc; i++) {
		if ((strcmp(argv[i], "--from") == 0 || strcmp(argv[i], "--to") == 0) && i + 1 < argc)
			enc_name = argv[++i];
		else if (strcmp(argv[i], "--style") == 0 && i + 1 < argc) {
			const char *style = argv[++i];
			if (strcmp(style, "modern") == 0)
				modern = 1;
			else if (strcmp(style, "traditional") != 0)
				return cli_fail(MH_EUSAGE, _("unknown tone style '%s': traditional or modern"), style);
		} else
			return cli_usage(&cli_text_command);
	}
	if (strcmp(cmd, "nfc") == 0)
		return cli_text_nfc_lines(stdin, stdout);
	if (strcmp(cmd, "width") == 0)
		return cli_text_map(stdin, stdout, cli_text_width);
	if (strcmp(cmd, "fold") == 0)
		return cli_text_map(stdin, stdout, vn_fold);
	if (strcmp(cmd, "sortkey") == 0)
		return cli_text_map(stdin, stdout, vn_sortkey);
	if (strcmp(cmd, "sort") == 0)
		return cli_text_sort(stdin, stdout);
	if (strcmp(cmd, "telex") == 0)
		return cli_text_type(stdin, stdout, VN_IME_TELEX, modern);
	if (strcmp(cmd, "vni") == 0)
		return cli_text_type(stdin, stdout, VN_IME_VNI, modern);
	if (strcmp(cmd, "decode") == 0 || strcmp(cmd, "encode") == 0) {
		int enc = enc_name ? charset_parse(enc_name) : -1;
		if (enc < 0)
			return cli_fail(
			    MH_EUSAGE,
			    _("unknown encoding '%s': utf-8, cp1258, viscii, tcvn5712-1, tcvn3, vni, viqr or auto"),
			    enc_name ? enc_name : "");
		if (cmd[0] == 'd')
			return cli_text_decode(stdin, stdout, (enum charset_enc)enc);
		return cli_text_encode(stdin, stdout, (enum charset_enc)enc);
	}
	return cli_fail(MH_EUSAGE, _("unknown text command '%s'"), cmd);
}

const struct cli_command cli_text_command = {
    "text",
    N_("nfc|width|fold|sortkey|sort|telex|vni [--style modern]|decode --from ENC|encode --to ENC"),
    N_("Vietnamese text filters: one output line per input line"),
    cli_text_run,
};
