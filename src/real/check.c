/* check.c: `accelsim real check`, what this machine offers for accelerated
 * networking (see real.h).  It reads sysfs and asks the ethtool ioctl for
 * drivers and counters; it changes nothing.  ethtool is asked only about
 * devices that matter here (SR-IOV functions, synthetic devices with a VF
 * or named with --dev), never about every interface of the machine. */
#define _GNU_SOURCE
#include "real/real.h"

#include <stdio.h>
#include <string.h>

#include "core/msg.h"
#include "real/ethtool.h"
#include "real/sriov.h"

#define NETVSC_DRIVER "hv_netvsc"

struct reading {
	bool have_drv;
	struct ethtool_driver drv;
	GArray *stats;		/* NULL when unavailable */
	char *problem;		/* why stats are missing; NULL if none */
};

static void reading_clear(struct reading *rd)
{
	if (rd->stats)
		g_array_unref(rd->stats);
	g_free(rd->problem);
}

static bool load_reply(const char *dir, const char *dev, const char *ext, GBytes **out,
		       GError **error)
{
	g_autofree char *file = g_strdup_printf("%s.%s", dev, ext);
	g_autofree char *path = g_build_filename(dir, file, NULL);
	char *data;
	gsize len;
	GError *err = NULL;

	if (!g_file_get_contents(path, &data, &len, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "%s", err->message);
		g_error_free(err);
		return false;
	}
	*out = g_bytes_new_take(data, len);
	return true;
}

static void save_reply(const char *dir, const char *dev, const char *ext, const void *data,
		       gsize len)
{
	g_autofree char *file = g_strdup_printf("%s.%s", dev, ext);
	g_autofree char *path = g_build_filename(dir, file, NULL);
	GError *err = NULL;

	if (!g_file_set_contents(path, data, (gssize)len, &err)) {
		msg_warning("--save-replies: %s", err->message);
		g_error_free(err);
	}
}

/* Driver and statistics of dev, from the ioctl or from recorded replies. */
static void take_reading(const struct real_check_opts *o, const char *dev, bool want_stats,
			 struct reading *rd)
{
	g_autoptr(GBytes) drv = NULL;
	g_autoptr(GBytes) strings = NULL;
	g_autoptr(GBytes) stats = NULL;
	GError *err = NULL;
	gsize sl = 0, tl = 0;
	const void *s, *t;

	memset(rd, 0, sizeof(*rd));
	if (o->replies) {
		load_reply(o->replies, dev, "drvinfo", &drv, NULL);
		if (want_stats && (!load_reply(o->replies, dev, "gstrings", &strings, &err) ||
				   !load_reply(o->replies, dev, "gstats", &stats, &err))) {
			rd->problem = g_strdup(err->message);
			g_error_free(err);
		}
	} else {
		drv = ethtool_read_drvinfo_raw(dev, NULL);
		if (want_stats && !ethtool_read_stats_raw(dev, &strings, &stats, &err)) {
			rd->problem = g_strdup(err->message);
			g_error_free(err);
		}
		if (o->save && drv) {
			s = g_bytes_get_data(drv, &sl);
			save_reply(o->save, dev, "drvinfo", s, sl);
		}
		if (o->save && strings && stats) {
			s = g_bytes_get_data(strings, &sl);
			save_reply(o->save, dev, "gstrings", s, sl);
			t = g_bytes_get_data(stats, &tl);
			save_reply(o->save, dev, "gstats", t, tl);
		}
	}
	if (drv) {
		s = g_bytes_get_data(drv, &sl);
		rd->have_drv = ethtool_parse_drvinfo(s, sl, &rd->drv, NULL);
	}
	if (rd->problem || !want_stats)
		return;
	s = g_bytes_get_data(strings, &sl);
	t = g_bytes_get_data(stats, &tl);
	rd->stats = ethtool_parse_stats(s, sl, t, tl, &err);
	if (!rd->stats) {
		rd->problem = g_strdup(err->message);
		g_error_free(err);
	}
}

static const char *driver_of(const struct sriov_dev *d, const struct reading *rd)
{
	if (rd && rd->have_drv && rd->drv.driver[0])
		return rd->drv.driver;
	return d && d->driver[0] ? d->driver : "no driver";
}

