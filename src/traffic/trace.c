/* trace.c: CSV and pcap trace replay (see trace.h).
 *
 * libpcap reads captures (the format has versions, byte orders and link
 * types worth not reimplementing).  Flow keys are mapped to dense numbers
 * in a hash table while checking the file; that happens once per trace, not
 * on the simulator's per-packet path. */
#include "traffic/trace.h"

#include <errno.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "core/msg.h"
#include "core/units.h"

struct trace {
	char *path;
	bool pcap;
	FILE *csv;
	unsigned line;
	pcap_t *pc;
	struct timeval t0;	/* pcap: time of the first packet */
	bool have_t0;
	GHashTable *flows;	/* key -> dense number + 1 */
	GByteArray *seen;	/* flows already started while streaming */
	uint64_t count;		/* packets read so far */
	uint64_t total;		/* packets in the trace */
	double last_t;
};

static bool fail(GError **error, const struct trace *t, unsigned line, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static bool fail(GError **error, const struct trace *t, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (line)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "%s:%u: %s", t->path, line, m);
	else
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "%s: %s", t->path, m);
	return false;
}

static uint32_t dense_flow(struct trace *t, const char *key, size_t len)
{
	g_autoptr(GBytes) k = g_bytes_new(key, len);
	gpointer v = g_hash_table_lookup(t->flows, k);

	if (v)
		return GPOINTER_TO_UINT(v) - 1;
	uint32_t n = g_hash_table_size(t->flows);
	g_hash_table_insert(t->flows, g_bytes_ref(k), GUINT_TO_POINTER(n + 1));
	return n;
}

static bool first_of(struct trace *t, uint32_t flow)
{
	guint byte = flow / 8;

	if (t->seen->len <= byte) {
		guint old = t->seen->len;

		g_byte_array_set_size(t->seen, byte + 1);
		memset(t->seen->data + old, 0, byte + 1 - old);
	}
	bool first = !(t->seen->data[byte] & (1u << (flow % 8)));
	t->seen->data[byte] |= 1u << (flow % 8);
	return first;
}

/* ---- CSV ---- */

/* Parse one CSV line; 0 for a blank/comment/header line, 1 for a record. */
static int csv_line(struct trace *t, char *line, struct trace_rec *out, GError **error)
{
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	g_strstrip(line);
	if (!*line)
		return 0;
	g_auto(GStrv) f = g_strsplit(line, ",", -1);
	if (g_strv_length(f) != 3) {
		fail(error, t, t->line, "expected 'time,size,flow', got '%s'", line);
		return -1;
	}
	for (int i = 0; i < 3; i++)
		g_strstrip(f[i]);
	/* a header names the columns: only before the first record, and only
	 * words (a record with a bad number, "-1us" or "soon", is an error) */
	if (t->count == 0 && g_ascii_isalpha(f[0][0]) && g_ascii_isalpha(f[1][0]) &&
	    g_ascii_isalpha(f[2][0]))
		return 0;

	struct quantity q;
	g_autoptr(GError) e = NULL;
	if (!units_parse(f[0], UNIT_TIME | UNIT_COUNT, &q, &e)) {
		fail(error, t, t->line, "time: %s", e->message);
		return -1;
	}
	out->t = q.value;
	if (!units_parse(f[1], UNIT_SIZE | UNIT_COUNT, &q, &e)) {
		fail(error, t, t->line, "size: %s", e->message);
		return -1;
	}
	out->size = q.value;
	if (out->size < 1) {
		fail(error, t, t->line, "size: expected at least 1 byte, got '%s'", f[1]);
		return -1;
	}
	guint64 flow;
	if (!units_parse_uint(f[2], 0, UINT64_MAX, &flow, &e)) {
		fail(error, t, t->line, "flow: %s", e->message);
		return -1;
	}
	if (out->t < t->last_t) {
		fail(error, t, t->line, "time goes backwards: %.9g s after %.9g s", out->t,
		     t->last_t);
		return -1;
	}
	t->last_t = out->t;
	out->flow = dense_flow(t, (const char *)&flow, sizeof(flow));
	return 1;
}

static int csv_next(struct trace *t, struct trace_rec *out, GError **error)
{
	char buf[4096];

	while (fgets(buf, sizeof(buf), t->csv)) {
		t->line++;
		if (!strchr(buf, '\n') && !feof(t->csv)) {
			fail(error, t, t->line, "line too long");
			return -1;
		}
		int r = csv_line(t, buf, out, error);
		if (r != 0) {
			if (r > 0)
				t->count++;
			return r;
		}
	}
	if (ferror(t->csv)) {
		fail(error, t, 0, "read error");
		return -1;
	}
	return 0;
}

/* ---- pcap ---- */

/* The 5-tuple of an IP packet at pkt (len bytes) as a flow key. */
static size_t ip_key(const u_char *ip, size_t len, u_char key[40])
{
	if (len >= 20 && (ip[0] >> 4) == 4) {
		size_t ihl = (ip[0] & 15) * 4u;
		u_char proto = ip[9];

		memset(key, 0, 40);
		key[0] = 4;
		key[1] = proto;
		memcpy(key + 2, ip + 12, 8);
		if ((proto == 6 || proto == 17) && len >= ihl + 4)
			memcpy(key + 10, ip + ihl, 4);
		return 14;
	}
	if (len >= 40 && (ip[0] >> 4) == 6) {
		u_char proto = ip[6];

		memset(key, 0, 40);
		key[0] = 6;
		key[1] = proto;
		memcpy(key + 2, ip + 8, 32);
		if ((proto == 6 || proto == 17) && len >= 44)
			memcpy(key + 34, ip + 40, 4);
		return 38;
	}
	return 0;
}

