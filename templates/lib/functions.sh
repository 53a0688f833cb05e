# shellcheck shell=sh
# templates/lib/functions.sh: helpers that every vz template sources. It owns
# the common command line (--release, --rootfs DIR, --configure DIR, --help),
# messages on stderr, the base directory layout of a root filesystem and the
# per-container edits of the configure mode. It runs in the template's own
# process, which `vz create` starts; doc/templates.md is the interface. POSIX
# sh: templates run under /bin/sh (dash on Debian).
#
# A template sets VZ_TEMPLATE_SUMMARY (one line for --help), may redefine
# template_usage and template_option (below) after sourcing this file, then
# calls vz_parse_args "$@" and acts on VZ_MODE ("release", "rootfs" or
# "configure").

# Whatever umask vz was started with, the tree is built group/world readable.
umask 022

VZ_SELF=${0##*/}
VZ_TEMPLATE_SUMMARY=${VZ_TEMPLATE_SUMMARY:-"a vz template"}

msg() { printf '%s: %s\n' "$VZ_SELF" "$*" >&2; }
die() {
	msg "error: $*"
	exit 1
}
vz_usage_error() {
	msg "$*"
	printf "Try '%s --help'.\n" "$VZ_SELF" >&2
	exit 2
}

# Print the template's own options for --help; nothing by default.
template_usage() { :; }

# Called as template_option "$@" for each argument the common parser does not
# know, with the unparsed rest of the command line. A template that accepts
# options redefines it: consume $1 (and $2 for a value), set VZ_SHIFT to the
# number of arguments used and return 0; return 1 for an unknown argument.
template_option() { return 1; }

vz_usage() {
	cat <<EOF
$VZ_SELF: $VZ_TEMPLATE_SUMMARY

Usage: $VZ_SELF --release [OPTIONS]        print the cache key for OPTIONS
       $VZ_SELF --rootfs DIR [OPTIONS]     build the root filesystem in DIR
       $VZ_SELF --configure DIR [OPTIONS]  set up one container's root DIR
       $VZ_SELF --help

The mode comes first; every later argument is one of the template's options.
vz runs templates itself (vz create NAME -t TEMPLATE [-- OPTIONS]); see
doc/templates.md for the interface.
EOF
	template_usage
}

# Sets VZ_MODE ("release", "rootfs" or "configure") and VZ_ROOTFS (the DIR
# of --rootfs or --configure) from the first argument only, and hands every
# later argument to template_option: a template may then have an option that
# shares a mode's name (the debian template's --release SUITE).
vz_parse_args() {
	VZ_MODE=
	VZ_ROOTFS=
	case ${1-} in
	--release) VZ_MODE=release ;;
	--rootfs | --configure)
		[ $# -ge 2 ] || vz_usage_error "$1 needs a directory"
		VZ_MODE=${1#--}
		VZ_ROOTFS=$2
		shift
		;;
	--rootfs=*)
		VZ_MODE=rootfs
		VZ_ROOTFS=${1#*=}
		;;
	--configure=*)
		VZ_MODE=configure
		VZ_ROOTFS=${1#*=}
		;;
	-h | --help)
		vz_usage
		exit 0
		;;
	'') vz_usage_error "give the mode first: --release, --rootfs DIR or --configure DIR" ;;
	*) vz_usage_error "unknown mode '$1': the first argument is --release, --rootfs DIR or --configure DIR" ;;
	esac
	shift
	if [ "$VZ_MODE" != release ] && [ -z "$VZ_ROOTFS" ]; then
		vz_usage_error "--$VZ_MODE needs a directory"
	fi
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help)
			vz_usage
			exit 0
			;;
		esac
		VZ_SHIFT=0
		if ! template_option "$@"; then
			case $1 in
			--rootfs | --rootfs=* | --configure | --configure=*)
				vz_usage_error "'$1' is a mode: it must be the first argument" ;;
			esac
			vz_usage_error "unknown argument '$1'"
		fi
		if [ "$VZ_SHIFT" -lt 1 ] || [ "$VZ_SHIFT" -gt $# ]; then
			die "internal: template_option consumed $VZ_SHIFT arguments"
		fi
		shift "$VZ_SHIFT"
	done
}

# The rootfs directory must be new or empty: a template never builds over an
# existing tree (vz hands it a fresh one).
vz_check_rootfs_empty() {
	mkdir -p -- "$1"
	[ -z "$(ls -A -- "$1")" ] || die "'$1' is not empty"
}

