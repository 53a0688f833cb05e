/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup.c: one container's cgroup in every mounted hierarchy (see cgroup.h).
 * Owns layout detection (/proc/self/mountinfo, read once), the path safety
 * rule (every path is <mount>/<parent>/<name> with parent below a "vz"
 * directory, re-checked before each use), and the public functions, which
 * dispatch hierarchy by hierarchy through cgroup-v1.c or cgroup-v2.c (join,
 * freeze and counters are in cgroup-run.c, limits in cgroup-limits.c). Runs in
 * the monitor (create, limits, kill, destroy), in vz attach (attach) and in
 * vz ls/info (stats).
 */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup-internal.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "strv.h"

#define PARENT_MAX 255

const struct vz_cg_ctrl_name vz_cg_ctrl_names[_VZ_CG_CTRL_MAX] = {
	[VZ_CG_MEMORY] = { "memory", "memory" },
	[VZ_CG_CPU] = { "cpu", "cpu" },
	[VZ_CG_CPUACCT] = { "cpuacct", "" },
	[VZ_CG_PIDS] = { "pids", "pids" },
	[VZ_CG_CPUSET] = { "cpuset", "cpuset" },
	[VZ_CG_DEVICES] = { "devices", "" }, /* v2: a BPF program on any cgroup */
	[VZ_CG_FREEZER] = { "freezer", "" },
	[VZ_CG_IO] = { "blkio", "io" },
	[VZ_CG_PSI] = { "", "" }, /* no v1 hierarchy has it */
};

/* ------------------------------------------------------------ path safety */

static bool cg_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static bool component_ok(const char *s, size_t len)
{
	if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!cg_char_ok(s[i]))
			return false;
	return true;
}

/* "vz", "vz/test-1": relative, no empty, "." or ".." component, first
 * component starting with "vz". */