/* The accelerated-networking verdict from the vf_* counters; TRUE if active. */
static bool print_an(FILE *out, const struct reading *rd, bool all_vf_counters)
{
	enum ethtool_an state = rd->stats ? ethtool_an_state(rd->stats) : ETHTOOL_AN_NO_COUNTERS;
	uint64_t rx = 0, tx = 0;

	if (rd->stats) {
		ethtool_stat_find(rd->stats, "vf_rx_packets", &rx);
		ethtool_stat_find(rd->stats, "vf_tx_packets", &tx);
	}
	switch (state) {
	case ETHTOOL_AN_ACTIVE:
		fprintf(out, "  accelerated networking: active (vf_rx_packets %" G_GUINT64_FORMAT
			", vf_tx_packets %" G_GUINT64_FORMAT ")\n", rx, tx);
		break;
	case ETHTOOL_AN_IDLE:
		fprintf(out, "  accelerated networking: not carrying traffic "
			"(vf_rx_packets and vf_tx_packets are 0)\n");
		break;
	case ETHTOOL_AN_NO_COUNTERS:
		if (rd->problem)
			fprintf(out, "  counters: unavailable (%s)\n", rd->problem);
		else
			fprintf(out, "  counters: no vf_rx_packets/vf_tx_packets, so no VF "
				"traffic to judge from (%u statistics)\n",
				rd->stats ? rd->stats->len : 0);
		break;
	}
	for (guint i = 0; all_vf_counters && rd->stats && i < rd->stats->len; i++) {
		const struct ethtool_stat *s = &g_array_index(rd->stats, struct ethtool_stat, i);

		if (strstr(s->name, "vf_"))
			fprintf(out, "    %s: %" G_GUINT64_FORMAT "\n", s->name, s->value);
	}
	return state == ETHTOOL_AN_ACTIVE;
}

static void print_driver_detail(FILE *out, const struct reading *rd)
{
	if (rd->have_drv)
		fprintf(out, "  ethtool: driver %s, version %s, bus %s, %u statistics\n",
			rd->drv.driver, rd->drv.version[0] ? rd->drv.version : "none",
			rd->drv.bus_info[0] ? rd->drv.bus_info : "none", rd->drv.n_stats);
}

/* One device worth reporting; TRUE if accelerated networking is active on it. */
static bool describe(FILE *out, const struct real_check_opts *o, const struct sriov_dev *d,
		     bool detail)
{
	struct reading rd;
	bool synthetic = !strcmp(d->driver, NETVSC_DRIVER) || (d->lowers && d->lowers[0]);
	bool active = false;

	/* the driver for every device; counters where they can judge a VF */
	take_reading(o, d->name, synthetic || detail, &rd);
	if (d->is_pf) {
		fprintf(out, "%s: SR-IOV physical function, driver %s, bus %s, %d of %d VFs "
			"enabled\n", d->name, driver_of(d, &rd), d->bus, d->num_vfs, d->total_vfs);
		for (guint i = 0; i < d->vfs->len; i++) {
			const struct sriov_vf *vf = &g_array_index(d->vfs, struct sriov_vf, i);
			g_autofree char *nets = g_strjoinv(", ", vf->netdevs);

			fprintf(out, "  vf %d: %s, %s\n", vf->index, vf->bus ? vf->bus : "?",
				*nets ? nets : "no netdev bound (a guest or vfio may hold it)");
		}
	} else if (d->is_vf) {
		fprintf(out, "%s: SR-IOV virtual function, driver %s, bus %s, of the function "
			"at %s\n", d->name, driver_of(d, &rd), d->bus, d->pf_bus);
	} else if (synthetic) {
		g_autofree char *lowers = g_strjoinv(", ", d->lowers);

		fprintf(out, "%s: synthetic device, driver %s, %s%s\n", d->name,
			driver_of(d, &rd), *lowers ? "VF beneath: " : "no VF beneath it",
			lowers);
	} else {
		fprintf(out, "%s: driver %s, no SR-IOV\n", d->name, driver_of(d, &rd));
	}
	if (detail)
		print_driver_detail(out, &rd);
	if (synthetic || detail)
		active = print_an(out, &rd, detail);
	reading_clear(&rd);
	return active;
}

