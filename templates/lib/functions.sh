# shellcheck shell=sh
# templates/lib/functions.sh: helpers that every vz template sources. It owns
# the common command line (--release, --rootfs DIR, --help), messages on
# stderr, and the base directory layout of a root filesystem. It runs in the
# template's own process, which `vz create` starts; doc/templates.md is the
# interface. POSIX sh: templates run under /bin/sh (dash on Debian).
#
# A template sets VZ_TEMPLATE_SUMMARY (one line for --help), may redefine
# template_usage and template_option (below) after sourcing this file, then
# calls vz_parse_args "$@" and acts on VZ_MODE ("release" or "rootfs").

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

Usage: $VZ_SELF --release [OPTIONS]      print the cache key for OPTIONS
       $VZ_SELF --rootfs DIR [OPTIONS]   build the root filesystem in DIR
       $VZ_SELF --help

vz runs templates itself (vz create NAME -t TEMPLATE [-- OPTIONS]); see
doc/templates.md for the interface.
EOF
	template_usage
}

vz_set_mode() {
	if [ -n "$VZ_MODE" ] && [ "$VZ_MODE" != "$1" ]; then
		vz_usage_error "--release and --rootfs exclude each other"
	fi
	VZ_MODE=$1
}

# Sets VZ_MODE ("release" or "rootfs") and VZ_ROOTFS.
vz_parse_args() {
	VZ_MODE=
	VZ_ROOTFS=
	while [ $# -gt 0 ]; do
		case $1 in
		--release) vz_set_mode release ;;
		--rootfs)
			[ $# -ge 2 ] || vz_usage_error "--rootfs needs a directory"
			vz_set_mode rootfs
			VZ_ROOTFS=$2
			shift
			;;
		--rootfs=*)
			vz_set_mode rootfs
			VZ_ROOTFS=${1#--rootfs=}
			;;
		-h | --help)
			vz_usage
			exit 0
			;;
		*)
			VZ_SHIFT=0
			template_option "$@" || vz_usage_error "unknown argument '$1'"
			if [ "$VZ_SHIFT" -lt 1 ] || [ "$VZ_SHIFT" -gt $# ]; then
				die "internal: template_option consumed $VZ_SHIFT arguments"
			fi
			shift "$VZ_SHIFT"
			continue
			;;
		esac
		shift
	done
	[ -n "$VZ_MODE" ] || vz_usage_error "give --release or --rootfs DIR"
	if [ "$VZ_MODE" = rootfs ] && [ -z "$VZ_ROOTFS" ]; then
		vz_usage_error "--rootfs needs a directory"
	fi
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