static bool parent_ok(const char *parent)
{
	if (!parent || !startswith(parent, "vz") || strlen(parent) > PARENT_MAX)
		return false;
	for (const char *p = parent;;) {
		size_t len = strcspn(p, "/");
		if (!component_ok(p, len))
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

static bool name_ok(const char *name)
{
	return name && vz_name_is_valid(name) && component_ok(name, strlen(name));
}

/* The only way a path to a container's cgroup is made: from the mount and
 * the two checked parts, checked again here. */
int vz_cg_leaf_path(const struct vz_cgroup *cg, const struct vz_cg_hier *h, char *buf, size_t size)
{
	if (!parent_ok(cg->parent) || !name_ok(cg->name))
		return -EPERM;
	int n = snprintf(buf, size, "%s/%s/%s", h->mount, cg->parent, cg->name);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

int vz_cgroup_parents_open(const struct vz_cgroup_layout *l, const char *parent,
			   struct vz_cgroup_parents **ret)
{
	*ret = NULL;
	if (!parent_ok(parent))
		return -EPERM;
	struct vz_cgroup_parents *p = malloc(sizeof(*p) + l->n * sizeof(p->fd[0]));
	if (!p || !(p->parent = strdup(parent))) {
		free(p);
		return -ENOMEM;
	}
	p->layout = l;
	for (size_t i = 0; i < l->n; i++) {
		char path[PATH_MAX];
		int n = snprintf(path, sizeof(path), "%s/%s", l->hier[i].mount, parent);
		p->fd[i] = n < 0 || (size_t)n >= sizeof(path) ? -1 :
			   open(path, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	}
	*ret = p;
	return 0;
}

void vz_cgroup_parents_free(struct vz_cgroup_parents *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->layout->n; i++)
		if (p->fd[i] >= 0)
			close(p->fd[i]);
	free(p->parent);
	free(p);
}

/* ------------------------------------------------------------ file helpers */

static int cg_write(const char *dir, const char *file, const char *value, char *path, size_t size)
{
	int n = snprintf(path, size, "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	log_debug("cgroup: write '%s' to %s", value, path);
	return write_file(path, value, 0);
}

int vz_cg_write(const char *dir, const char *file, const char *value, vz_err *err)
{
	char path[PATH_MAX];
	int r = cg_write(dir, file, value, path, sizeof(path));
	if (r < 0)
		return vz_fail(err, r, "write '%s' to %s/%s", value, dir, file);
	return 0;
}

int vz_cg_write_raw(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX];
	return cg_write(dir, file, value, path, sizeof(path));
}

/* ------------------------------------------------------------ tree walks */

/* Nested containers make cgroups a few levels deep; this bounds the fds a
 * walk keeps open. */
#define WALK_DEPTH_MAX 64

static bool entry_is_dir(DIR *d, const struct dirent *de)
{
	if (streq(de->d_name, ".") || streq(de->d_name, ".."))
		return false;
	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	struct stat st;
	return fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int procs_for_each(int dfd, int (*fn)(pid_t, void *), void *userdata)
{
	_cleanup_free_ char *s = NULL;
	/* ENODEV: the cgroup was removed while open. */
	int r = read_file_at(dfd, "cgroup.procs", &s, NULL);
	if (r < 0)
		return r == -ENOENT || r == -ENODEV ? 0 : r;
	for (char *p = s; *p;) {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0 && (r = fn((pid_t)pid, userdata)) != 0)
			return r;
		p = end + strspn(end, "\n");
	}
	return 0;
}

struct walk {
	int (*fn)(int dfd, void *userdata); /* on each directory, parents first; may be NULL */
	void *userdata;
	bool remove; /* rmdir each sub-directory after its own children */
};

/* fn's first non-zero result ends the walk; removal goes on past errors and
 * returns the first. Takes ownership of dfd. */
static int walk_dirs(int dfd, unsigned depth, const struct walk *w)
{
	int r = depth > WALK_DEPTH_MAX ? -ELOOP : w->fn ? w->fn(dfd, w->userdata) : 0;
	DIR *d = r == 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		r = r ?: -errno;
		close(dfd);
		return r;
	}
	struct dirent *de;
	while ((r == 0 || (r < 0 && w->remove)) && (de = readdir(d))) {
		if (!entry_is_dir(d, de))
			continue;
		int sub = openat(dirfd(d), de->d_name,
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int k = sub < 0 ? (errno == ENOENT ? 0 : -errno) : walk_dirs(sub, depth + 1, w);
		if (k == 0 && w->remove && unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) < 0 &&
		    errno != ENOENT)
			k = -errno;
		r = r ?: k;
	}
	closedir(d);
	return r;
}

static int walk_path(const char *dir, const struct walk *w)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	return walk_dirs(fd, 0, w);
}

int vz_cg_walk(const char *dir, int (*fn)(int dfd, void *userdata), void *userdata)
{
	return walk_path(dir, &(struct walk){ .fn = fn, .userdata = userdata });
}

struct pid_walk {
	int (*fn)(pid_t pid, void *userdata);
	void *userdata;
};

static int walk_procs(int dfd, void *userdata)
{
	const struct pid_walk *w = userdata;
	return procs_for_each(dfd, w->fn, w->userdata);
}

int vz_cg_for_each_pid(const char *dir, int (*fn)(pid_t, void *), void *userdata)
{
	struct pid_walk w = { fn, userdata };
	return vz_cg_walk(dir, walk_procs, &w);
}

/* Sub-cgroups deepest first, then the leaf. */
static int rmdir_tree(const char *leaf)
{
	int r = walk_path(leaf, &(struct walk){ .remove = true });
	if (rmdir(leaf) == 0)
		log_debug("cgroup: removed %s", leaf);
	else if (errno != ENOENT)
		return r ?: -errno;
	return r;
}

/* A sorted, deduplicated set of pids (after pidset_sort). */
struct pidset {
	pid_t *pids;
	size_t n, cap;
};

static void pidset_done(struct pidset *s) { free(s->pids); }

static int pidset_add(pid_t pid, void *userdata)
{
	struct pidset *s = userdata;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		pid_t *p = realloc(s->pids, cap * sizeof(pid_t));
		if (!p)
			return -ENOMEM;
		s->pids = p;
		s->cap = cap;
	}
	s->pids[s->n++] = pid;
	return 0;
}

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

static void pidset_sort(struct pidset *s)
{
	if (s->n == 0)
		return;
	qsort(s->pids, s->n, sizeof(pid_t), pid_cmp);
	size_t k = 1;
	for (size_t i = 1; i < s->n; i++)
		if (s->pids[i] != s->pids[k - 1])
			s->pids[k++] = s->pids[i];
	s->n = k;
}

