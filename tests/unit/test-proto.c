/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-proto: control protocol round trips, malformed records (each rejected
 * with a message saying what is wrong), fd passing and EOF.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>

#include "fd-util.h"
#include "proto.h"
#include "tap.h"

static ssize_t enc(const struct vz_msg *m, uint8_t *buf)
{
	return vz_msg_encode(m, buf, VZ_MSG_MAX);
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_round_trips(void)
{
	uint8_t buf[VZ_MSG_MAX];
	struct vz_msg m, d;
	for (int t = VZ_MSG_OK; t < _VZ_MSG_TYPE_MAX; t++) {
		vz_msg_init(&m, t);
		ssize_t n = enc(&m, buf);
		ok(n == 12 && vz_msg_decode(&d, buf, (size_t)n, NULL) == 0 && d.type == t &&
			   d.nfields == 0,
		   "empty message of type %d round-trips", t);
	}
	vz_msg_init(&m, VZ_MSG_INFO);
	is_int(vz_msg_put_int(&m, VZ_F_PID, 12345), 0, "put int");
	is_int(vz_msg_put_int(&m, VZ_F_CAPS, UINT64_MAX), 0, "put max u64");
	is_int(vz_msg_put_str(&m, VZ_F_NAME, "web1"), 0, "put string");
	is_int(vz_msg_put_str(&m, VZ_F_TEXT, ""), 0, "put empty string");
	is_int(vz_msg_put_int(&m, VZ_F_PID, 1), -EINVAL, "a tag cannot be put twice");
	is_int(vz_msg_put_str(&m, VZ_F_PID, "x"), -EINVAL, "a string into an int tag is refused");
	is_int(vz_msg_put_int(&m, VZ_F_TEXT, 1), -EINVAL, "an int into a string tag is refused");
	ssize_t n = enc(&m, buf);
	is_int(vz_msg_decode(&d, buf, (size_t)n, NULL), 0, "decode");
	uint64_t v = 0;
	ok(vz_msg_get_int(&d, VZ_F_PID, &v) == 0 && v == 12345, "int survives");
	ok(vz_msg_get_int(&d, VZ_F_CAPS, &v) == 0 && v == UINT64_MAX, "u64 max survives");
	is_str(vz_msg_get_str(&d, VZ_F_NAME), "web1", "string survives");
	is_str(vz_msg_get_str(&d, VZ_F_TEXT), "", "empty string survives");
	is_int(vz_msg_get_int(&d, VZ_F_STATE, &v), -ENOENT, "absent int is -ENOENT");
	ok(vz_msg_get_str(&d, VZ_F_NAME + 0) && !vz_msg_get_str(&d, VZ_F_CODE), "get_str of an int tag is NULL");
}

static void test_limits(void)
{
	struct vz_msg m;
	char big[VZ_MSG_MAX];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	vz_msg_init(&m, VZ_MSG_ERROR);
	is_int(vz_msg_put_str(&m, VZ_F_TEXT, big), -E2BIG, "a string longer than a record is refused");
	big[VZ_MSG_MAX - 12 - 4] = 0;
	is_int(vz_msg_put_str(&m, VZ_F_TEXT, big), 0, "a string filling the record exactly fits");
	uint8_t buf[VZ_MSG_MAX];
	struct vz_msg d;
	ssize_t n = enc(&m, buf);
	is_int(n, VZ_MSG_MAX, "encodes to exactly VZ_MSG_MAX");
	ok(vz_msg_decode(&d, buf, (size_t)n, NULL) == 0 && strlen(vz_msg_get_str(&d, VZ_F_TEXT)) ==
									VZ_MSG_MAX - 16,
	   "the maximal message decodes");
	is_int(vz_msg_put_int(&m, VZ_F_CODE, 1), -E2BIG, "no room for another field");
	is_int(vz_msg_encode(&m, buf, 100), -E2BIG, "encode into a small buffer: -E2BIG");
}

/* Decode buf and expect -EBADMSG with `why` in the message. */
static void expect_bad(const uint8_t *buf, size_t len, const char *why, const char *desc)
{
	struct vz_msg d;
	vz_err err = { 0 };
	int r = vz_msg_decode(&d, buf, len, &err);
	is_int(r, -EBADMSG, "%s: rejected", desc);
	has_str(err.msg, why, "%s: says why", desc);
}

static void test_malformed(void)
{
	uint8_t good[VZ_MSG_MAX], b[VZ_MSG_MAX + 16];
	struct vz_msg m;
	vz_msg_init(&m, VZ_MSG_STOP);
	vz_msg_put_int(&m, VZ_F_TIMEOUT_MS, 500);
	vz_msg_put_str(&m, VZ_F_TEXT, "hi");
	size_t n = (size_t)enc(&m, good); /* 12 + 12 + 6 = 30 */

	expect_bad(good, 5, "truncated header", "5 bytes");
	memcpy(b, good, n), b[0] ^= 1;
	expect_bad(b, n, "bad magic", "bad magic");
	memcpy(b, good, n), put16(b + 4, 99);
	expect_bad(b, n, "unknown message type 99", "unknown type");
	memcpy(b, good, n), put16(b + 4, 0);
	expect_bad(b, n, "unknown message type 0", "type 0");
	expect_bad(good, n - 1, "payload length", "one byte short");
	memcpy(b, good, n), b[n] = 0;
	expect_bad(b, n + 1, "payload length", "one byte too many");
	memcpy(b, good, n), put32(b + 8, (uint32_t)(n - 12 + 4));
	memset(b + n, 0, 4);
	expect_bad(b, n + 4, "trailing bytes", "trailing bytes inside the payload");
	memcpy(b, good, n), put16(b + 6, 3);
	expect_bad(b, n, "field 2 header runs past", "more fields than present");
	memcpy(b, good, n), put16(b + 6, 40);
	expect_bad(b, n, "more than the 32 allowed", "too many fields");
	memcpy(b, good, n), put16(b + 12 + 2, 200);
	expect_bad(b, n, "field 0 (tag 5) runs past the end", "field length past the end");
	memcpy(b, good, n), put16(b + 12 + 2, 4);
	expect_bad(b, n, "integer field tag 5 has length 4", "wrong int length");
	memcpy(b, good, n), put16(b + 24, VZ_F_PID);
	expect_bad(b, n, "integer field tag 3 has length 2", "string data under an int tag");
	memcpy(b, good, n), put16(b + 24, VZ_F_PID), put16(b + 12, VZ_F_PID);
	expect_bad(b, n, "", "repeated tag (different lengths)");
	/* two int fields with the same tag */
	vz_msg_init(&m, VZ_MSG_STOP);
	vz_msg_put_int(&m, VZ_F_TIMEOUT_MS, 1);
	vz_msg_put_int(&m, VZ_F_FLAGS, 1);
	size_t n2 = (size_t)enc(&m, b);
	put16(b + 24, VZ_F_TIMEOUT_MS);
	expect_bad(b, n2, "repeats tag 5", "repeated tag");
	memcpy(b, good, n), b[28] = 0;
	expect_bad(b, n, "contains a NUL byte", "NUL inside a string");
	memset(b, 0, sizeof(b));
	expect_bad(b, VZ_MSG_MAX + 1, "over the 4096 byte limit", "oversized record");

	/* unknown tags are skipped */
	memcpy(b, good, n), put16(b + 24, 999);
	struct vz_msg d;
	ok(vz_msg_decode(&d, b, n, NULL) == 0 && d.nfields == 1 && !vz_msg_get_str(&d, VZ_F_TEXT),
	   "an unknown tag is skipped");
}

static void test_errors(void)
{
	vz_err in = { 0 }, out = { 0 };
	vz_failx(&in, ENOENT, "container 'x' does not exist");
	struct vz_msg m, d;
	uint8_t buf[VZ_MSG_MAX];
	vz_msg_from_err(&m, &in);
	ssize_t n = enc(&m, buf);
	ok(vz_msg_decode(&d, buf, (size_t)n, NULL) == 0 && d.type == VZ_MSG_ERROR, "error message decodes");
	is_int(vz_msg_to_err(&d, &out), -ENOENT, "to_err returns -code");
	is_str(out.msg, "container 'x' does not exist", "text survives");
	vz_msg_init(&m, VZ_MSG_OK);
	is_int(vz_msg_to_err(&m, &out), 0, "to_err of OK is 0");
}

static void test_socket(void)
{
	int sv[2], p[2];
	ok(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0 && pipe(p) == 0, "socketpair and pipe");
	struct vz_msg m, d;
	vz_msg_init(&m, VZ_MSG_OK);
	vz_msg_put_int(&m, VZ_F_PID, 7);
	is_int(vz_msg_send(sv[0], &m, &p[1], 1), 0, "send with an fd");
	int fds[2] = { -1, -1 };
	size_t nfds = 2;
	vz_err err = { 0 };
	is_int(vz_msg_recv(sv[1], &d, fds, &nfds, &err), 0, "receive");
	is_int(nfds, 1, "one fd received");
	close(p[1]);
	ok(nfds == 1 && write(fds[0], "x", 1) == 1, "write through the passed fd");
	char c = 0;
	ok(read(p[0], &c, 1) == 1 && c == 'x', "the data arrives at the other end of the pipe");
	ok(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, "received fds are close-on-exec");
	close(fds[0]);
	/* garbage record: -EBADMSG and fds closed */
	uint8_t junk[20] = { 1, 2, 3 };
	send(sv[0], junk, sizeof(junk), 0);
	is_int(vz_msg_recv(sv[1], &d, NULL, NULL, &err), -EBADMSG, "garbage record: -EBADMSG");
	has_str(err.msg, "bad magic", "... with a reason");
	close(sv[0]);
	is_int(vz_msg_recv(sv[1], &d, NULL, NULL, &err), -ECONNRESET, "EOF: -ECONNRESET");
	close(sv[1]);
	close(p[0]);
	/* over a pipe (status channel without sockets) */
	ok(pipe(p) == 0, "pipe");
	is_int(vz_msg_send(p[1], &m, NULL, 0), 0, "send over a pipe");
	ok(vz_msg_recv(p[0], &d, NULL, NULL, &err) == 0 && d.type == VZ_MSG_OK, "receive over a pipe");
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	test_round_trips();
	test_limits();
	test_malformed();
	test_errors();
	test_socket();
	return tap_done();
}
