"""Apply the local stack's fixes to the installed jasmin package (idempotent, fails loudly).

jasmin 0.11.1, jasmin/managers/listeners.py, submit_sm_resp_event: the DLR published on
`dlr.submit_sm_resp` is built from `_pdu.response`, but `_pdu` is the SubmitSM *request*, which has
no `response` attribute. Every submit_sm_resp then fails with
  AttributeError: 'SubmitSM' object has no attribute 'response'
so no DLR map is stored and every receipt ends in DLRMapNotFound (no level 1/2 DLR callbacks).
Upstream reports: jookies/jasmin issues #1218 and #1236. 0.11.0 used `r.response` (the
submit_sm_resp), which is what is restored here.

jasmind.py takes a machine-wide lock at the fixed path /tmp/jasmind: a second checkout's stack
cannot start its Jasmin, and a jasmind that was killed (SIGKILL, crash) leaves the lock behind so
the next start fails with "Lock not acquired ! exiting". The lock path is made configurable with
JASMIND_LOCK_PATH (default unchanged); the stack points it into its state folder.

jasmin/managers/clients.py fixes the AMQP prefetch of every SMPP client connector's submit.sm
consumer at 1 ("to get correct throttling"), so a connector takes its next message from RabbitMQ
only after the previous one was handled: one message per round trip, about 26 per second on a
2-core host whatever submit_throughput says (jookies/jasmin issues #1167, #1168). The prefetch is
made configurable with JASMIN_SUBMIT_PREFETCH (default 1, upstream's behaviour); the local stack
sets it (infra/lib/jasmin.sh), and submit_throughput still paces the connector.

jasmin/managers/dlr.py, DLRLookup: a receipt looked up before its submit_sm_resp mapped the message
id is held and requeued after dlr_lookup_retry_delay by a timer kept per SMPP message id. An
intermediate receipt (ENROUTE) and the final one close behind it share that id, so the second one's
hold only resets the first one's timer, and the first receipt acked cancels the timer of the
other: the final receipt then stays unacknowledged in RabbitMQ until jasmind restarts (seen as a
message left `sent` for minutes). The timers are keyed by the AMQP delivery tag, one per receipt.

Usage: <venv>/bin/python patch_jasmin.py
"""
import importlib.util
import pathlib
import sys

LOCK_FIX = [
    (
        'lock = FileLock("/tmp/jasmind")',
        'lock = FileLock(os.environ.get("JASMIND_LOCK_PATH", "/tmp/jasmind"))',
    ),
]

# (where, relative path, replacements): "pkg" = site-packages, "prefix" = the virtualenv
FIXES = [
    ("pkg", "jasmin/bin/jasmind.py", LOCK_FIX),
    ("prefix", "bin/jasmind.py", LOCK_FIX),
    (
        "pkg",
        "jasmin/managers/listeners.py",
        [
            (
                "dlr = DLR(pdu_type=_pdu.response.id, msgid=msgid, status=_pdu.response.status,\n"
                "                          smpp_msgid=_pdu.response.params['message_id'])",
                "dlr = DLR(pdu_type=r.response.id, msgid=msgid, status=r.response.status,\n"
                "                          smpp_msgid=r.response.params['message_id'])",
            ),
            (
                "dlr = DLR(pdu_type=_pdu.response.id, msgid=msgid, status=_pdu.response.status)",
                "dlr = DLR(pdu_type=r.response.id, msgid=msgid, status=r.response.status)",
            ),
        ],
    ),
    (
        "pkg",
        "jasmin/managers/dlr.py",
        [
            (
                "            if msgid in self.requeue_timers:\n"
                "                timer = self.requeue_timers[msgid]",
                "            if message.delivery_tag in self.requeue_timers:\n"
                "                timer = self.requeue_timers[message.delivery_tag]",
            ),
            (
                "                self.requeue_timers[msgid] = timer",
                "                self.requeue_timers[message.delivery_tag] = timer",
            ),
            (
                "        self.clearRequeueTimer(message.content.properties['message-id'])\n"
                "        if not self.amqpBroker.connected:\n"
                '            self.log.error("Cannot reject message',
                "        self.clearRequeueTimer(message.delivery_tag)\n"
                "        if not self.amqpBroker.connected:\n"
                '            self.log.error("Cannot reject message',
            ),
            (
                "        self.clearRequeueTimer(message.content.properties['message-id'])\n"
                "        if not self.amqpBroker.connected:\n"
                '            self.log.error("Cannot ack message',
                "        self.clearRequeueTimer(message.delivery_tag)\n"
                "        if not self.amqpBroker.connected:\n"
                '            self.log.error("Cannot ack message',
            ),
        ],
    ),
    (
        "pkg",
        "jasmin/managers/clients.py",
        [
            (
                "yield self.amqpBroker.chan.basic_qos(prefetch_count=1)",
                "yield self.amqpBroker.chan.basic_qos(\n"
                "            prefetch_count=int(__import__('os').environ.get('JASMIN_SUBMIT_PREFETCH', '1')))",
            ),
        ],
    ),
]


def main():
    spec = importlib.util.find_spec("jasmin")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("patch_jasmin: jasmin is not installed in this interpreter")
    roots = {
        "pkg": pathlib.Path(list(spec.submodule_search_locations)[0]).parent,
        "prefix": pathlib.Path(sys.prefix),
    }
    for where, rel, replacements in FIXES:
        path = roots[where] / rel
        text = path.read_text()
        changed = False
        for old, new in replacements:
            if new in text and old not in text:
                continue  # already fixed
            if text.count(old) != 1:
                sys.exit(f"patch_jasmin: expected code not found in {path}; check the jasmin version")
            text = text.replace(old, new)
            changed = True
        if changed:
            path.write_text(text)
            for pyc in (path.parent / "__pycache__").glob(path.stem + ".*.pyc"):
                pyc.unlink()
            print(f"patch_jasmin: fixed {rel}")


if __name__ == "__main__":
    main()
