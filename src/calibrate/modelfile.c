/* modelfile.c: write the fitted stand-in model, read its fitted block
 * back (see modelfile.h). */
#include "calibrate/modelfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/msg.h"
#include "core/outdir.h"

void standin_clear(struct standin *m)
{
	g_free(m->name);
	g_free(m->provenance);
	if (m->wake_values)
		g_array_unref(m->wake_values);
	if (m->wake_weights)
		g_array_unref(m->wake_weights);
	memset(m, 0, sizeof(*m));
}

static char *wake_path(const char *path)
{
	g_autofree char *stem = g_str_has_suffix(path, ".ini") ?
					g_strndup(path, strlen(path) - 4) : g_strdup(path);

	return g_strdup_printf("%s.wakeup.txt", stem);
}

/* A per-byte cost of c cycles at clock hz as a byte rate a model key takes:
 * hz / c bytes per second; a cost not above 0 within its error is written
 * as a rate that costs nothing measurable (1 TB/s). */
static void byte_rate(GString *s, const char *key, struct fitted_value c, double hz)
{
	if (c.value <= 0 || c.value < c.se)
		g_string_append_printf(s, "%s = 1000GB/s\n", key);
	else
		g_string_append_printf(s, "%s = %.4gMB/s\n", key, hz / c.value / 1e6);
}

static void fit_line(GString *s, const char *key, struct fitted_value v, const char *unit,
		     const char *what)
{
	g_string_append_printf(s, "#   %s = %.4g%s ± %.2g%s  %s\n", key, v.value, unit, v.se, unit,
			       what);
}