static bool pidset_has(const struct pidset *s, pid_t pid)
{
	return s->n && bsearch(&pid, s->pids, s->n, sizeof(pid_t), pid_cmp);
}

static int pidset_merge(struct pidset *dst, const struct pidset *src)
{
	for (size_t i = 0; i < src->n; i++) {
		int r = pidset_add(src->pids[i], dst);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------ layout */

static void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/* mountinfo escapes ' ', '\t', '\n' and '\\' as \ooo. */
static void unoctal(char *s)
{
	char *w = s;
	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
}

struct mnt {
	char *root, *mount, *fstype, *opts;
};

/* "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices"
 * (proc(5)): root and mount point are fields 4 and 5, optional fields run up
 * to "-", then come fstype, source and the super options. Splits in place. */
static int parse_mountinfo(char *line, struct mnt *m)
{
	char *save = NULL, *f[6];
	for (int i = 0; i < 6; i++)
		if (!(f[i] = strtok_r(i ? NULL : line, " \n", &save)))
			return -EINVAL;
	char *t;
	while ((t = strtok_r(NULL, " \n", &save)) && !streq(t, "-"))
		;
	if (!t)
		return -EINVAL;
	m->fstype = strtok_r(NULL, " \n", &save);
	char *source = m->fstype ? strtok_r(NULL, " \n", &save) : NULL;
	m->opts = source ? strtok_r(NULL, " \n", &save) : NULL;
	if (!m->opts)
		return -EINVAL;
	unoctal(f[3]);
	unoctal(f[4]);
	m->root = f[3];
	m->mount = f[4];
	return 0;
}

/* Super options of a v1 mount that are not controllers; any other "x=y"
 * option but "name=" is not one either. */
static const char *const v1_flags[] = {
	"rw", "ro", "none", "noprefix", "xattr", "clone_children", "cpuset_v2_mode", "favordynmods",
};

/* "rw,cpu,cpuacct" -> "cpu,cpuacct": the same order /proc/PID/cgroup uses. */
static char *v1_controllers(const char *opts)
{
	char *r = calloc(1, strlen(opts) + 1);
	if (!r)
		return NULL;
	for (const char *p = opts; *p;) {
		size_t n = strcspn(p, ",");
		bool skip = memchr(p, '=', n) && strncmp(p, "name=", 5) != 0;
		for (size_t i = 0; i < ELEMENTSOF(v1_flags) && !skip; i++)
			skip = strlen(v1_flags[i]) == n && strncmp(p, v1_flags[i], n) == 0;
		if (!skip) {
			if (*r)
				strcat(r, ",");
			strncat(r, p, n);
		}
		p += n + (p[n] == ',');
	}
	return r;
}

/* One entry per hierarchy: a v1 hierarchy is known by its controllers, there
 * is one cgroup2 hierarchy. Of several mounts of one hierarchy (bind mounts,
 * a mount from another cgroup namespace) the one closest to its root wins. */
static int layout_add(struct vz_cgroup_layout *l, const struct mnt *m)
{
	bool v2 = streq(m->fstype, "cgroup2");
	_cleanup_free_ char *ctrls = v2 ? strdup("") : v1_controllers(m->opts);
	if (!ctrls)
		return -ENOMEM;
	if (!v2 && !*ctrls)
		return 0;
	for (size_t i = 0; i < l->n; i++) {
		struct vz_cg_hier *e = &l->hier[i];
		if (v2 ? !e->v2 : e->v2 || !streq(e->controllers, ctrls))
			continue;
		if (strlen(m->root) >= strlen(e->root))
			return 0;
		char *mount = strdup(m->mount), *root = strdup(m->root);
		if (!mount || !root) {
			free(mount);
			free(root);
			return -ENOMEM;
		}
		free(e->mount), e->mount = mount;
		free(e->root), e->root = root;
		return 0;
	}
	struct vz_cg_hier *h = reallocarray(l->hier, l->n + 1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	l->hier = h;
	h = &l->hier[l->n];
	*h = (struct vz_cg_hier){ .v2 = v2, .ops = v2 ? &vz_cg_v2_ops : &vz_cg_v1_ops };
	h->mount = strdup(m->mount);
	h->root = strdup(m->root);
	h->controllers = TAKE_PTR(ctrls);
	l->n++;
	return h->mount && h->root ? 0 : -ENOMEM;
}

int vz_cg_layout_find(const struct vz_cgroup_layout *l, const char *token)
{
	for (size_t i = 0; i < l->n; i++)
		if (vz_cg_list_has(l->hier[i].controllers, token))
			return (int)i;
	return -1;
}

/* A controller's hierarchy: the v1 mount naming it, else the cgroup2 mount if
 * it offers the controller there (or the files are core files). */
static int ctrl_hier(const struct vz_cgroup_layout *l, enum vz_cg_ctrl c)
{
	const struct vz_cg_ctrl_name *nm = &vz_cg_ctrl_names[c];
	for (size_t i = 0; i < l->n; i++)
		if (!l->hier[i].v2 && vz_cg_list_has(l->hier[i].controllers, nm->v1))
			return (int)i;
	if (l->unified < 0 || !nm->v2)
		return -1;
	if (!*nm->v2 || vz_cg_list_has(l->hier[l->unified].controllers, nm->v2))
		return l->unified;
	return -1;
}

static int layout_finish(struct vz_cgroup_layout *l)
{
	size_t nv1 = 0;
	l->unified = -1;
	for (size_t i = 0; i < l->n; i++) {
		struct vz_cg_hier *h = &l->hier[i];
		log_debug("cgroup: %s hierarchy at %s (root %s): %s", h->ops->version, h->mount,
			  h->root, h->controllers);
		if (!h->v2) {
			nv1++;
			continue;
		}
		l->unified = (int)i;
		char buf[512];
		if (vz_cg_read(h->mount, "cgroup.controllers", buf, sizeof(buf)) < 0)
			continue;
		buf[strcspn(buf, "\n")] = 0;
		char *s = strdup(buf);
		if (!s)
			return -ENOMEM;
		free(h->controllers);
		h->controllers = s;
		log_debug("cgroup: cgroup2 controllers: %s", s);
	}
	for (int c = 0; c < _VZ_CG_CTRL_MAX; c++)
		l->by_ctrl[c] = ctrl_hier(l, c);
	l->mode = nv1 == 0 ? VZ_CGROUP_UNIFIED
		  : l->unified >= 0 ? VZ_CGROUP_HYBRID
				    : VZ_CGROUP_LEGACY;
	return 0;
}

/* On a host run by systemd with only cgroup v2, systemd owns the tree: vz
 * works below its delegated unit (see cgroup-systemd.c), which becomes the
 * top of the cgroup2 hierarchy for everything else in this file. Done
 * before layout_finish(), which reads the controllers offered there. */
static int layout_systemd(struct vz_cgroup_layout *l)
{
	size_t v2 = 0, n2 = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->hier[i].v2)
			v2 = i, n2++;
	if (n2 != 1 || l->n != 1 || !vz_cgroup_systemd_host())
		return 0;
	struct vz_cg_hier *h = &l->hier[v2];
	char *top = strdup_printf("%s/%s", h->mount, VZ_SYSTEMD_CGROUP);
	if (!top)
		return -ENOMEM;
	free(h->mount);
	h->mount = top;
	l->systemd = true;
	log_debug("cgroup: systemd host: working below %s", top);
	return 0;
}

static int layout_read(const char *mountinfo, bool systemd, struct vz_cgroup_layout **ret,
		       vz_err *err)
{
	_cleanup_(vz_cgroup_layout_freep) struct vz_cgroup_layout *l = calloc(1, sizeof(*l));
	if (!l)
		return vz_fail(err, ENOMEM, "detect cgroup layout");
	_cleanup_(fclosep) FILE *f = fopen(mountinfo, "re");
	if (!f)
		return vz_fail(err, errno, "open %s", mountinfo);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	int r = 0;
	while (r >= 0 && getline(&line, &cap, f) > 0) {
		struct mnt m;
		if (parse_mountinfo(line, &m) < 0)
			continue;
		if (streq(m.fstype, "cgroup") || streq(m.fstype, "cgroup2"))
			r = layout_add(l, &m);
	}
	if (r >= 0 && systemd)
		r = layout_systemd(l);
	if (r >= 0)
		r = layout_finish(l);
	if (r < 0)
		return vz_fail(err, r, "read cgroup mounts from %s", mountinfo);
	if (l->n == 0)
		return vz_failx(err, ENOENT, "no cgroup hierarchy is mounted (%s)", mountinfo);
	*ret = TAKE_PTR(l);
	return 0;
}

int vz_cg_layout_read(const char *mountinfo, struct vz_cgroup_layout **ret, vz_err *err)
{
	return layout_read(mountinfo, false, ret, err);
}

int vz_cgroup_layout_detect(struct vz_cgroup_layout **ret, vz_err *err)
{
	return layout_read("/proc/self/mountinfo", true, ret, err);
}

enum vz_cgroup_mode vz_cgroup_layout_mode(const struct vz_cgroup_layout *l) { return l->mode; }

void vz_cgroup_layout_free(struct vz_cgroup_layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->hier[i].mount);
		free(l->hier[i].root);
		free(l->hier[i].controllers);
	}
	free(l->hier);
	free(l);
}

