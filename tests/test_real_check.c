/* test_real_check.c: `real check` without touching a device: the ethtool
 * reply parser on recorded replies (tests/data/ethtool/), its refusal of
 * malformed ones, the accelerated-networking verdict, and the whole report
 * on made-up sysfs trees (an Azure-like VM with a VF beneath hv_netvsc, an
 * SR-IOV host, a machine with neither).  The last test runs the real
 * command on this machine, which only reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/msg.h"
#include "real/ethtool.h"
#include "real/real.h"
#include "testutil.h"

#define ETHTOOL_GSTRINGS_CMD 0x1b
#define ETHTOOL_GSTATS_CMD 0x1d

static char *data_path(const char *rel)
{
	return g_build_filename(tu_datadir(), rel, NULL);
}

static GBytes *load(const char *rel)
{
	g_autofree char *path = data_path(rel);
	char *data;
	gsize len;

	assert_true(g_file_get_contents(path, &data, &len, NULL));
	return g_bytes_new_take(data, len);
}

static GArray *parse_recorded(const char *dir, const char *dev, GError **error)
{
	g_autofree char *s = g_strdup_printf("ethtool/%s/%s.gstrings", dir, dev);
	g_autofree char *t = g_strdup_printf("ethtool/%s/%s.gstats", dir, dev);
	g_autoptr(GBytes) strings = load(s);
	g_autoptr(GBytes) stats = load(t);
	gsize sl, tl;
	const void *sp = g_bytes_get_data(strings, &sl);
	const void *tp = g_bytes_get_data(stats, &tl);

	return ethtool_parse_stats(sp, sl, tp, tl, error);
}

static void test_veth_reply_has_no_vf_counters(void **state)
{
	g_autoptr(GBytes) drv = load("ethtool/veth/acc0.drvinfo");
	GError *err = NULL;
	GArray *st = parse_recorded("veth", "acc0", &err);
	struct ethtool_driver d;
	gsize len;
	const void *p = g_bytes_get_data(drv, &len);

	assert_non_null(st);
	assert_true(ethtool_parse_drvinfo(p, len, &d, NULL));
	assert_string_equal(d.driver, "veth");
	assert_int_equal(st->len, d.n_stats);
	assert_string_equal(g_array_index(st, struct ethtool_stat, 0).name, "peer_ifindex");
	assert_int_equal(ethtool_an_state(st), ETHTOOL_AN_NO_COUNTERS);
	g_array_unref(st);
}

static void test_netvsc_with_vf_is_active(void **state)
{
	GError *err = NULL;
	GArray *st = parse_recorded("netvsc-vf", "eth0", &err);
	uint64_t rx = 0, tx = 0;

	assert_non_null(st);
	/* 11 device counters, 5 vf_*, 8 per channel and per CPU (2 each) */
	assert_int_equal(st->len, 11 + 5 + 16 + 16);
	assert_string_equal(g_array_index(st, struct ethtool_stat, 11).name, "vf_rx_packets");
	assert_true(ethtool_stat_find(st, "vf_rx_packets", &rx));
	assert_true(ethtool_stat_find(st, "vf_tx_packets", &tx));
	assert_int_equal(rx, 267511);
	assert_int_equal(tx, 5483500);
	assert_int_equal(ethtool_an_state(st), ETHTOOL_AN_ACTIVE);
	g_array_unref(st);
}

static void test_netvsc_without_vf_is_idle(void **state)
{
	GError *err = NULL;
	GArray *st = parse_recorded("netvsc-novf", "eth0", &err);
	uint64_t rx = 1;

	assert_non_null(st);
	assert_true(ethtool_stat_find(st, "vf_rx_packets", &rx));
	assert_int_equal(rx, 0);
	assert_int_equal(ethtool_an_state(st), ETHTOOL_AN_IDLE);
	g_array_unref(st);
}

