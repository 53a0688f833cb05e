/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * template.c: running TEMPLATES_DIR/vz-template-NAME and owning the template
 * cache <cache>/NAME/{RELEASE/, .lock, .RELEASE.tmp-PID/}. Runs in the `vz
 * create` command; the template is its child (fork + execve, never a shell
 * string) with a clean environment, stdin on /dev/null and stderr on ours so
 * admins see its progress. The library itself never prints.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cache.h"
#include "fs-util.h"
#include "log.h"
#include "strv.h"
#include "template.h"

#define TEMPLATE_PREFIX "vz-template-"
#define TEMPLATE_NAME_MAX 64
#define RELEASE_MAX 128
#define RELEASE_OUTPUT_MAX 4096
#define TEMPLATE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* The build holds the cache lock on this fd, so that a template's leftover
 * children keep the cache locked until they are gone. */
#define TEMPLATE_LOCK_FD 3

/* Kept from the caller's environment: debootstrap behind a proxy needs them. */
static const char *const passed_env[] = {
	"http_proxy", "https_proxy", "ftp_proxy", "no_proxy",
	"HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY",
};

struct tmpl {
	const char *name;
	char *path;  /* TEMPLATES_DIR/vz-template-NAME */
	char *cache; /* <cache>/NAME */
	char **env;
};

static void tmpl_done(struct tmpl *t)
{
	free(t->path);
	free(t->cache);
	strv_free(t->env);
}

/* [A-Za-z0-9._-]+, not starting with '.': a template name or a release is a
 * path component under the cache, and "..", ".lock" or ".x.tmp-1" must
 * never be one. */
