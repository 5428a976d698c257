/* trace.c: CSV and pcap trace replay (see trace.h).
 *
 * libpcap reads captures (the format has versions, byte orders and link
 * types worth not reimplementing).  Flow keys are mapped to dense numbers
 * in a hash table while checking the file; that happens once per trace, not
 * on the simulator's per-packet path. */
#include "traffic/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "config/scenario.h"
#include "core/msg.h"
#include "core/units.h"

/* The pcap and pcapng magic numbers, as the first four bytes read big-endian. */
#define PCAP_US_BE 0xa1b2c3d4u	/* classic pcap, microseconds */
#define PCAP_US_LE 0xd4c3b2a1u
#define PCAP_NS_BE 0xa1b23c4du	/* classic pcap, nanoseconds */
#define PCAP_NS_LE 0x4d3cb2a1u
#define PCAPNG 0x0a0d0d0au	/* pcapng's section header block */

struct trace {
	char *path;
	bool pcap;
	bool classic;		/* classic pcap, not pcapng: its header's terms */
	bool nsec;		/* classic pcap with nanosecond timestamps */
	FILE *csv;
	unsigned line;
	pcap_t *pc;
	int64_t t0_sec, t0_ns;	/* pcap: time of the first packet */
	int64_t last_sec, last_ns; /* pcap: time of the last packet */
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

/* The dense number of the flow key; -1 when the trace has more flows than
 * a source can number (TRAFFIC_FLOW_BITS): they would wrap onto others. */
static int64_t dense_flow(struct trace *t, const char *key, size_t len)
{
	g_autoptr(GBytes) k = g_bytes_new(key, len);
	gpointer v = g_hash_table_lookup(t->flows, k);

	if (v)
		return GPOINTER_TO_UINT(v) - 1;
	uint32_t n = g_hash_table_size(t->flows);
	if (n == 1u << TRAFFIC_FLOW_BITS)
		return -1;
	g_hash_table_insert(t->flows, g_bytes_ref(k), GUINT_TO_POINTER(n + 1));
	return n;
}

static bool too_many_flows(struct trace *t, unsigned line, GError **error)
{
	if (line)
		return fail(error, t, line,
			    "flow: a new flow beyond %u, the most a source can number", 1u << TRAFFIC_FLOW_BITS);
	return fail(error, t, 0,
		    "packet %" G_GUINT64_FORMAT ": a new flow beyond %u, the most a source can number",
		    t->count + 1, 1u << TRAFFIC_FLOW_BITS);
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
	if (out->size > TRAFFIC_MAX_FRAME) {
		fail(error, t, t->line, "size: expected at most %d bytes, the largest frame, got '%s'",
		     TRAFFIC_MAX_FRAME, f[1]);
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
	int64_t dense = dense_flow(t, (const char *)&flow, sizeof(flow));
	if (dense < 0) {
		too_many_flows(t, t->line, error);
		return -1;
	}
	out->flow = (uint32_t)dense;
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

static int64_t pcap_flow(struct trace *t, const u_char *data, size_t caplen)
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

/* What a packet header says that no capture can: in the capture format's
 * own field names (libpcap passes them on as they are). */
static bool pcap_header_ok(struct trace *t, const struct pcap_pkthdr *h, GError **error)
{
	uint64_t n = t->count + 1;

	/* opened for nanoseconds: tv_usec holds ns (a microsecond file's
	 * fraction times 1000) */
	if (t->classic && h->ts.tv_usec >= 1000000000)
		return fail(error, t, 0,
			    "packet %" G_GUINT64_FORMAT ": %s is %ld, expected less than %s", n,
			    t->nsec ? "ts_nsec" : "ts_usec",
			    (long)(t->nsec ? h->ts.tv_usec : h->ts.tv_usec / 1000),
			    t->nsec ? "1000000000 (one second)" : "1000000 (one second)");
	if (h->len == 0)
		return fail(error, t, 0,
			    "packet %" G_GUINT64_FORMAT ": orig_len is 0, expected a frame's length",
			    n);
	if (h->caplen > h->len)
		return fail(error, t, 0,
			    "packet %" G_GUINT64_FORMAT ": incl_len %u is more than orig_len %u: a "
			    "capture holds at most the frame",
			    n, h->caplen, h->len);
	if (h->len + 4.0 > TRAFFIC_MAX_FRAME)
		return fail(error, t, 0,
			    "packet %" G_GUINT64_FORMAT ": orig_len %u is more than %d bytes, the "
			    "largest frame without its FCS (a capture taken above segmentation "
			    "offload, GRO or TSO, holds segments no wire carries)",
			    n, h->len, TRAFFIC_MAX_FRAME - 4);
	return true;
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
	if (!pcap_header_ok(t, h, error))
		return -1;
	/* a classic pcap's ts_sec is unsigned 32 bits (to 2106); libpcap
	 * reads it signed, so 0xffffffff came out as 1969 */
	int64_t sec = t->classic ? (int64_t)(uint32_t)h->ts.tv_sec : (int64_t)h->ts.tv_sec;
	if (!t->have_t0) {
		t->t0_sec = sec;
		t->t0_ns = h->ts.tv_usec;
		t->have_t0 = true;
	}
	/* subtract before converting: a double holding today's absolute time
	 * (1.7e9 s) resolves only 0.24 us */
	out->t = (double)(sec - t->t0_sec) + (double)((int64_t)h->ts.tv_usec - t->t0_ns) * 1e-9;
	if (out->t < t->last_t) {
		fail(error, t, 0,
		     "packet %" G_GUINT64_FORMAT ": time goes backwards: %" PRId64 ".%09" PRId64
		     " s after %" PRId64 ".%09" PRId64 " s",
		     t->count + 1, sec, (int64_t)h->ts.tv_usec, t->last_sec, t->last_ns);
		return -1;
	}
	t->last_t = out->t;
	t->last_sec = sec;
	t->last_ns = h->ts.tv_usec;
	out->size = h->len + 4.0;
	int64_t flow = pcap_flow(t, data, h->caplen);
	if (flow < 0) {
		too_many_flows(t, 0, error);
		return -1;
	}
	out->flow = (uint32_t)flow;
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
		/* nanoseconds: libpcap scales a microsecond file up, exactly */
		t->pc = pcap_open_offline_with_tstamp_precision(t->path, PCAP_TSTAMP_PRECISION_NANO,
								errbuf);
		if (!t->pc)
			return fail(error, t, 0, "cannot read pcap: %s", errbuf);
		return true;
	}
	t->csv = fopen(t->path, "r");
	if (!t->csv)
		return fail(error, t, 0, "cannot open: %s", g_strerror(errno));
	return true;
}

/* Tell a capture from CSV text by the first bytes: a pcap or pcapng magic
 * number, or text (no NUL, UTF-8 but for a character cut at the end of
 * what was read).  Anything else is refused here, in the capture's terms,
 * rather than read as CSV (binary once gave 'line too long'). */
static bool sniff(struct trace *t, GError **error)
{
	unsigned char head[4096];
	FILE *f = fopen(t->path, "rb");

	if (!f)
		return fail(error, t, 0, "cannot open: %s", g_strerror(errno));
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);

	uint32_t m = n < 4 ? 0 : (uint32_t)head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3];
	t->pcap = m == PCAP_US_BE || m == PCAP_US_LE || m == PCAP_NS_BE || m == PCAP_NS_LE ||
		  m == PCAPNG;
	t->classic = t->pcap && m != PCAPNG;
	t->nsec = m == PCAP_NS_BE || m == PCAP_NS_LE;
	if (t->pcap)
		return true;

	const char *end;
	bool text = !memchr(head, '\0', n) &&
		    (g_utf8_validate((const char *)head, n, &end) ||
		     (n == sizeof(head) && (const unsigned char *)end + 4 > head + n));
	if (!text)
		return fail(error, t, 0,
			    "expected a pcap or pcapng capture or CSV text, got neither: its first "
			    "bytes, %02x %02x %02x %02x, are no capture's magic number (pcap: a1 b2 "
			    "c3 d4 or a1 b2 3c 4d, or reversed; pcapng: 0a 0d 0d 0a), and it is not "
			    "text",
			    m >> 24, (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
	return true;
}

struct trace *trace_open(const char *path, GError **error)
{
	struct trace *t = g_new0(struct trace, 1);
	struct trace_rec rec;
	int r;

	t->path = g_strdup(path);
	t->flows = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
					 (GDestroyNotify)g_bytes_unref, NULL);
	t->seen = g_byte_array_new();
	if (!sniff(t, error) || !reopen(t, error))
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