/* ------------------------------------------------------------ one cgroup */

int vz_cgroup_new(const struct vz_cgroup_layout *l, const char *parent, const char *name,
		  struct vz_cgroup **ret, vz_err *err)
{
	if (!parent_ok(parent))
		return vz_failx(err, EPERM,
				"cgroup parent '%s' refused: it must be a relative path of "
				"[A-Za-z0-9._-] components whose first starts with \"vz\"",
				parent ? parent : "");
	if (!name_ok(name))
		return vz_failx(err, EINVAL, "cgroup name '%s' refused: not a valid container name",
				name ? name : "");
	struct vz_cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg)
		return -ENOMEM;
	cg->layout = l;
	cg->parent = strdup(parent);
	cg->name = strdup(name);
	if (!cg->parent || !cg->name) {
		vz_cgroup_free(cg);
		return -ENOMEM;
	}
	*ret = cg;
	return 0;
}

void vz_cgroup_use_parents(struct vz_cgroup *cg, const struct vz_cgroup_parents *p)
{
	cg->parent_fds = p && p->layout == cg->layout && streq(p->parent, cg->parent) ? p->fd : NULL;
}

void vz_cgroup_free(struct vz_cgroup *cg)
{
	if (!cg)
		return;
	free(cg->parent);
	free(cg->name);
	free(cg);
}