static bool component_valid(const char *s, size_t max)
{
	static const char ok[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
	size_t n = strlen(s);
	return n > 0 && n <= max && s[0] != '.' && strspn(s, ok) == n;
}

static bool executable_at(int dfd, const char *name)
{
	struct stat st;
	return fstatat(dfd, name, &st, 0) == 0 && S_ISREG(st.st_mode) &&
	       faccessat(dfd, name, X_OK, 0) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vz_template_list(const struct vz_global *g, char ***ret)
{
	_cleanup_strv_free_ char **names = calloc(1, sizeof(char *));
	if (!names)
		return -ENOMEM;
	DIR *d = opendir(g->templates_dir);
	if (!d) {
		if (errno != ENOENT)
			return -errno;
		*ret = TAKE_PTR(names);
		return 0;
	}
	int r = 0;
	struct dirent *de;
	while (r >= 0 && (de = readdir(d))) {
		if (!startswith(de->d_name, TEMPLATE_PREFIX))
			continue;
		const char *name = de->d_name + strlen(TEMPLATE_PREFIX);
		if (component_valid(name, TEMPLATE_NAME_MAX) && executable_at(dirfd(d), de->d_name))
			r = strv_push(&names, name);
	}
	closedir(d);
	if (r < 0)
		return r;
	size_t n = strv_length(names);
	qsort(names, n, sizeof(char *), cmp_str);
	*ret = TAKE_PTR(names);
	return (int)n;
}

static int unknown_template(const struct vz_global *g, const char *name, vz_err *err)
{
	_cleanup_strv_free_ char **names = NULL;
	_cleanup_free_ char *list = NULL;
	if (vz_template_list(g, &names) >= 0)
		list = strv_join(names, ", ");
	return vz_failx(err, ENOENT, "unknown template '%s' (no %s%s in %s; available: %s)", name,
			TEMPLATE_PREFIX, name, g->templates_dir, list && *list ? list : "none");
}

static int env_add(char ***env, const char *key, const char *value)
{
	return strv_consume(env, strdup_printf("%s=%s", key, value));
}

static char **template_env(const struct tmpl *t, const char *container)
{
	_cleanup_strv_free_ char **env = NULL;
	if (env_add(&env, "PATH", TEMPLATE_PATH) < 0 || env_add(&env, "LC_ALL", "C") < 0 ||
	    env_add(&env, "VZ_TEMPLATE", t->name) < 0 ||
	    env_add(&env, "VZ_CACHE_DIR", t->cache) < 0)
		return NULL;
	if (container && env_add(&env, "VZ_CONTAINER", container) < 0)
		return NULL;
	for (size_t i = 0; i < ELEMENTSOF(passed_env); i++) {
		const char *v = getenv(passed_env[i]);
		if (v && env_add(&env, passed_env[i], v) < 0)
			return NULL;
	}
	return TAKE_PTR(env);
}

/* Find the template and make its cache directory (0700: the trees in it
 * are reached only by host root, through the monitor's idmapped mount). */
static int tmpl_init(const struct vz_global *g, const char *name, const char *container,
		     struct tmpl *t, vz_err *err)
{
	if (!component_valid(name, TEMPLATE_NAME_MAX))
		return vz_failx(err, EINVAL,
				"invalid template name '%s': use up to %d letters, digits, '.', '_' "
				"and '-', not starting with '.'",
				name, TEMPLATE_NAME_MAX);
	t->name = name;
	t->path = strdup_printf("%s/%s%s", g->templates_dir, TEMPLATE_PREFIX, name);
	t->cache = path_join(g->cache_dir, name);
	if (!t->path || !t->cache)
		return vz_fail(err, ENOMEM, "template '%s'", name);

	struct stat st;
	if (stat(t->path, &st) < 0)
		return errno == ENOENT ? unknown_template(g, name, err)
				       : vz_fail(err, errno, "template '%s'", t->path);
	if (!S_ISREG(st.st_mode) || access(t->path, X_OK) < 0)
		return vz_failx(err, EACCES, "template '%s' is not an executable file", t->path);

	int r = mkdir_p(g->cache_dir, 0755);
	if (r < 0)
		return vz_fail(err, r, "create the template cache '%s'", g->cache_dir);
	if (mkdir(t->cache, 0700) < 0 && errno != EEXIST)
		return vz_fail(err, errno, "create the template cache '%s'", t->cache);
	t->env = template_env(t, container);
	if (!t->env)
		return vz_fail(err, ENOMEM, "template '%s'", name);
	return 0;
}

struct spawn {
	int in;               /* stdin: -EBADF for /dev/null */
	int out;              /* stdout: -EBADF for the same as stdin */
	int lock;             /* fd 3, or -EBADF */
	const char *ovl_opts; /* mount an overlay with these options ... */
	const char *ovl_dir;  /* ... here, in a private mount namespace, first */
};

/* What went wrong in the child, sent back on the error pipe. */
struct spawn_error {
	int step; /* 0: exec, 1: the configure view's mount */
	int err;
};

/* In the forked child: only async-signal-safe calls until execve. Reports
 * a failure as a struct spawn_error on the close-on-exec pipe errfd. */
_noreturn_ static void exec_template(char *const *argv, char *const *env, const struct spawn *sp,
				     int in, int errfd, pid_t parent)
{
	int out = sp->out, lock = sp->lock;
	struct spawn_error se = { 0, 0 };
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(127);
	/* The view the --configure step works on exists only in its own mount
	 * namespace: gone with it, whatever happens to us. */
	if (sp->ovl_opts &&
	    (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	     mount("overlay", sp->ovl_dir, "overlay", 0, sp->ovl_opts) < 0)) {
		se.step = 1;
		goto fail_step;
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);

	/* Lift the sources (errfd is already) clear of 0-4 so that no dup2
	 * below clobbers another, then keep only 0-2, the lock on 3 and errfd
	 * on 4. */
	in = fcntl(in, F_DUPFD_CLOEXEC, 10);
	out = out >= 0 ? fcntl(out, F_DUPFD_CLOEXEC, 10) : -EBADF;
	lock = lock >= 0 ? fcntl(lock, F_DUPFD_CLOEXEC, 10) : -EBADF;
	if (in < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out >= 0 ? out : in, STDOUT_FILENO) < 0 ||
	    (lock >= 0 && dup2(lock, TEMPLATE_LOCK_FD) < 0) ||
	    dup3(errfd, TEMPLATE_LOCK_FD + 1, O_CLOEXEC) < 0)
		goto fail;
	errfd = TEMPLATE_LOCK_FD + 1;
	if (lock < 0)
		close(TEMPLATE_LOCK_FD);
	close_range(TEMPLATE_LOCK_FD + 2, ~0U, 0);
	/* Not the admin's directory: the template must not depend on it. */
	if (chdir("/") < 0)
		goto fail;
	execve(argv[0], argv, env);
fail:
	se.step = 0;
fail_step:
	se.err = errno;
	(void)!write(errfd, &se, sizeof(se));
	_exit(127);
}

/* Start the template with argv as sp says. Returns once execve has
 * succeeded or failed. */
static int spawn_template(const struct tmpl *t, char *const *argv, const struct spawn *sp,
			  pid_t *ret_pid, vz_err *err)
{
	_cleanup_close_ int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0)
		return vz_fail(err, errno, "open /dev/null");
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) < 0)
		return vz_fail(err, errno, "run template '%s': pipe", t->name);
	_cleanup_close_ int erd = ep[0];
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		/* Keep the error pipe above the fds exec_template() installs. */
		int efd = fcntl(ep[1], F_DUPFD_CLOEXEC, 10);
		exec_template(argv, t->env, sp, sp->in >= 0 ? sp->in : devnull, efd >= 0 ? efd : ep[1],
			      parent);
	}
	int fork_errno = errno;
	close(ep[1]);
	if (pid < 0)
		return vz_fail(err, fork_errno, "run template '%s': fork", t->name);

	struct spawn_error se;
	ssize_t n;
	while ((n = read(erd, &se, sizeof(se))) < 0 && errno == EINTR)
		;
	if (n == sizeof(se)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		if (se.step == 1)
			return vz_fail(err, se.err, "mount the container's root filesystem on '%s'",
				       sp->ovl_dir);
		return vz_fail(err, se.err, "run template '%s'", t->path);
	}
	*ret_pid = pid;
	return 0;
}