# The directories every Linux root filesystem has, with the modes that
# matter: /tmp and /var/tmp sticky and world-writable, /root private.
vz_make_base_layout() {
	mkdir -p -- "$1"
	(
		cd -- "$1" || exit 1
		mkdir -p bin dev etc home lib mnt proc run sbin srv sys usr/bin usr/lib usr/sbin \
			var/cache var/lib var/log var/spool
		# var exists already, so -m applies to all that this creates.
		# shellcheck disable=SC2174
		mkdir -p -m 1777 tmp var/tmp
		mkdir -p -m 0700 root
		# Old paths that programs still use (Debian does the same).
		ln -s ../run var/run
	)
}

# vz_elf_is_static FILE: 0 if FILE is an ELF executable without a program
# interpreter (static or static-pie), 1 if it has one (dynamically linked),
# 2 if it is not ELF, 3 if its program headers are not where we can read
# them. A root filesystem made of one binary has no libc to load.
vz_elf_is_static() {
	od -An -v -tu1 -N 4096 -- "$1" | awk '
	function u(off, len,    v, i) {
		v = 0
		for (i = len - 1; i >= 0; i--)
			v = v * 256 + b[off + (le ? i : len - 1 - i)]
		return v
	}
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		if (b[0] != 127 || b[1] != 69 || b[2] != 76 || b[3] != 70)
			exit 2
		le = b[5] == 1
		if (b[4] == 2) { phoff = u(32, 8); phsize = u(54, 2); phnum = u(56, 2) }
		else { phoff = u(28, 4); phsize = u(42, 2); phnum = u(44, 2) }
		if (phnum == 0 || phoff + phsize * phnum > n)
			exit 3
		for (i = 0; i < phnum; i++)
			if (u(phoff + i * phsize, 4) == 3) # PT_INTERP
				exit 1
		exit 0
	}'
}

# ---------------------------------------------------------------- configure
# The configure mode edits one container's root (vz_configure_begin sets
# VZ_ETC to its etc). vz runs it at every create and clone, so it sticks to
# builtins where it can, and touches only the files it changes: each one is
# copied up into the container's own layer. The root may hold anything its
# tenant put there (a clone), so nothing here follows a symbolic link: a link
# where a file is written is removed first, and a linked etc or etc/ssh is
# refused or left alone.

VZ_NL='
'

# Checks the directory and the environment vz passes (doc/templates.md):
# VZ_ROOT_PASSWORD (set, locked or keep) and VZ_HOSTNAME (or VZ_CONTAINER).
vz_configure_begin() {
	[ -d "$VZ_ROOTFS" ] || vz_usage_error "--configure: '$VZ_ROOTFS' is not a directory"
	VZ_ETC=$VZ_ROOTFS/etc
	[ ! -L "$VZ_ETC" ] || die "'$VZ_ETC' is a symbolic link: refusing to write through it"
	[ -d "$VZ_ETC" ] || die "'$VZ_ETC' is not a directory: is '$VZ_ROOTFS' a root filesystem?"
	case ${VZ_ROOT_PASSWORD-} in
	set | locked | keep) ;;
	*) vz_usage_error "VZ_ROOT_PASSWORD must be set, locked or keep (it is '${VZ_ROOT_PASSWORD-}')" ;;
	esac
	VZ_HOSTNAME=${VZ_HOSTNAME:-${VZ_CONTAINER:-}}
	case $VZ_HOSTNAME in
	'') vz_usage_error "--configure needs VZ_HOSTNAME (or VZ_CONTAINER) in the environment" ;;
	[-.]* | *[!A-Za-z0-9.-]* | *..* | *.)
		vz_usage_error "invalid host name '$VZ_HOSTNAME': use letters, digits, '-' and '.'" ;;
	esac
	[ ${#VZ_HOSTNAME} -le 253 ] || vz_usage_error "host name '$VZ_HOSTNAME' is longer than 253 characters"
}

# vz_configure_unlink PATH: PATH may now be written without leaving the root.
vz_configure_unlink() {
	if [ -L "$1" ]; then
		rm -f -- "$1" || die "cannot remove the symbolic link '$1'"
	elif [ -d "$1" ]; then
		die "'$1' is a directory, not a file"
	fi
}

# /etc/hostname, and the 127.0.1.1 line of /etc/hosts that resolves it (as
# Debian's installer writes it: the name, then the short name if it has a
# domain). Other lines of /etc/hosts stay as they are: a clone keeps the
# tenant's own entries.
vz_configure_hostname() {
	vz_configure_unlink "$VZ_ETC/hostname"
	printf '%s\n' "$VZ_HOSTNAME" >"$VZ_ETC/hostname" || die "cannot write '$VZ_ETC/hostname'"

	_short=${VZ_HOSTNAME%%.*}
	_line="127.0.1.1	$VZ_HOSTNAME"
	[ "$_short" = "$VZ_HOSTNAME" ] || _line="$_line $_short"
	_hosts=$VZ_ETC/hosts
	_out=
	_placed=
	if [ -f "$_hosts" ] && [ ! -L "$_hosts" ]; then
		while IFS= read -r _l || [ -n "$_l" ]; do
			case $_l in
			"127.0.1.1	"* | "127.0.1.1 "* | 127.0.1.1) continue ;;
			esac
			_out=$_out$_l$VZ_NL
			case $_l in
			"127.0.0.1	"* | "127.0.0.1 "*)
				[ -n "$_placed" ] || _out=$_out$_line$VZ_NL
				_placed=1
				;;
			esac
		done <"$_hosts"
	else
		vz_configure_unlink "$_hosts"
		_out="127.0.0.1	localhost$VZ_NL::1		localhost ip6-localhost ip6-loopback$VZ_NL"
	fi
	[ -n "$_placed" ] || _out=$_line$VZ_NL$_out
	printf '%s' "$_out" >"$_hosts" || die "cannot write '$_hosts'"
}

