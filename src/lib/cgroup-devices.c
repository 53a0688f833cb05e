/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-devices.c: the container's device policy, on both cgroup versions:
 * the default allow-list, the spec's extra rules ("devices.allow"), and on
 * cgroup v2 the eBPF program that enforces them (kernel
 * Documentation/admin-guide/cgroup-v2.rst "Device controller" and
 * Documentation/bpf/: BPF_PROG_TYPE_CGROUP_DEVICE), assembled here by hand
 * as raw instructions, loaded with bpf(BPF_PROG_LOAD) and attached to the
 * leaf. v1 writes devices.deny/devices.allow (cgroup-v1.c). Runs in the
 * monitor, once per start, before the container's first process exists.
 */
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "cgroup-internal.h"
#include "log.h"
#include "strv.h"

/* What every container may use. The console and the ttys (/dev/console,
 * /dev/tty1..N) are ptys of the container's own devpts instance (dev.c), so
 * 136:* covers them; 5:1 is for a distribution that makes its own
 * /dev/console node. mknod of these is allowed (a privileged container's
 * /dev is made with mknod); of anything else it is not. */
const struct vz_dev_rule vz_cg_devices_default[] = {
	{ 'c', 1, 3, VZ_DEV_RWM },    /* /dev/null */
	{ 'c', 1, 5, VZ_DEV_RWM },    /* /dev/zero */
	{ 'c', 1, 7, VZ_DEV_RWM },    /* /dev/full */
	{ 'c', 1, 8, VZ_DEV_RWM },    /* /dev/random */
	{ 'c', 1, 9, VZ_DEV_RWM },    /* /dev/urandom */
	{ 'c', 5, 0, VZ_DEV_RWM },    /* /dev/tty */
	{ 'c', 5, 1, VZ_DEV_RWM },    /* /dev/console */
	{ 'c', 5, 2, VZ_DEV_RWM },    /* /dev/ptmx */
	{ 'c', 136, -1, VZ_DEV_RWM }, /* /dev/pts/N, the console and the ttys */
};
const size_t vz_cg_devices_default_n = ELEMENTSOF(vz_cg_devices_default);

/* ------------------------------------------------------------ the program */

#define INSN(c, d, s, o, i)                                                                       \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
/* dst = *(u32 *)(src + off) */
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_W | BPF_MEM, d, s, o, 0)
#define ALU32_IMM(op, d, i) INSN(BPF_ALU | BPF_OP(op) | BPF_K, d, 0, 0, i)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
/* if (dst != imm) skip off instructions */
#define JNE_IMM(d, i, o) INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define EXIT INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

enum { R0, R1, R2, R3, R4, R5 };
/* At most this many instructions per rule (see emit_rule). */
#define INSNS_PER_RULE 7

static unsigned bpf_access(unsigned access)
{
	return (access & VZ_DEV_READ ? BPF_DEVCG_ACC_READ : 0) |
	       (access & VZ_DEV_WRITE ? BPF_DEVCG_ACC_WRITE : 0) |
	       (access & VZ_DEV_MKNOD ? BPF_DEVCG_ACC_MKNOD : 0);
}

/* One rule: every test that fails jumps past the rule's own "return 1".
 * Registers (set up by the prologue): R2 the access asked for (the high 16
 * bits of access_type), R3 the device type (its low 16 bits), R4 major,
 * R5 minor. Returns the number of instructions written. */
static size_t emit_rule(struct bpf_insn *p, const struct vz_dev_rule *d)
{
	size_t n = 0, jumps[4], nj = 0;
	if (d->type != 'a') {
		jumps[nj++] = n;
		p[n++] = JNE_IMM(R3, d->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, 0);
	}
	if ((d->access & VZ_DEV_RWM) != VZ_DEV_RWM) {
		/* allowed only if nothing is asked beyond the rule's access */
		p[n++] = MOV32_REG(R0, R2);
		p[n++] = ALU32_IMM(BPF_AND, R0, (int32_t)~bpf_access(d->access));
		jumps[nj++] = n;
		p[n++] = JNE_IMM(R0, 0, 0);
	}
	if (d->major >= 0) {
		jumps[nj++] = n;
		p[n++] = JNE_IMM(R4, d->major, 0);
	}
	if (d->minor >= 0) {
		jumps[nj++] = n;
		p[n++] = JNE_IMM(R5, d->minor, 0);
	}
	p[n++] = MOV64_IMM(R0, 1);
	p[n++] = EXIT;
	for (size_t i = 0; i < nj; i++)
		p[jumps[i]].off = (int16_t)(n - jumps[i] - 1);
	return n;
}

/* The program: allow (return 1) if a rule matches, else deny (return 0).
 * The verifier refuses unreachable instructions, so nothing follows a rule
 * that matches everything. */