int vz_cg_unsafe(const struct vz_cgroup *cg, int r, vz_err *err)
{
	return vz_fail(err, r, "cgroup %s/%s", cg->parent, cg->name);
}

/* Make dir (a child of parent) unless it exists; the leaf must not exist. */
static int make_dir(const struct vz_cg_hier *h, const char *parent, const char *dir, bool leaf,
		    char ***made, vz_err *err)
{
	int r = h->ops->prepare ? h->ops->prepare(h, parent, err) : 0;
	if (r < 0)
		return r;
	if (mkdir(dir, 0755) < 0) {
		if (errno != EEXIST)
			return vz_fail(err, errno, "create cgroup %s", dir);
		if (leaf)
			return vz_failx(err, EEXIST, "cgroup %s already exists", dir);
	} else {
		log_debug("cgroup: created %s", dir);
		r = strv_push(made, dir);
		if (r < 0) {
			rmdir(dir);
			return vz_fail(err, r, "create cgroup %s", dir);
		}
	}
	return h->ops->init ? h->ops->init(h, parent, dir, leaf, err) : 0;
}

/* Every component of <mount>/<parent>/<name> below the mount, top down. */
static int create_in(const struct vz_cgroup *cg, const struct vz_cg_hier *h, char ***made,
		     vz_err *err)
{
	char leaf[PATH_MAX], up[PATH_MAX], dir[PATH_MAX];
	int r = vz_cg_leaf_path(cg, h, leaf, sizeof(leaf));
	if (r < 0)
		return vz_cg_unsafe(cg, r, err);
	size_t off = strlen(h->mount);
	snprintf(up, sizeof(up), "%s", h->mount);
	while (leaf[off] == '/') {
		const char *slash = strchr(leaf + off + 1, '/');
		size_t len = slash ? (size_t)(slash - leaf) : strlen(leaf);
		memcpy(dir, leaf, len);
		dir[len] = 0;
		r = make_dir(h, up, dir, !slash, made, err);
		if (r < 0)
			return r;
		memcpy(up, dir, len + 1);
		off = len;
	}
	return 0;
}