static int wait_template(const struct tmpl *t, pid_t pid, vz_err *err)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return vz_fail(err, errno, "wait for template '%s'", t->name);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return vz_failx(err, EIO, "template '%s' failed (exit status %d)", t->name,
				WEXITSTATUS(status));
	const char *sig = sigabbrev_np(WTERMSIG(status));
	if (sig)
		return vz_failx(err, EIO, "template '%s' failed (killed by SIG%s)", t->name, sig);
	return vz_failx(err, EIO, "template '%s' failed (killed by signal %d)", t->name,
			WTERMSIG(status));
}

/* argv: the template's path, mode (and its value), then the caller's args. */
static char **template_argv(const struct tmpl *t, const char *mode, const char *value,
			    char *const *args)
{
	_cleanup_strv_free_ char **argv = NULL;
	if (strv_push(&argv, t->path) < 0 || strv_push(&argv, mode) < 0 ||
	    (value && strv_push(&argv, value) < 0))
		return NULL;
	STRV_FOREACH (a, args)
		if (strv_push(&argv, *a) < 0)
			return NULL;
	return TAKE_PTR(argv);
}

/* Read all the template prints (so it never blocks on a full pipe), keeping
 * the first RELEASE_OUTPUT_MAX bytes; *truncated if there was more. */
static int read_output(int fd, char *buf, size_t size, size_t *len, bool *truncated)
{
	*len = 0;
	*truncated = false;
	for (;;) {
		char scratch[512];
		bool room = *len + 1 < size;
		ssize_t n = room ? read(fd, buf + *len, size - 1 - *len)
				 : read(fd, scratch, sizeof(scratch));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		if (room)
			*len += (size_t)n;
		else
			*truncated = true;
	}
	buf[*len] = 0;
	return 0;
}