/* A reply pair with two statistics, to corrupt one field at a time. */
struct replies {
	uint8_t strings[12 + 2 * 32];
	uint8_t stats[8 + 2 * 8];
	size_t strings_len, stats_len;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void good_replies(struct replies *r)
{
	uint64_t v[2] = { 5, 7 };

	memset(r, 0, sizeof(*r));
	put32(r->strings, ETHTOOL_GSTRINGS_CMD);
	put32(r->strings + 4, 1);
	put32(r->strings + 8, 2);
	strcpy((char *)r->strings + 12, "vf_rx_packets");
	/* a name that fills all 32 bytes has no terminating NUL */
	memcpy(r->strings + 12 + 32, "abcdefghijklmnopqrstuvwxyz012345", 32);
	put32(r->stats, ETHTOOL_GSTATS_CMD);
	put32(r->stats + 4, 2);
	memcpy(r->stats + 8, v, sizeof(v));
	r->strings_len = sizeof(r->strings);
	r->stats_len = sizeof(r->stats);
}

static void test_full_length_name_and_values(void **state)
{
	struct replies r;
	GArray *st;

	good_replies(&r);
	st = ethtool_parse_stats(r.strings, r.strings_len, r.stats, r.stats_len, NULL);
	assert_non_null(st);
	assert_int_equal(st->len, 2);
	assert_string_equal(g_array_index(st, struct ethtool_stat, 1).name,
			    "abcdefghijklmnopqrstuvwxyz012345");
	assert_int_equal(g_array_index(st, struct ethtool_stat, 1).value, 7);
	assert_int_equal(ethtool_an_state(st), ETHTOOL_AN_ACTIVE);
	g_array_unref(st);
}

enum corruption {
	SHORT_STRINGS_HEADER, WRONG_STRINGS_CMD, WRONG_SET, TRUNCATED_NAMES, HUGE_COUNT,
	SHORT_STATS_HEADER, WRONG_STATS_CMD, COUNT_MISMATCH, TRUNCATED_VALUES,
};

static const struct {
	enum corruption c;
	const char *fragment;
} bad_rows[] = {
	{ SHORT_STRINGS_HEADER, "strings reply: expected at least 12 bytes, got 8" },
	{ WRONG_STRINGS_CMD, "expected command 0x1b set 1 (statistics), got command 0x1d" },
	{ WRONG_SET, "got command 0x1b set 0" },
	{ TRUNCATED_NAMES, "expected 2 names in 76 bytes, got 75 bytes" },
	{ HUGE_COUNT, "expected 4294967295 names" },
	{ SHORT_STATS_HEADER, "stats reply: expected at least 8 bytes, got 4" },
	{ WRONG_STATS_CMD, "stats reply: expected command 0x1d, got 0x1b" },
	{ COUNT_MISMATCH, "expected 2 values (one per name), got 3" },
	{ TRUNCATED_VALUES, "expected 2 values in 24 bytes, got 23 bytes" },
};

static void test_malformed_replies_are_refused(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bad_rows); i++) {
		struct replies r;
		GError *err = NULL;

		good_replies(&r);
		switch (bad_rows[i].c) {
		case SHORT_STRINGS_HEADER: r.strings_len = 8; break;
		case WRONG_STRINGS_CMD: put32(r.strings, ETHTOOL_GSTATS_CMD); break;
		case WRONG_SET: put32(r.strings + 4, 0); break;
		case TRUNCATED_NAMES: r.strings_len--; break;
		case HUGE_COUNT: put32(r.strings + 8, 0xffffffffu); break;
		case SHORT_STATS_HEADER: r.stats_len = 4; break;
		case WRONG_STATS_CMD: put32(r.stats, ETHTOOL_GSTRINGS_CMD); break;
		case COUNT_MISMATCH: put32(r.stats + 4, 3); break;
		case TRUNCATED_VALUES: r.stats_len--; break;
		}
		assert_null(ethtool_parse_stats(r.strings, r.strings_len, r.stats, r.stats_len,
						&err));
		assert_non_null(err);
		assert_int_equal(err->code, ACCELSIM_ERROR_INPUT);
		if (!strstr(err->message, bad_rows[i].fragment))
			fail_msg("row %zu: expected '%s' in '%s'", i, bad_rows[i].fragment,
				 err->message);
		g_error_free(err);
	}
}