int vz_cgroup_create(struct vz_cgroup *cg, vz_err *err)
{
	_cleanup_strv_free_ char **made = NULL;
	int r = 0;
	for (size_t i = 0; i < cg->layout->n && r >= 0; i++) {
		r = create_in(cg, &cg->layout->hier[i], &made, err);
		/* A parent removed by another process meanwhile: once more. */
		if (r == -ENOENT) {
			vz_err_clear(err);
			r = create_in(cg, &cg->layout->hier[i], &made, err);
		}
	}
	if (r >= 0)
		return 0;
	/* Undo, newest first: leaves go, parents only if nobody else uses them. */
	for (size_t i = strv_length(made); i > 0; i--)
		if (rmdir(made[i - 1]) == 0)
			log_debug("cgroup: removed %s (create failed)", made[i - 1]);
	return r;
}

static int chown_at(const char *leaf, const char *file, uid_t uid, gid_t gid, vz_err *err)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s%s%s", leaf, file ? "/" : "", file ? file : "");
	if (chown(path, uid, gid) < 0 && !(file && errno == ENOENT))
		return vz_fail(err, errno, "delegate %s", path);
	return 0;
}

int vz_cgroup_delegate(struct vz_cgroup *cg, uid_t uid, gid_t gid, vz_err *err)
{
	static const char *const v2_files[] = { NULL, "cgroup.procs", "cgroup.threads",
						"cgroup.subtree_control" };
	static const char *const v1_files[] = { NULL, "tasks", "cgroup.procs" };
	const struct vz_cgroup_layout *l = cg->layout;
	for (size_t i = 0; i < l->n; i++) {
		const struct vz_cg_hier *h = &l->hier[i];
		bool v2 = (int)i == l->unified;
		if (!v2 && !vz_cg_list_has(h->controllers, "name=systemd"))
			continue;
		char leaf[PATH_MAX];
		int r = vz_cg_leaf_path(cg, h, leaf, sizeof(leaf));
		if (r < 0)
			return vz_cg_unsafe(cg, r, err);
		const char *const *files = v2 ? v2_files : v1_files;
		size_t n = v2 ? ELEMENTSOF(v2_files) : ELEMENTSOF(v1_files);
		for (size_t k = 0; k < n; k++) {
			r = chown_at(leaf, files[k], uid, gid, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ kill, destroy */

/* SIGKILL through cgroup.kill where the kernel has it: race-free, and those
 * pids are not signalled again one by one (they may be reaped and reused). */
static int kill_collect(const struct vz_cg_hier *h, const char *leaf, int sig, struct pidset *done,
			struct pidset *todo)
{
	if (sig != SIGKILL || !h->ops->kill_all)
		return vz_cg_for_each_pid(leaf, pidset_add, todo);
	_cleanup_(pidset_done) struct pidset here = { 0 };
	int r = vz_cg_for_each_pid(leaf, pidset_add, &here);
	if (r < 0 || here.n == 0)
		return r;
	r = h->ops->kill_all(leaf);
	if (r < 0)
		log_debug("cgroup: cgroup.kill in %s: %s; killing one by one", leaf, strerror(-r));
	return pidset_merge(r > 0 ? done : todo, &here);
}

/* A hierarchy that cannot be read does not stop the others; its error is
 * returned only if nothing was signalled. */
int vz_cgroup_kill(struct vz_cgroup *cg, int sig)
{
	_cleanup_(pidset_done) struct pidset done = { 0 }, todo = { 0 };
	int ret = 0;
	for (size_t i = 0; i < cg->layout->n; i++) {
		char leaf[PATH_MAX];
		int r = vz_cg_leaf_path(cg, &cg->layout->hier[i], leaf, sizeof(leaf));
		if (r >= 0)
			r = kill_collect(&cg->layout->hier[i], leaf, sig, &done, &todo);
		ret = ret ?: MIN(r, 0);
	}
	pidset_sort(&done);
	pidset_sort(&todo);
	int n = (int)done.n;
	for (size_t i = 0; i < todo.n; i++) {
		if (pidset_has(&done, todo.pids[i]))
			continue;
		if (kill(todo.pids[i], sig) == 0)
			n++;
		else if (errno != ESRCH)
			log_debug("cgroup: kill %d: %m", (int)todo.pids[i]);
	}
	if (n > 0)
		log_debug("cgroup: signal %d sent to %d processes in %s/%s", sig, n, cg->parent,
			  cg->name);
	return n > 0 ? n : ret;
}

int vz_cgroup_populated(struct vz_cgroup *cg)
{
	int ret = 0;
	for (size_t i = 0; i < cg->layout->n; i++) {
		const struct vz_cg_hier *h = &cg->layout->hier[i];
		char leaf[PATH_MAX];
		int r = vz_cg_leaf_path(cg, h, leaf, sizeof(leaf));
		if (r >= 0)
			r = h->ops->populated(leaf);
		if (r > 0)
			return 1;
		ret = ret ?: r;
	}
	return ret;
}

uint64_t vz_cg_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A frozen v1 process keeps its SIGKILL pending until thawed. */
static void thaw(struct vz_cgroup *cg)
{
	int f = cg->layout->by_ctrl[VZ_CG_FREEZER];
	char leaf[PATH_MAX];
	if (f >= 0 && cg->layout->hier[f].ops->thaw &&
	    vz_cg_leaf_path(cg, &cg->layout->hier[f], leaf, sizeof(leaf)) >= 0)
		cg->layout->hier[f].ops->thaw(leaf);
}

static int count_pids(struct vz_cgroup *cg)
{
	_cleanup_(pidset_done) struct pidset all = { 0 };
	for (size_t i = 0; i < cg->layout->n; i++) {
		char leaf[PATH_MAX];
		if (vz_cg_leaf_path(cg, &cg->layout->hier[i], leaf, sizeof(leaf)) >= 0)
			(void)vz_cg_for_each_pid(leaf, pidset_add, &all);
	}
	pidset_sort(&all);
	return (int)all.n;
}

/* The leaf and its sub-cgroups in every hierarchy; the first error. */
static int remove_all(struct vz_cgroup *cg, char *failed, size_t size)
{
	int ret = 0;
	for (size_t i = 0; i < cg->layout->n; i++) {
		char leaf[PATH_MAX];
		int r = vz_cg_leaf_path(cg, &cg->layout->hier[i], leaf, sizeof(leaf));
		if (r < 0)
			snprintf(leaf, sizeof(leaf), "%s/%s", cg->parent, cg->name);
		else
			r = rmdir_tree(leaf);
		if (r < 0 && ret == 0) {
			ret = r;
			snprintf(failed, size, "%s", leaf);
		}
	}
	return ret;
}

/* SIGKILL again on every round: a process may fork meanwhile. */
int vz_cgroup_destroy(struct vz_cgroup *cg, unsigned timeout_ms, vz_err *err)
{
	uint64_t deadline = vz_cg_now_ms() + timeout_ms;
	unsigned delay_ms = 1;
	char failed[PATH_MAX] = "";
	int r;
	for (bool first = true;; first = false) {
		vz_cgroup_kill(cg, SIGKILL);
		int populated = vz_cgroup_populated(cg);
		if (populated > 0 && first)
			thaw(cg);
		bool last = vz_cg_now_ms() >= deadline;
		if (populated <= 0 || last) {
			r = remove_all(cg, failed, sizeof(failed));
			/* EBUSY with cgroup.procs empty: a process is still exiting. */
			if (r != -EBUSY || last)
				break;
		}
		struct timespec ts = { 0, (long)delay_ms * 1000000 };
		nanosleep(&ts, NULL);
		delay_ms = MIN(delay_ms * 2, 10u);
	}
	if (r == -EBUSY) {
		int n = count_pids(cg);
		if (n == 0)
			return vz_failx(err, EBUSY,
					"cgroup %s/%s: processes still exiting after %u ms",
					cg->parent, cg->name, timeout_ms);
		return vz_failx(err, EBUSY, "cgroup %s/%s: %d process%s remain%s after %u ms",
				cg->parent, cg->name, n, n == 1 ? "" : "es", n == 1 ? "s" : "",
				timeout_ms);
	}
	if (r < 0)
		return vz_fail(err, r, "remove cgroup %s", failed);
	return 0;
}

bool vz_cgroup_exists(struct vz_cgroup *cg)
{
	char leaf[PATH_MAX];
	return cg->layout->n > 0 && vz_cg_leaf_path(cg, &cg->layout->hier[0], leaf, sizeof(leaf)) >= 0 &&
	       dir_exists(leaf);
}
