/* remote.c: the other end of a round trip: the external client (or
 * server) of request/response traffic, a host with its own stack.
 *
 * A real ping-pong or netperf TCP_RR crosses both ends' stacks: the
 * client's system call and transmit path before its request reaches the
 * wire, and its interrupt, receive path and thread wake-up after the
 * response arrives.  Here the client sends with tx_cycles and receives
 * with rx_cycles of its own CPU at its own clock (freq), then its blocked
 * thread runs after wakeup_latency; its NIC adds nic_latency each way
 * (pipeline and DMA, as nic.c's latency + pcie_latency).  Its CPU is not
 * the measured host's: the time is computed directly, like hardware, and
 * counts as neither host nor guest CPU.  The wake-up follows the receive work here (both
 * are in the round trip either way; under load the order would matter).
 *
 * With every cost zero (the default) the stages are left out of the
 * routes (pipeline.c): a line-rate generator that costs nothing, as
 * before.  One-way traffic from an external sender starts at our NIC, so
 * the remote end concerns request/response routes only. */
#include <stddef.h>

#include "model/component.h"
#include "model/remote.h"

static const struct key_spec remote_keys[] = {
	KS_DIST(struct remote_params, tx_cycles, "tx_cycles", UNIT_CYCLES, "0cycles", 0,
		"cycles the remote host spends sending a message: system call, TCP/IP, driver"),
	KS_DIST(struct remote_params, rx_cycles, "rx_cycles", UNIT_CYCLES, "0cycles", 0,
		"cycles the remote host spends receiving a message: interrupt, driver, TCP/IP, "
		"socket"),
	KS_QTY(struct remote_params, freq_hz, "freq", UNIT_FREQ, "2.4GHz", 1e6, 1e11,
	       "clock of the remote host's cores"),
	KS_DIST(struct remote_params, wakeup_latency, "wakeup_latency", UNIT_TIME, "0s", 0,
		"from the message queued on its socket to the blocked client thread running "
		"(a distribution)"),
	KS_QTY(struct remote_params, nic_latency_s, "nic_latency", UNIT_TIME, "0s", 0, 1,
	       "the remote NIC's pipeline and DMA, each way"),
	KS_UINT(struct remote_params, threads, "threads", "1", 1, 1024,
		"client threads on the remote host working in parallel"),
};

bool remote_enabled(const struct remote_params *r)
{
	return dist_max(&r->tx_cycles) > 0 || dist_max(&r->rx_cycles) > 0 ||
	       dist_max(&r->wakeup_latency) > 0 || r->nic_latency_s > 0;
}

static void remote_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	const struct remote_params *rp = c->params;

	for (unsigned i = 0; i < b->n; i++) {
		struct rng r;

		comp_rng(&r, c, b->p[i], dir);
		if (dir == DIR_TX) {
			b->service[i] = dist_sample(&rp->tx_cycles, &r) / rp->freq_hz;
			b->latency[i] = rp->nic_latency_s;
		} else {
			b->service[i] = dist_sample(&rp->rx_cycles, &r) / rp->freq_hz;
			b->latency[i] = rp->nic_latency_s + dist_sample(&rp->wakeup_latency, &r);
		}
	}
	b->batch_service = 0;
}

static void remote_bounds(const struct component *c, enum comp_dir dir, double size,
			  struct cost_bounds *out)
{
	const struct remote_params *rp = c->params;
	const struct dist *d = dir == DIR_TX ? &rp->tx_cycles : &rp->rx_cycles;

	*out = (struct cost_bounds){
		.mean = dist_mean(d) / rp->freq_hz,
		.min = dist_min(d) / rp->freq_hz,
		.latency_min = rp->nic_latency_s + (dir == DIR_RX ? dist_min(&rp->wakeup_latency) : 0),
	};
}

static void remote_serving(const struct component *c, struct serving *out)
{
	const struct remote_params *rp = c->params;

	*out = (struct serving){ .servers = rp->threads, .shared_queue = true, .batch = 1 };
}

const struct component_ops remote_ops = {
	.kind = "remote",
	.place = PLACE_HW,
	.runs_on = "remote host",
	.delay = "NIC, wake-up",
	.summary = "the external client of a round trip: its own stack and thread wake-up",
	.keys = remote_keys,
	.nkeys = G_N_ELEMENTS(remote_keys),
	.params_size = sizeof(struct remote_params),
	.bounds = remote_bounds,
	.process = remote_process,
	.serving = remote_serving,
};