/* "what it printed" for an error message: control characters escaped,
 * long output cut. */
static void quote_output(const char *s, size_t len, bool truncated, char *out, size_t size)
{
	size_t o = 0, i;
	for (i = 0; i < len && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			o += (size_t)snprintf(out + o, size - o, "\\n");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = 0;
	if (truncated || i < len)
		snprintf(out + o, size - o, "...");
}

static int parse_release(const struct tmpl *t, char *buf, size_t len, bool truncated, char **ret,
			 vz_err *err)
{
	size_t n = len;
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (!truncated && strlen(buf) == len) { /* no NUL bytes */
		_cleanup_free_ char *key = strndup(buf, n);
		if (!key)
			return vz_fail(err, ENOMEM, "template '%s'", t->name);
		if (component_valid(key, RELEASE_MAX)) {
			*ret = TAKE_PTR(key);
			return 0;
		}
	}
	if (len == 0)
		return vz_failx(err, EPROTO,
				"template '%s' printed no release for --release (want one line)",
				t->name);
	char shown[160];
	quote_output(buf, len, truncated, shown, sizeof(shown));
	return vz_failx(err, EPROTO,
			"template '%s' printed '%s' for --release; want one line of up to %d "
			"letters, digits, '.', '_' and '-', not starting with '.'",
			t->name, shown, RELEASE_MAX);
}

static int run_release(const struct tmpl *t, char *const *args, char **ret, vz_err *err)
{
	_cleanup_strv_free_ char **argv = template_argv(t, "--release", NULL, args);
	if (!argv)
		return vz_fail(err, ENOMEM, "template '%s'", t->name);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return vz_fail(err, errno, "run template '%s': pipe", t->name);
	_cleanup_close_ int rfd = p[0];
	pid_t pid;
	struct spawn sp = { .in = -EBADF, .out = p[1], .lock = -EBADF };
	int r = spawn_template(t, argv, &sp, &pid, err);
	close(p[1]);
	if (r < 0)
		return r;

	char buf[RELEASE_OUTPUT_MAX + 1];
	size_t len;
	bool truncated;
	int rr = read_output(rfd, buf, sizeof(buf), &len, &truncated);
	r = wait_template(t, pid, err);
	if (r < 0)
		return r;
	if (rr < 0)
		return vz_fail(err, rr, "read the release printed by template '%s'", t->name);
	return parse_release(t, buf, len, truncated, ret, err);
}

/* Trees of builds that died (vz killed, machine crashed) before the rename.
 * Under the lock nobody else is building this release. rm_rf() refuses to
 * cross into a mount a dead build left behind, and says so. */
static int remove_stale(const struct tmpl *t, const char *release, vz_err *err)
{
	_cleanup_free_ char *prefix = strdup_printf(".%s.tmp-", release);
	if (!prefix)
		return vz_fail(err, ENOMEM, "template '%s'", t->name);
	DIR *d = opendir(t->cache);
	if (!d)
		return vz_fail(err, errno, "open the template cache '%s'", t->cache);
	int r = 0;
	struct dirent *de;
	while (r >= 0 && (de = readdir(d))) {
		if (!startswith(de->d_name, prefix))
			continue;
		_cleanup_free_ char *p = path_join(t->cache, de->d_name);
		if (!p) {
			r = vz_fail(err, ENOMEM, "template '%s'", t->name);
			break;
		}
		r = rm_rf(p);
		if (r < 0)
			vz_fail(err, r, "remove '%s', left by an interrupted build", p);
		else
			log_info("removed '%s', left by an interrupted build", p);
	}
	closedir(d);
	return r;
}

/* Make the tree durable before it becomes visible under its final name: a
 * crash after the rename must not leave a cache entry with empty files. */
static int commit_tree(const char *tmp, const char *final, vz_err *err)
{
	_cleanup_close_ int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) < 0)
		return vz_fail(err, errno, "sync '%s'", tmp);
	if (rename(tmp, final) < 0)
		return vz_fail(err, errno, "rename '%s' to '%s'", tmp, final);
	return 0;
}