static bool check_one(FILE *out, const struct real_check_opts *o, const char *sysfs,
		      const GPtrArray *devs, GError **error)
{
	const struct sriov_dev *d = sriov_find(devs, o->dev);
	g_autofree char *path = g_build_filename(sysfs, "class", "net", o->dev, NULL);

	if (d) {
		describe(out, o, d, true);
		return true;
	}
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--dev: expected a network device of this machine, got '%s' "
			    "(no %s)", o->dev, path);
		return false;
	}
	struct reading rd;

	fprintf(out, "%s: virtual device (no bus device behind it), no SR-IOV\n", o->dev);
	take_reading(o, o->dev, true, &rd);
	print_driver_detail(out, &rd);
	print_an(out, &rd, true);
	reading_clear(&rd);
	return true;
}

/* The device that has name bonded beneath it, or NULL. */
static const char *upper_of(const GPtrArray *devs, const char *name)
{
	for (guint i = 0; i < devs->len; i++) {
		const struct sriov_dev *d = g_ptr_array_index(devs, i);

		for (char **l = d->lowers; l && *l; l++)
			if (!strcmp(*l, name))
				return d->name;
	}
	return NULL;
}

bool real_check(FILE *out, const struct real_check_opts *o, GError **error)
{
	const char *sysfs = o->sysfs ? o->sysfs : "/sys";
	g_autoptr(GPtrArray) devs = NULL;
	g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) active = g_ptr_array_new();
	int pfs = 0, vfs = 0, synthetic = 0;

	/* a --sysfs that is not a copy of sysfs is the user's input (exit 2);
	 * an unreadable /sys is this machine's failure (exit 1) */
	if (o->sysfs) {
		g_autofree char *net = g_build_filename(o->sysfs, "class", "net", NULL);

		if (!g_file_test(net, G_FILE_TEST_IS_DIR)) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "--sysfs: expected a copy of sysfs (a directory with "
				    "class/net in it), got '%s'", o->sysfs);
			return false;
		}
	}
	if (!(devs = sriov_scan(sysfs, error)))
		return false;
	if (o->dev)
		return check_one(out, o, sysfs, devs, error);

	for (guint i = 0; i < devs->len; i++) {
		const struct sriov_dev *d = g_ptr_array_index(devs, i);
		bool syn = !strcmp(d->driver, NETVSC_DRIVER) || (d->lowers && d->lowers[0]);

		const char *upper = upper_of(devs, d->name);

		if (upper && !d->is_pf && !d->is_vf) {
			/* a VF passed into a VM has no physfn there: its upper says what it is */
			vfs++;
			fprintf(out, "%s: VF beneath %s, driver %s\n", d->name, upper,
				driver_of(d, NULL));
			continue;
		}
		if (!d->is_pf && !d->is_vf && !syn) {
			g_ptr_array_add(plain, g_strdup_printf("%s (%s)", d->name,
							       d->driver[0] ? d->driver : "no driver"));
			continue;
		}
		pfs += d->is_pf;
		vfs += d->is_vf;
		synthetic += syn && !d->is_pf && !d->is_vf;
		if (describe(out, o, d, false))
			g_ptr_array_add(active, d->name);
	}

	if (!pfs && !vfs && !synthetic)
		fprintf(out, "no SR-IOV device (no sriov_totalvfs under %s/class/net/*/device) "
			"and no synthetic device with a VF beneath it: accelerated networking is "
			"not available here; 'accelsim real measure --emulate' measures a "
			"stand-in built from network namespaces\n", sysfs);
	else if (active->len) {
		g_ptr_array_add(active, NULL);
		g_autofree char *names = g_strjoinv(", ", (char **)active->pdata);
		fprintf(out, "accelerated networking: active on %s\n", names);
	} else if (synthetic)
		fprintf(out, "accelerated networking: not active on any synthetic device\n");
	if (plain->len) {
		g_ptr_array_add(plain, NULL);
		g_autofree char *names = g_strjoinv(", ", (char **)plain->pdata);
		fprintf(out, "other devices: %s\n", names);
	}
	return true;
}