bool standin_write(const char *path, const struct standin *m, GError **error)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_autoptr(GString) w = g_string_new(NULL);
	g_autofree char *wpath = wake_path(path);
	g_autofree char *wbase = g_path_get_basename(wpath);
	double hz = m->hz;

	g_string_append_printf(s, "# %s: this machine's emulated paths (accelsim real measure "
			       "--emulate) in the\n# simulator's terms.  Written by `accelsim "
			       "real calibrate`; docs/validation.md says\n# how each value maps "
			       "to the stand-in and how well the model predicts it.\n#\n",
			       m->name);
	g_string_append(s, m->provenance ? m->provenance : "");
	g_string_append(s, "#\n# Fitted by linear least squares (value ± standard error):\n");
	fit_line(s, "vswitch.cycles_per_packet", m->host_packet, "cycles",
		 "host hop per packet: veth in, bridge, veth out");
	fit_line(s, "vswitch.byte_cycles", m->host_byte, "cycles",
		 "host hop per frame byte (as vnic.copy_rate)");
	fit_line(s, "vswitch.rule_cycles", m->host_rule, "cycles",
		 "per nftables rule per packet: not a model key, mirrors add rules x this");
	fit_line(s, "guest.cycles_per_packet", m->guest_packet, "cycles",
		 "both endpoints' stacks per one-way packet");
	fit_line(s, "guest.byte_cycles", m->guest_byte, "cycles",
		 "endpoints per frame byte (as app.copy_rate)");
	fit_line(s, "guest.wakeup_median", (struct fitted_value){ MAX(m->wake_s.value, 0) * 1e6,
								 m->wake_s.se * 1e6 },
		 "us", "a blocked thread's wake-up, median");
	g_string_append_printf(s, "# Residuals: host hop %.0f cycles rms over %d observations, "
			       "endpoints %.0f cycles rms over %d.\n\n", m->host_rms, m->host_n,
			       m->guest_rms, m->guest_n);

	g_string_append_printf(s, "[model]\nname = %s\ndescription = stand-in of accelsim real "
			       "--emulate, as real calibrate fitted it (header: where, when)\n\n",
			       m->name);
	g_string_append_printf(s, "[host]\n# the machine's cores and clock (cpu MHz)\ncores = %u\n"
			       "freq = %.6gMHz\n\n", m->cores, hz / 1e6);
	g_string_append(s, "[vm]\n# real mode pins client and server to one core; kvm-4vcpu has "
			   "no published\n# allowance, so no shaper meters the VM\nsize = "
			   "kvm-4vcpu\nvcpus = 1\nbandwidth = 0bps\n\n");
	g_string_append_printf(s, "[wire]\n# memory, not a link: no serialisation to speak of; the "
			       "propagation each way is\n# half the client's median wake-up, which "
			       "the simulator does not model\nrate = 1000Gbps\npropagation = %.4gus\n"
			       "framing = 0B\nqueue = 65536\n\n", MAX(m->wake_s.value, 0) / 2 * 1e6);
	g_string_append(s, "[nic]\n# no NIC: veth hands the frame over in the sender's own "
			   "softirq\nlatency = 0us\npcie_rate = 10000Gbps\npcie_latency = 0us\n"
			   "buffer = 65536\nrx_ring = 4096\ntx_ring = 4096\nirq_coalesce = 0us\n"
			   "irq_frames = 1\nirq_latency = 0us\n\n");
	g_string_append_printf(s, "[vswitch]\n# the bridge hop: one cost per packet, on one core; "
			       "a burst is handled\n# together as the softirq handles a sendmmsg() "
			       "batch\ncores = 1\ncycles_per_packet = %.0fcycles\nbatch_cycles = "
			       "0cycles\nflow_miss_cycles = 0cycles\nbatch = 64\ndispatch = shared\n\n",
			       MAX(m->host_packet.value, 0));
	g_string_append(s, "[vnic]\n# veth into the server namespace: its per-byte cost is the "
			   "host hop's\n");
	byte_rate(s, "copy_rate", m->host_byte, hz);
	g_string_append(s, "copy_cycles = 0cycles\nnotify_latency = 0us\nring = 4096\n\n");
	g_string_append(s, "[vf]\n# the direct veth: no IOMMU, no flow table, no interrupt "
			   "moderation\nring = 4096\ntx_ring = 4096\niommu_latency = 0us\n"
			   "iotlb_miss = 0us\nflow_offload = none\nirq_mode = static\nrx_usecs = 0us\n"
			   "rx_frames = 1\nirq_latency = 0us\n\n");
	g_string_append_printf(s, "[guest]\n# both endpoints' stacks (see the header)\n"
			       "cycles_per_packet = %.0fcycles\ntx_cycles_per_packet = %.0fcycles\n"
			       "synthetic_cycles = 0cycles\nvf_cycles = 0cycles\n# a batch's "
			       "system calls and wake-ups are in the per-packet cost\n"
			       "poll_cycles = 0cycles\nnapi_budget = 64\nqueues = 1\ngro = 0B\n"
			       "wakeup_latency = empirical(%s)\n\n", MAX(m->guest_packet.value, 0),
			       MAX(m->guest_packet.value, 0), wbase);
	g_string_append(s, "[app]\n# an echo: recv() copies, nothing else\nservice = 0us\n");
	byte_rate(s, "copy_rate", m->guest_byte, hz);
	g_string_append_printf(s, "threads = 1\ndispatch = shared\n# the receive buffer, in "
			       "datagrams of the calibration's smallest size\nqueue = %u\n",
			       m->app_queue);

	g_string_append_printf(w, "# Wake-up latency of a blocked thread on this machine, from "
			       "the round trips\n# `accelsim real calibrate` measured: \"value "
			       "weight\" per line (see %s).\n", path);
	for (guint i = 0; i < m->wake_values->len; i++)
		g_string_append_printf(w, "%.4gus %.6g\n",
				       MAX(g_array_index(m->wake_values, double, i), 0) * 1e6,
				       g_array_index(m->wake_weights, double, i));
	return outdir_write_file(wpath, w->str, -1, error) &&
	       outdir_write_file(path, s->str, -1, error);
}

bool modelfile_fitted(const char *path, const char *key, double *value, GError **error)
{
	g_autofree char *text = NULL;
	g_autofree char *prefix = g_strdup_printf("#   %s = ", key);
	GError *err = NULL;
	const char *line;

	if (!g_file_get_contents(path, &text, NULL, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot read '%s': %s",
			    path, err->message);
		g_error_free(err);
		return false;
	}
	/* only the header: comment lines before the first group */
	for (line = text; *line && *line != '['; line = strchr(line, '\n') + 1) {
		if (g_str_has_prefix(line, prefix)) {
			char *end;

			errno = 0;
			*value = g_ascii_strtod(line + strlen(prefix), &end);
			return !errno && end != line + strlen(prefix);
		}
		if (!strchr(line, '\n'))
			break;
	}
	return false;
}