static void test_drvinfo_refuses_short_or_wrong_reply(void **state)
{
	g_autoptr(GBytes) drv = load("ethtool/netvsc-vf/eth0.drvinfo");
	struct ethtool_driver d;
	GError *err = NULL;
	gsize len;
	const uint8_t *p = g_bytes_get_data(drv, &len);
	g_autofree uint8_t *copy = g_memdup2(p, len);

	assert_true(ethtool_parse_drvinfo(p, len, &d, NULL));
	assert_string_equal(d.driver, "hv_netvsc");
	assert_false(ethtool_parse_drvinfo(p, len - 1, &d, &err));
	assert_non_null(strstr(err->message, "expected 196 bytes, got 195"));
	g_clear_error(&err);
	put32(copy, ETHTOOL_GSTATS_CMD);
	assert_false(ethtool_parse_drvinfo(copy, len, &d, &err));
	assert_non_null(strstr(err->message, "expected command 0x3, got 0x1d"));
	g_clear_error(&err);
}

/* --- made-up sysfs trees --- */

static void mkdirs(const char *root, const char *rel)
{
	g_autofree char *p = g_build_filename(root, rel, NULL);

	assert_int_equal(g_mkdir_with_parents(p, 0755), 0);
}

static void mklink(const char *root, const char *rel, const char *target_rel)
{
	g_autofree char *p = g_build_filename(root, rel, NULL);
	g_autofree char *t = target_rel[0] == '/' ? g_strdup(target_rel) :
			     g_build_filename(root, target_rel, NULL);
	g_autofree char *dir = g_path_get_dirname(p);

	assert_int_equal(g_mkdir_with_parents(dir, 0755), 0);
	assert_int_equal(symlink(t, p), 0);
}

static void mkfile(const char *root, const char *rel, const char *text)
{
	g_autofree char *p = g_build_filename(root, rel, NULL);

	assert_true(g_file_set_contents(p, text, -1, NULL));
}

/* An Azure-like VM: eth0 (hv_netvsc) with the VF enP1s1 (mlx5) beneath it,
 * plus lo; with host, also an SR-IOV PF with two VFs, one bound here. */
static char *make_tree(bool azure, bool host)
{
	char *root = g_dir_make_tmp("accelsim-sysfs-XXXXXX", NULL);

	assert_non_null(root);
	mkdirs(root, "class/net/lo");
	if (azure) {
		mkdirs(root, "devices/vmbus/f8615163");
		mklink(root, "devices/vmbus/f8615163/driver", "/drivers/hv_netvsc");
		mklink(root, "class/net/eth0/device", "devices/vmbus/f8615163");
		mklink(root, "class/net/eth0/lower_enP1s1", "class/net/enP1s1");
		mkdirs(root, "devices/pci/0001:00:02.0");
		mklink(root, "devices/pci/0001:00:02.0/driver", "/drivers/mlx5_core");
		mklink(root, "class/net/enP1s1/device", "devices/pci/0001:00:02.0");
	} else {
		mkdirs(root, "devices/virtio2");
		mklink(root, "devices/virtio2/driver", "/drivers/virtio_net");
		mklink(root, "class/net/eth0/device", "devices/virtio2");
	}
	if (host) {
		mkdirs(root, "devices/pci/0000:01:00.0");
		mklink(root, "devices/pci/0000:01:00.0/driver", "/drivers/mlx5_core");
		mkfile(root, "devices/pci/0000:01:00.0/sriov_totalvfs", "8\n");
		mkfile(root, "devices/pci/0000:01:00.0/sriov_numvfs", "2\n");
		mkdirs(root, "devices/pci/0000:01:00.2/net/enp1s0f0v0");
		mklink(root, "devices/pci/0000:01:00.2/driver", "/drivers/mlx5_core");
		mklink(root, "devices/pci/0000:01:00.2/physfn", "devices/pci/0000:01:00.0");
		mkdirs(root, "devices/pci/0000:01:00.3/net");
		mklink(root, "devices/pci/0000:01:00.3/physfn", "devices/pci/0000:01:00.0");
		mklink(root, "devices/pci/0000:01:00.0/virtfn0", "devices/pci/0000:01:00.2");
		mklink(root, "devices/pci/0000:01:00.0/virtfn1", "devices/pci/0000:01:00.3");
		mklink(root, "class/net/enp1s0f0/device", "devices/pci/0000:01:00.0");
		mklink(root, "class/net/enp1s0f0v0/device", "devices/pci/0000:01:00.2");
	}
	return root;
}