static uint32_t pcap_flow(struct trace *t, const u_char *data, size_t caplen)
{
	int dlt = pcap_datalink(t->pc);
	const u_char *ip = NULL;
	size_t left = 0;
	u_char key[40];

	if (dlt == DLT_EN10MB && caplen >= 14) {
		size_t off = 12;
		unsigned type = (unsigned)data[off] << 8 | data[off + 1];

		while ((type == 0x8100 || type == 0x88a8) && caplen >= off + 6) {
			off += 4;
			type = (unsigned)data[off] << 8 | data[off + 1];
		}
		off += 2;
		if ((type == 0x0800 || type == 0x86dd) && caplen > off) {
			ip = data + off;
			left = caplen - off;
		}
	} else if (dlt == DLT_RAW) {
		ip = data;
		left = caplen;
	} else if (dlt == DLT_LINUX_SLL && caplen >= 16) {
		ip = data + 16;
		left = caplen - 16;
	}
	size_t n = ip ? ip_key(ip, left, key) : 0;
	if (!n)
		return dense_flow(t, "", 0);
	return dense_flow(t, (const char *)key, n);
}

static int pcap_next_rec(struct trace *t, struct trace_rec *out, GError **error)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int r = pcap_next_ex(t->pc, &h, &data);

	if (r == PCAP_ERROR_BREAK)
		return 0;
	if (r != 1) {
		fail(error, t, 0, "packet %" G_GUINT64_FORMAT ": %s", t->count + 1,
		     pcap_geterr(t->pc));
		return -1;
	}
	if (!t->have_t0) {
		t->t0 = h->ts;
		t->have_t0 = true;
	}
	/* subtract before converting: a double holding today's absolute time
	 * (1.7e9 s) resolves only 0.24 us */
	out->t = (double)(h->ts.tv_sec - t->t0.tv_sec) +
		 (double)(h->ts.tv_usec - t->t0.tv_usec) * 1e-6;
	if (out->t < t->last_t) {
		fail(error, t, 0, "packet %" G_GUINT64_FORMAT ": time goes backwards", t->count + 1);
		return -1;
	}
	t->last_t = out->t;
	out->size = h->len + 4.0;
	out->flow = pcap_flow(t, data, h->caplen);
	t->count++;
	return 1;
}

/* ---- common ---- */

static bool reopen(struct trace *t, GError **error)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";

	if (t->csv) {
		fclose(t->csv);
		t->csv = NULL;
	}
	if (t->pc) {
		pcap_close(t->pc);
		t->pc = NULL;
	}
	t->line = 0;
	t->count = 0;
	t->last_t = 0;
	t->have_t0 = false;
	if (t->pcap) {
		t->pc = pcap_open_offline(t->path, errbuf);
		if (!t->pc)
			return fail(error, t, 0, "cannot read pcap: %s", errbuf);
		return true;
	}
	t->csv = fopen(t->path, "r");
	if (!t->csv)
		return fail(error, t, 0, "cannot open: %s", g_strerror(errno));
	return true;
}

static bool is_pcap(const char *path)
{
	unsigned char magic[4] = { 0 };
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	size_t n = fread(magic, 1, 4, f);
	fclose(f);
	if (n != 4)
		return false;
	uint32_t m = (uint32_t)magic[0] << 24 | magic[1] << 16 | magic[2] << 8 | magic[3];
	return m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1 ||
	       m == 0x0a0d0d0a;
}

struct trace *trace_open(const char *path, GError **error)
{
	struct trace *t = g_new0(struct trace, 1);
	struct trace_rec rec;
	int r;

	t->path = g_strdup(path);
	t->pcap = is_pcap(path);
	t->flows = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
					 (GDestroyNotify)g_bytes_unref, NULL);
	t->seen = g_byte_array_new();
	if (!reopen(t, error))
		goto fail;
	while ((r = trace_next(t, &rec, error)) > 0)
		;
	if (r < 0)
		goto fail;
	t->total = t->count;
	if (t->total == 0) {
		fail(error, t, 0, "the trace holds no packets");
		goto fail;
	}
	if (!reopen(t, error))
		goto fail;
	g_byte_array_set_size(t->seen, 0);
	return t;
fail:
	trace_close(t);
	return NULL;
}

int trace_next(struct trace *t, struct trace_rec *out, GError **error)
{
	int r = t->pcap ? pcap_next_rec(t, out, error) : csv_next(t, out, error);

	if (r > 0)
		out->first = first_of(t, out->flow);
	return r;
}

void trace_close(struct trace *t)
{
	if (!t)
		return;
	if (t->csv)
		fclose(t->csv);
	if (t->pc)
		pcap_close(t->pc);
	if (t->flows)
		g_hash_table_unref(t->flows);
	if (t->seen)
		g_byte_array_unref(t->seen);
	g_free(t->path);
	g_free(t);
}

uint64_t trace_count(const struct trace *t)
{
	return t->total;
}