static int build_tree(const struct tmpl *t, const char *release, char *const *args, int lock,
		      const char *final, vz_err *err)
{
	_cleanup_free_ char *tmp = strdup_printf("%s/.%s.tmp-%d", t->cache, release, (int)getpid());
	_cleanup_strv_free_ char **argv = tmp ? template_argv(t, "--rootfs", tmp, args) : NULL;
	if (!argv)
		return vz_fail(err, ENOMEM, "template '%s'", t->name);
	if (mkdir(tmp, 0755) < 0)
		return vz_fail(err, errno, "create '%s'", tmp);

	log_info("building template cache '%s' with %s", final, t->path);
	pid_t pid = 0;
	/* It becomes the container's "/": 0755 whatever our umask. */
	int r = chmod(tmp, 0755) < 0 ? vz_fail(err, errno, "chmod '%s'", tmp) : 0;
	/* The template's stdout joins its stderr: vz's own stdout is for results. */
	struct spawn sp = { .in = -EBADF, .out = STDERR_FILENO, .lock = lock };
	if (r >= 0)
		r = spawn_template(t, argv, &sp, &pid, err);
	if (r >= 0)
		r = wait_template(t, pid, err);
	if (r >= 0)
		r = commit_tree(tmp, final, err);
	if (r < 0) {
		int k = rm_rf(tmp);
		if (k < 0)
			log_warn("cannot remove the failed build '%s': %s", tmp, strerror(-k));
	}
	return r;
}

/* Generations of one release: "RELEASE" is the first build, "RELEASE@2",
 * "RELEASE@3" ... the rebuilds (--refresh). A rebuild never replaces a tree
 * in place (containers' overlays would break); it is built beside it and
 * new containers use the newest. Returns the newest generation number, 0
 * if none exists. */
static int newest_generation(const struct tmpl *t, const char *release)
{
	DIR *d = opendir(t->cache);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	size_t n = strlen(release);
	int best = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, release, n) != 0)
			continue;
		const char *rest = de->d_name + n;
		int gen = 0;
		if (!*rest)
			gen = 1;
		else if (rest[0] == '@' && rest[1] >= '1' && rest[1] <= '9' &&
			 strspn(rest + 1, "0123456789") == strlen(rest + 1) && strlen(rest + 1) < 9)
			gen = atoi(rest + 1);
		if (gen > best && dirfd(d) >= 0) {
			struct stat st;
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISDIR(st.st_mode))
				best = gen;
		}
	}
	closedir(d);
	return best;
}

static char *generation_name(const char *release, int gen)
{
	return gen <= 1 ? strdup(release) : strdup_printf("%s@%d", release, gen);
}

/* After a refresh: the older generations no container uses go. */
static void remove_unused_generations(const struct vz_global *g, const struct tmpl *t,
				      const char *release, int newest)
{
	for (int gen = 1; gen < newest; gen++) {
		_cleanup_free_ char *name = generation_name(release, gen);
		_cleanup_free_ char *entry = name ? strdup_printf("%s/%s", t->name, name) : NULL;
		if (!entry)
			return;
		vz_err e = { 0 };
		int r = vz_cache_remove(g, entry, &e);
		if (r < 0 && r != -ENOENT)
			log_info("kept the older cache '%s': %s", entry, e.msg);
	}
}

