/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proto.c: encoding, decoding and sending control messages (see proto.h for
 * the wire format). Used by commands, the monitor and vz start. The decoder
 * trusts nothing: every length is checked before it is used and every
 * rejection says what was wrong.
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>

#include "fd-util.h"
#include "proto.h"

#define MAGIC 0x31505a56u /* "VZP1" read as little-endian u32 */
#define HEADER_SIZE 12u
#define FIELD_HEADER 4u

static const uint8_t tag_kind[_VZ_F_MAX] = {
	[VZ_F_CODE] = VZ_KIND_INT,       [VZ_F_TEXT] = VZ_KIND_STR,
	[VZ_F_PID] = VZ_KIND_INT,        [VZ_F_MONITOR_PID] = VZ_KIND_INT,
	[VZ_F_TIMEOUT_MS] = VZ_KIND_INT, [VZ_F_FLAGS] = VZ_KIND_INT,
	[VZ_F_STATE] = VZ_KIND_INT,      [VZ_F_CAPS] = VZ_KIND_INT,
	[VZ_F_STARTED_AT] = VZ_KIND_INT, [VZ_F_RESTARTS] = VZ_KIND_INT,
	[VZ_F_NAME] = VZ_KIND_STR,       [VZ_F_TTY] = VZ_KIND_INT,
	[VZ_F_ROWS] = VZ_KIND_INT,       [VZ_F_COLS] = VZ_KIND_INT,
};

static unsigned kind_of(unsigned tag) { return tag < _VZ_F_MAX ? tag_kind[tag] : 0; }

static void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static void put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static uint16_t get_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void vz_msg_init(struct vz_msg *m, enum vz_msg_type type)
{
	m->type = (uint16_t)type;
	m->nfields = 0;
	m->strused = 0;
}

/* Bytes the encoded message takes now. */
static size_t encoded_size(const struct vz_msg *m)
{
	size_t n = HEADER_SIZE;
	for (unsigned i = 0; i < m->nfields; i++)
		n += FIELD_HEADER + (m->f[i].kind == VZ_KIND_INT ? 8 : strlen(m->f[i].s));
	return n;
}

static struct vz_field *find(const struct vz_msg *m, unsigned tag)
{
	for (unsigned i = 0; i < m->nfields; i++)
		if (m->f[i].tag == tag)
			return (struct vz_field *)&m->f[i];
	return NULL;
}

int vz_msg_put_int(struct vz_msg *m, enum vz_field_tag tag, uint64_t v)
{
	if (kind_of(tag) != VZ_KIND_INT || find(m, tag))
		return -EINVAL;
	if (m->nfields >= VZ_MSG_MAX_FIELDS || encoded_size(m) + FIELD_HEADER + 8 > VZ_MSG_MAX)
		return -E2BIG;
	m->f[m->nfields++] = (struct vz_field){ .tag = tag, .kind = VZ_KIND_INT, .u = v };
	return 0;
}

int vz_msg_put_str(struct vz_msg *m, enum vz_field_tag tag, const char *s)
{
	if (kind_of(tag) != VZ_KIND_STR || find(m, tag))
		return -EINVAL;
	size_t len = strlen(s);
	if (m->nfields >= VZ_MSG_MAX_FIELDS || len > UINT16_MAX ||
	    encoded_size(m) + FIELD_HEADER + len > VZ_MSG_MAX || m->strused + len + 1 > VZ_MSG_MAX)
		return -E2BIG;
	char *dst = m->strbuf + m->strused;
	memcpy(dst, s, len + 1);
	m->strused += len + 1;
	m->f[m->nfields++] = (struct vz_field){ .tag = tag, .kind = VZ_KIND_STR, .s = dst };
	return 0;
}

int vz_msg_get_int(const struct vz_msg *m, enum vz_field_tag tag, uint64_t *v)
{
	const struct vz_field *f = find(m, tag);
	if (!f || f->kind != VZ_KIND_INT)
		return -ENOENT;
	*v = f->u;
	return 0;
}

const char *vz_msg_get_str(const struct vz_msg *m, enum vz_field_tag tag)
{
	const struct vz_field *f = find(m, tag);
	return f && f->kind == VZ_KIND_STR ? f->s : NULL;
}

void vz_msg_from_err(struct vz_msg *m, const vz_err *err)
{
	vz_msg_init(m, VZ_MSG_ERROR);
	vz_msg_put_int(m, VZ_F_CODE, (uint64_t)(err && err->code > 0 ? err->code : EIO));
	char text[VZ_ERR_MAX];
	snprintf(text, sizeof(text), "%s", err && err->msg[0] ? err->msg : "unknown error");
	vz_msg_put_str(m, VZ_F_TEXT, text);
}

int vz_msg_to_err(const struct vz_msg *m, vz_err *err)
{
	if (m->type != VZ_MSG_ERROR)
		return 0;
	uint64_t code = EIO;
	vz_msg_get_int(m, VZ_F_CODE, &code);
	if (code == 0 || code > 4095)
		code = EIO;
	const char *text = vz_msg_get_str(m, VZ_F_TEXT);
	return vz_failx(err, (int)code, "%s", text ? text : "the monitor reported an error");
}

