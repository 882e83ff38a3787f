#!/usr/bin/python3
"""An SMTP sink for the integration tests (Debian's python3-aiosmtpd).

Listens on an ephemeral loopback port and prints "PORT <n>" on stdout once it accepts
connections. Every message it accepts becomes one JSON line in --out: the envelope, the
headers as decoded by Python's email package, the decoded text body, and whether TLS and AUTH
were used. Messages it answers with a failure become {"event": "deferred"|"rejected"} lines.
It exits when its stdin closes or on SIGTERM.
"""
import argparse
import asyncio
import email
import email.policy
import json
import logging
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, args):
        self.args = args
        self.data_failures_left = args.fail_data
        self.out = open(args.out, "a", encoding="utf-8")

    def write(self, record):
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.args.reject_rcpt:
            self.write({"event": "rejected", "rcpt": address})
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_failures_left > 0:
            self.data_failures_left -= 1
            self.write({"event": "deferred"})
            return "451 4.3.0 try again later"
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        raw = envelope.content.decode("ascii", errors="replace")
        self.write({
            "event": "delivered",
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k: str(v) for k, v in msg.items()},
            "raw_headers": raw.split("\r\n\r\n", 1)[0],
            "body": msg.get_content().replace("\r\n", "\n"),
            "tls": session.ssl is not None,
            "login": session.auth_data.decode() if session.authenticated else None,
        })
        return "250 OK queued"


def authenticator(expected):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            "%s:%s" % (auth_data.login.decode(), auth_data.password.decode()) == expected
        return AuthResult(success=ok, auth_data=auth_data.login if ok else None)
    return check


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--fail-data", type=int, default=0, help="answer the first N DATA with 451")
    parser.add_argument("--reject-rcpt", action="store_true", help="answer RCPT with 550")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth", help="USER:PASSWORD accepted by AUTH PLAIN/LOGIN")
    args = parser.parse_args()
    # aiosmtpd logs every refused TLS handshake with a traceback; the tests check the outcome.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)

    sink = Sink(args)
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    options = {"hostname": "sink.test", "tls_context": tls}
    if args.auth:
        options.update(authenticator=authenticator(args.auth), auth_require_tls=True)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, **options), "127.0.0.1", 0)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)

    done = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, done.set)
    loop.add_reader(sys.stdin.fileno(), lambda: done.set() if not sys.stdin.buffer.read1(4096) else None)
    await done.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