static int build_locked_once(const struct vz_global *g, const struct tmpl *t, const char *release,
			     char *const *args, bool refresh, char **ret_name, vz_err *err)
{
	_cleanup_free_ char *lockpath = path_join(t->cache, ".lock");
	if (!lockpath)
		return vz_fail(err, ENOMEM, "template '%s'", t->name);
	_cleanup_close_ int lock =
	    open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (lock < 0)
		return vz_fail(err, errno, "open the template lock '%s'", lockpath);
	/* Blocking: the other holder is building this very cache, which takes
	 * as long as it takes (debootstrap: a minute). */
	while (flock(lock, LOCK_EX) < 0)
		if (errno != EINTR)
			return vz_fail(err, errno, "lock '%s'", lockpath);

	int gen = newest_generation(t, release);
	if (gen < 0)
		return vz_fail(err, gen, "read the template cache '%s'", t->cache);
	if (gen > 0 && !refresh) {
		/* built by whoever held the lock before us */
		*ret_name = generation_name(release, gen);
		return *ret_name ? 0 : vz_fail(err, ENOMEM, "template '%s'", t->name);
	}
	int r = remove_stale(t, release, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *name = generation_name(release, gen + 1);
	_cleanup_free_ char *final = name ? path_join(t->cache, name) : NULL;
	if (!final)
		return vz_fail(err, ENOMEM, "template '%s'", t->name);
	r = build_tree(t, release, args, lock, final, err);
	if (r < 0)
		return r;
	if (refresh && gen > 0)
		remove_unused_generations(g, t, release, gen + 1);
	*ret_name = TAKE_PTR(name);
	return 0;
}

int vz_template_prepare(const struct vz_global *g, const char *template, char *const *args,
			const char *container, bool refresh, char **ret_lower, vz_err *err)
{
	_cleanup_(tmpl_done) struct tmpl t = { 0 };
	int r = tmpl_init(g, template, container, &t, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *release = NULL;
	r = run_release(&t, args, &release, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *name = NULL;
	int gen = refresh ? 0 : newest_generation(&t, release);
	if (gen > 0)
		name = generation_name(release, gen);
	else if (gen < 0)
		return vz_fail(err, gen, "read the template cache '%s'", t.cache);
	else {
		r = build_locked_once(g, &t, release, args, refresh, &name, err);
		if (r < 0)
			return r;
	}
	char *lower = name ? strdup_printf("%s/%s", template, name) : NULL;
	if (!lower)
		return vz_fail(err, ENOMEM, "template '%s'", template);
	*ret_lower = lower;
	return 0;
}

int vz_template_configure(const struct vz_global *g, const struct vz_configure *c, vz_err *err)
{
	_cleanup_(tmpl_done) struct tmpl t = { 0 };
	int r = tmpl_init(g, c->template, c->container, &t, err);
	if (r < 0)
		return r;
	const char *mode = c->password ? "set" : "locked";
	if (env_add(&t.env, "VZ_HOSTNAME", c->hostname) < 0 ||
	    env_add(&t.env, "VZ_ROOT_PASSWORD", mode) < 0)
		return vz_fail(err, ENOMEM, "template '%s'", t.name);
	_cleanup_strv_free_ char **argv = template_argv(&t, "--configure", c->dir, c->args);
	if (!argv)
		return vz_fail(err, ENOMEM, "template '%s'", t.name);

	/* The password reaches the template on stdin, never in argv or env. */
	_cleanup_close_ int in = -EBADF;
	if (c->password) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			return vz_fail(err, errno, "run template '%s': pipe", t.name);
		in = p[0];
		size_t len = strlen(c->password);
		bool ok = len < 4096 && write(p[1], c->password, len) == (ssize_t)len &&
			  write(p[1], "\n", 1) == 1;
		close(p[1]);
		if (!ok)
			return vz_failx(err, EINVAL, "the root password is too long");
	}
	struct spawn sp = {
		.in = in, .out = STDERR_FILENO, .lock = -EBADF,
		.ovl_opts = c->mount_opts, .ovl_dir = c->dir,
	};
	pid_t pid;
	r = spawn_template(&t, argv, &sp, &pid, err);
	in = safe_close(in);
	if (r >= 0)
		r = wait_template(&t, pid, err);
	if (r < 0)
		vz_err_prefix(err, "configure");
	return r;
}