static void remove_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *e;

	if (d) {
		while ((e = g_dir_read_name(d))) {
			g_autofree char *p = g_build_filename(path, e, NULL);

			if (g_file_test(p, G_FILE_TEST_IS_SYMLINK) ||
			    !g_file_test(p, G_FILE_TEST_IS_DIR))
				g_unlink(p);
			else
				remove_tree(p);
		}
		g_dir_close(d);
	}
	g_rmdir(path);
}

/* Run real_check on a tree with recorded replies; returns its output. */
static char *run_check(const char *root, const char *replies, const char *dev,
		       GError **error)
{
	g_autofree char *rdir = data_path(replies);
	struct real_check_opts o = { .sysfs = root, .replies = rdir, .dev = dev };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool ok;

	assert_non_null(f);
	ok = real_check(f, &o, error);
	fclose(f);
	if (!ok) {
		free(text);
		return NULL;
	}
	char *out = g_strdup(text);
	free(text);
	return out;
}

static void expect_line(const char *out, const char *line)
{
	if (!strstr(out, line))
		fail_msg("expected '%s' in:\n%s", line, out);
}

static void test_check_azure_vm_with_active_vf(void **state)
{
	g_autofree char *root = make_tree(true, false);
	g_autofree char *out = run_check(root, "ethtool/netvsc-vf", NULL, NULL);

	assert_non_null(out);
	expect_line(out, "enP1s1: VF beneath eth0, driver mlx5_core\n");
	expect_line(out, "eth0: synthetic device, driver hv_netvsc, VF beneath: enP1s1\n");
	expect_line(out, "  accelerated networking: active (vf_rx_packets 267511, "
		    "vf_tx_packets 5483500)\n");
	expect_line(out, "accelerated networking: active on eth0\n");
	remove_tree(root);
}

static void test_check_azure_vm_with_idle_vf(void **state)
{
	g_autofree char *root = make_tree(true, false);
	g_autofree char *out = run_check(root, "ethtool/netvsc-novf", NULL, NULL);

	assert_non_null(out);
	expect_line(out, "not carrying traffic (vf_rx_packets and vf_tx_packets are 0)");
	expect_line(out, "accelerated networking: not active on any synthetic device\n");
	remove_tree(root);
}

static void test_check_sriov_host_lists_vfs(void **state)
{
	g_autofree char *root = make_tree(false, true);
	g_autofree char *out = run_check(root, "ethtool/netvsc-vf", NULL, NULL);

	assert_non_null(out);
	expect_line(out, "enp1s0f0: SR-IOV physical function, driver mlx5_core, bus "
		    "0000:01:00.0, 2 of 8 VFs enabled\n");
	expect_line(out, "  vf 0: 0000:01:00.2, enp1s0f0v0\n");
	expect_line(out, "  vf 1: 0000:01:00.3, no netdev bound");
	expect_line(out, "enp1s0f0v0: SR-IOV virtual function, driver mlx5_core, bus "
		    "0000:01:00.2, of the function at 0000:01:00.0\n");
	expect_line(out, "other devices: eth0 (virtio_net)\n");
	remove_tree(root);
}