ssize_t vz_msg_encode(const struct vz_msg *m, void *buf, size_t size)
{
	size_t total = encoded_size(m);
	if (total > size || total > VZ_MSG_MAX)
		return -E2BIG;
	uint8_t *p = buf;
	put_u32(p, MAGIC);
	put_u16(p + 4, m->type);
	put_u16(p + 6, m->nfields);
	put_u32(p + 8, (uint32_t)(total - HEADER_SIZE));
	p += HEADER_SIZE;
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct vz_field *f = &m->f[i];
		size_t len = f->kind == VZ_KIND_INT ? 8 : strlen(f->s);
		put_u16(p, f->tag);
		put_u16(p + 2, (uint16_t)len);
		if (f->kind == VZ_KIND_INT)
			put_u64(p + FIELD_HEADER, f->u);
		else
			memcpy(p + FIELD_HEADER, f->s, len);
		p += FIELD_HEADER + len;
	}
	return (ssize_t)total;
}

static int bad(vz_err *err, const char *fmt, ...) _printf_(2, 3);
static int bad(vz_err *err, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return vz_failx(err, EBADMSG, "malformed message: %s", what);
}

/* One field at p (len bytes left); known tags are stored in m. */
static int decode_field(struct vz_msg *m, const uint8_t *p, size_t left, unsigned idx,
			size_t *used, vz_err *err)
{
	if (left < FIELD_HEADER)
		return bad(err, "field %u header runs past the end (%u bytes left)", idx,
			   (unsigned)left);
	unsigned tag = get_u16(p), len = get_u16(p + 2);
	if (len > left - FIELD_HEADER)
		return bad(err, "field %u (tag %u) runs past the end", idx, tag);
	*used = FIELD_HEADER + len;
	unsigned kind = kind_of(tag);
	if (kind == 0)
		return 0; /* unknown tag: a newer peer's field, skipped */
	if (find(m, tag))
		return bad(err, "field %u repeats tag %u", idx, tag);
	if (kind == VZ_KIND_INT) {
		if (len != 8)
			return bad(err, "integer field tag %u has length %u, not 8", tag, len);
		return vz_msg_put_int(m, tag, get_u64(p + FIELD_HEADER)) < 0
			       ? bad(err, "field %u (tag %u) does not fit", idx, tag)
			       : 0;
	}
	if (memchr(p + FIELD_HEADER, 0, len))
		return bad(err, "string field tag %u contains a NUL byte (field %u)", tag, idx);
	char s[VZ_MSG_MAX];
	memcpy(s, p + FIELD_HEADER, len);
	s[len] = 0;
	return vz_msg_put_str(m, tag, s) < 0 ? bad(err, "field %u (tag %u) does not fit", idx, tag)
					     : 0;
}

int vz_msg_decode(struct vz_msg *m, const void *buf, size_t len, vz_err *err)
{
	const uint8_t *p = buf;
	if (len > VZ_MSG_MAX)
		return bad(err, "%u bytes is over the %u byte limit", (unsigned)len, VZ_MSG_MAX);
	if (len < HEADER_SIZE)
		return bad(err, "truncated header (%u of %u bytes)", (unsigned)len, HEADER_SIZE);
	if (get_u32(p) != MAGIC)
		return bad(err, "bad magic 0x%08x", get_u32(p));
	unsigned type = get_u16(p + 4), nfields = get_u16(p + 6);
	uint32_t plen = get_u32(p + 8);
	if (type == 0 || type >= _VZ_MSG_TYPE_MAX)
		return bad(err, "unknown message type %u", type);
	if (plen != len - HEADER_SIZE)
		return bad(err, "payload length %u but %u bytes follow the header", plen,
			   (unsigned)(len - HEADER_SIZE));
	if (nfields > VZ_MSG_MAX_FIELDS)
		return bad(err, "%u fields, more than the %u allowed", nfields, VZ_MSG_MAX_FIELDS);
	vz_msg_init(m, (enum vz_msg_type)type);
	size_t off = HEADER_SIZE;
	for (unsigned i = 0; i < nfields; i++) {
		size_t used;
		int r = decode_field(m, p + off, len - off, i, &used, err);
		if (r < 0)
			return r;
		off += used;
	}
	if (off != len)
		return bad(err, "%u trailing bytes after %u fields", (unsigned)(len - off), nfields);
	return 0;
}

int vz_msg_send(int fd, const struct vz_msg *m, const int *fds, size_t nfds)
{
	uint8_t buf[VZ_MSG_MAX];
	ssize_t n = vz_msg_encode(m, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	int r = send_with_fds(fd, buf, (size_t)n, fds, nfds);
	if (r == -ENOTSOCK && nfds == 0)
		r = loop_write(fd, buf, (size_t)n);
	return r;
}

int vz_msg_recv(int fd, struct vz_msg *m, int *fds, size_t *nfds, vz_err *err)
{
	uint8_t buf[VZ_MSG_MAX + 1];
	ssize_t n = recv_with_fds(fd, buf, sizeof(buf), fds, nfds);
	if (n == -ENOTSOCK) {
		do
			n = read(fd, buf, sizeof(buf));
		while (n < 0 && errno == EINTR);
		if (n < 0)
			n = -errno;
	}
	if (n == -EMSGSIZE)
		return vz_failx(err, EBADMSG, "malformed message: over %u bytes", VZ_MSG_MAX);
	if (n < 0)
		return vz_fail(err, (int)n, "receive a message");
	if (n == 0)
		return -ECONNRESET;
	int r = vz_msg_decode(m, buf, (size_t)n, err);
	if (r < 0 && nfds) {
		for (size_t i = 0; i < *nfds; i++)
			close(fds[i]);
		*nfds = 0;
	}
	return r;
}