# Reads the root password, the first line of stdin (a trailing newline is
# optional), into VZ_PASSWORD. An empty one is refused: "no password" is
# VZ_ROOT_PASSWORD=locked.
vz_configure_read_password() {
	VZ_PASSWORD=
	IFS= read -r VZ_PASSWORD || true
	[ -n "$VZ_PASSWORD" ] ||
		die "VZ_ROOT_PASSWORD=set, but the first line of stdin holds no password"
}

# vz_configure_root_shadow FIELD [DAYS]: root's password field of
# /etc/shadow becomes FIELD (a crypt hash, '*' or empty) and, given DAYS,
# the date of the last change (days since 1970). Written in place, so the
# file keeps its owner and mode (Debian: root:shadow 0640), and only if it
# changes.
vz_configure_root_shadow() {
	_shadow=$VZ_ETC/shadow
	[ ! -L "$_shadow" ] || die "'$_shadow' is a symbolic link: refusing to follow it"
	[ -f "$_shadow" ] || die "'$_shadow' is missing: cannot set root's password"
	_out=
	_found=
	_changed=
	while IFS= read -r _l || [ -n "$_l" ]; do
		case $_l in
		root:*)
			_old=$_l
			case $_l in
			root:*:*) _rest=${_l#root:*:} ;;
			*) _rest= ;;
			esac
			if [ $# -ge 2 ]; then
				case $_rest in
				*:*) _rest=$2:${_rest#*:} ;;
				*) _rest=$2 ;;
				esac
			fi
			_l=root:$1:$_rest
			_found=1
			[ "$_l" = "$_old" ] || _changed=1
			;;
		esac
		_out=$_out$_l$VZ_NL
	done <"$_shadow"
	[ -n "$_found" ] || die "'$_shadow' has no line for root"
	# Unchanged (root locked already): not even copied up.
	[ -n "$_changed" ] || return 0
	printf '%s' "$_out" >"$_shadow" || die "cannot write '$_shadow'"
}

# A fresh /etc/machine-id (32 lowercase hex digits, as systemd writes it)
# from the kernel's random UUID, without a fork.
vz_configure_machine_id() {
	IFS= read -r _uuid </proc/sys/kernel/random/uuid || die "cannot read /proc/sys/kernel/random/uuid"
	_id=
	_ifs=$IFS
	IFS=-
	for _part in $_uuid; do _id=$_id$_part; done
	IFS=$_ifs
	[ ${#_id} -eq 32 ] || die "unexpected UUID '$_uuid' from the kernel"
	vz_configure_unlink "$VZ_ETC/machine-id"
	printf '%s\n' "$_id" >"$VZ_ETC/machine-id" || die "cannot write '$VZ_ETC/machine-id'"
}

# Removes the OpenSSH host keys, so that a clone makes its own at first boot
# rather than sharing its origin's.
vz_configure_ssh_host_keys() {
	if [ -L "$VZ_ETC/ssh" ]; then
		msg "warning: '$VZ_ETC/ssh' is a symbolic link; its host keys are left alone"
		return 0
	fi
	set -- "$VZ_ETC"/ssh/ssh_host_*
	if [ -e "$1" ] || [ -L "$1" ]; then
		rm -f -- "$@" || die "cannot remove the SSH host keys in '$VZ_ETC/ssh'"
	fi
}