static void test_check_plain_machine_says_so(void **state)
{
	g_autofree char *root = make_tree(false, false);
	g_autofree char *out = run_check(root, "ethtool/netvsc-vf", NULL, NULL);

	assert_non_null(out);
	expect_line(out, "no SR-IOV device");
	expect_line(out, "accelerated networking is not available here");
	expect_line(out, "other devices: eth0 (virtio_net)\n");
	remove_tree(root);
}

static void test_check_dev_reports_vf_counters(void **state)
{
	g_autofree char *root = make_tree(true, false);
	g_autofree char *out = run_check(root, "ethtool/netvsc-vf", "eth0", NULL);

	assert_non_null(out);
	expect_line(out, "  ethtool: driver hv_netvsc, version 6.8.0-1015-azure");
	expect_line(out, "    vf_tx_packets: 5483500\n");
	expect_line(out, "    cpu1_vf_rx_packets: 266749\n");
	remove_tree(root);
}

static void test_check_unknown_dev_is_input_error(void **state)
{
	g_autofree char *root = make_tree(false, false);
	GError *err = NULL;
	char *out = run_check(root, "ethtool/netvsc-vf", "nosuch0", &err);

	assert_null(out);
	assert_non_null(err);
	assert_int_equal(msg_exit_code(err), EXIT_INPUT);
	assert_non_null(strstr(err->message, "--dev: expected a network device of this "
			       "machine, got 'nosuch0'"));
	g_error_free(err);
	remove_tree(root);
}

/* This machine, through the real command: it only reads.  The verdict is
 * checked only where sysfs shows no SR-IOV device and no hv_netvsc. */
static void test_check_this_machine_exits_0(void **state)
{
	g_autofree char *bin = tu_bin();
	g_autofree char *out = NULL, *err_text = NULL, *sriov = NULL;
	const char *argv[] = { bin, "real", "check", NULL };
	GError *err = NULL;
	int status;

	if (!g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE)) {
		print_message("skipped: %s not built\n", bin);
		skip();
	}
	assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
				 &err_text, &status, &err));
	assert_true(g_spawn_check_wait_status(status, NULL));
	gboolean has_sriov = g_spawn_command_line_sync(
		"sh -c 'ls /sys/class/net/*/device/sriov_totalvfs 2>/dev/null; "
		"ls -l /sys/class/net/*/device/driver 2>/dev/null | grep hv_netvsc'",
		&sriov, NULL, NULL, NULL) && sriov && *sriov;
	if (has_sriov) {
		print_message("skipped: this machine has SR-IOV or hv_netvsc devices:\n%s", sriov);
		skip();
	}
	expect_line(out, "no SR-IOV device");
	expect_line(out, "accelerated networking is not available here");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_veth_reply_has_no_vf_counters),
		cmocka_unit_test(test_netvsc_with_vf_is_active),
		cmocka_unit_test(test_netvsc_without_vf_is_idle),
		cmocka_unit_test(test_full_length_name_and_values),
		cmocka_unit_test(test_malformed_replies_are_refused),
		cmocka_unit_test(test_drvinfo_refuses_short_or_wrong_reply),
		cmocka_unit_test(test_check_azure_vm_with_active_vf),
		cmocka_unit_test(test_check_azure_vm_with_idle_vf),
		cmocka_unit_test(test_check_sriov_host_lists_vfs),
		cmocka_unit_test(test_check_plain_machine_says_so),
		cmocka_unit_test(test_check_dev_reports_vf_counters),
		cmocka_unit_test(test_check_unknown_dev_is_input_error),
		cmocka_unit_test(test_check_this_machine_exits_0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