static struct bpf_insn *build_prog(const struct vz_dev_rule *rules, size_t n, size_t *ret_len)
{
	struct bpf_insn *p = calloc(n * INSNS_PER_RULE + 8, sizeof(*p));
	if (!p)
		return NULL;
	size_t len = 0;
	p[len++] = LDX_W(R2, R1, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	p[len++] = MOV32_REG(R3, R2);
	p[len++] = ALU32_IMM(BPF_AND, R3, 0xffff);
	p[len++] = ALU32_IMM(BPF_RSH, R2, 16);
	p[len++] = LDX_W(R4, R1, offsetof(struct bpf_cgroup_dev_ctx, major));
	p[len++] = LDX_W(R5, R1, offsetof(struct bpf_cgroup_dev_ctx, minor));
	bool all = false;
	for (size_t i = 0; i < n && !all; i++) {
		len += emit_rule(p + len, &rules[i]);
		all = rules[i].type == 'a';
	}
	if (!all) {
		p[len++] = MOV64_IMM(R0, 0);
		p[len++] = EXIT;
	}
	*ret_len = len;
	return p;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	long r = syscall(SYS_bpf, cmd, attr, sizeof(*attr));
	return r < 0 ? -errno : (int)r;
}

/* The verifier's last non-empty line: why it refused. */
static const char *log_reason(char *log)
{
	size_t n = strlen(log);
	while (n && log[n - 1] == '\n')
		log[--n] = 0;
	char *nl = strrchr(log, '\n');
	return nl ? nl + 1 : log;
}

static int load_prog(const struct bpf_insn *insns, size_t len, vz_err *err)
{
	static const char license[] = "GPL";
	union bpf_attr attr = {
		.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
		.insns = (uint64_t)(uintptr_t)insns,
		.insn_cnt = (uint32_t)len,
		.license = (uint64_t)(uintptr_t)license,
	};
	int fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	if (fd == -ENOSYS)
		return vz_failx(err, ENOTSUP,
				"the kernel has no bpf() system call (CONFIG_BPF_SYSCALL), which "
				"device control on cgroup v2 needs");
	if (fd == -EPERM)
		return vz_fail(err, fd, "load the BPF device program (needs CAP_SYS_ADMIN or "
					"CAP_BPF)");
	/* Again with the verifier's log, to say why. */
	_cleanup_free_ char *log = calloc(1, 65536);
	if (!log)
		return -ENOMEM;
	attr.log_level = 1;
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = 65536;
	int k = sys_bpf(BPF_PROG_LOAD, &attr);
	if (k >= 0)
		return k;
	if (!log[0] && (k == -EINVAL || k == -E2BIG))
		return vz_failx(err, ENOTSUP,
				"the kernel does not support BPF_PROG_TYPE_CGROUP_DEVICE programs "
				"(CONFIG_CGROUP_BPF), which device control on cgroup v2 needs");
	log_debug("cgroup: BPF verifier log:\n%s", log);
	return vz_failx(err, -k, "the kernel's BPF verifier refused the device program (%d "
				 "instructions): %s: %s",
			(int)len, strerror(-k), log[0] ? log_reason(log) : "no log");
}

int vz_cg_v2_devices(const char *leaf, const struct vz_dev_rule *rules, size_t n, vz_err *err)
{
	size_t len = 0;
	_cleanup_free_ struct bpf_insn *insns = build_prog(rules, n, &len);
	if (!insns)
		return -ENOMEM;
	_cleanup_close_ int cg_fd = open(leaf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg_fd < 0)
		return vz_fail(err, errno, "open %s", leaf);
	_cleanup_close_ int prog = load_prog(insns, len, err);
	if (prog < 0)
		return prog;
	/* ALLOW_MULTI: programs above (a systemd's DevicePolicy) keep running
	 * too, and every one must allow. The attachment lives as long as the
	 * cgroup; the fd may go. */
	union bpf_attr attr = {
		.target_fd = (uint32_t)cg_fd,
		.attach_bpf_fd = (uint32_t)prog,
		.attach_type = BPF_CGROUP_DEVICE,
		.attach_flags = BPF_F_ALLOW_MULTI,
	};
	int r = sys_bpf(BPF_PROG_ATTACH, &attr);
	if (r == -EPERM)
		return vz_failx(err, EPERM,
				"attach the BPF device program to %s: refused (a cgroup above it "
				"has a device program that allows no others, or this process lacks "
				"CAP_SYS_ADMIN)",
				leaf);
	if (r < 0)
		return vz_fail(err, r, "attach the BPF device program to %s", leaf);
	log_debug("cgroup: BPF device program (%zu rules, %zu instructions) attached to %s", n,
		  len, leaf);
	return 0;
}

/* ------------------------------------------------------------ the policy */

int vz_cgroup_apply_devices(struct vz_cgroup *cg, char *const *allow, vz_err *err)
{
	int k = cg->layout->by_ctrl[VZ_CG_DEVICES];
	const struct vz_cg_hier *h = k >= 0 ? &cg->layout->hier[k] : NULL;
	if (!h || !h->ops->devices)
		return vz_failx(err, EOPNOTSUPP,
				"no cgroup hierarchy has the devices controller (cgroup v1) or is "
				"cgroup v2: the device policy cannot be enforced");
	size_t n = vz_cg_devices_default_n + strv_length((char **)allow);
	_cleanup_free_ struct vz_dev_rule *rules = calloc(n, sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	memcpy(rules, vz_cg_devices_default, sizeof(vz_cg_devices_default));
	size_t i = vz_cg_devices_default_n;
	STRV_FOREACH (a, (char **)allow) {
		char why[160];
		if (parse_dev_rule(*a, &rules[i++], why, sizeof(why)) < 0)
			return vz_failx(err, EINVAL, "key 'devices.allow': entry '%s': %s", *a, why);
	}
	char leaf[PATH_MAX];
	int r = vz_cg_leaf_path(cg, h, leaf, sizeof(leaf));
	if (r < 0)
		return vz_cg_unsafe(cg, r, err);
	return h->ops->devices(leaf, rules, n, err);
}
