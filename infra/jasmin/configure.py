"""Configure the local Jasmin through jCli (telnet), idempotently.

Ensures:
  * SMPP client connector SMSC1 -> the SMSC simulator (transceiver, unlimited throughput), started
  * group gw and user gw (unlimited quotas, long content and DLR settings allowed)
  * default MT route -> smppc(SMSC1)
  * HTTP client connector MO1 -> the gateway's MO webhook, default MO route -> http(MO1)
  * persist

Every answer of jCli is checked; any unexpected answer aborts with the jCli text.
Run with the Jasmin virtualenv's python (Python 3.11 still has telnetlib). Settings come from the
environment (see infra/lib/jasmin.sh):
  JASMIN_JCLI_HOST (127.0.0.1), JASMIN_JCLI_PORT, JASMIN_JCLI_USERNAME, JASMIN_JCLI_PASSWORD,
  SMSC_HOST (127.0.0.1), SMSC_SMPP_PORT, SMSC_SYSTEM_ID, SMSC_PASSWORD,
  JASMIN_USERNAME, JASMIN_PASSWORD, MO_URL.
"""
import os
import re
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import telnetlib  # noqa: E402  (deprecated in 3.11, still shipped)

PROMPT = "jcli : "
SESSION_PROMPT = "> "
TIMEOUT = float(os.environ.get("JCLI_TIMEOUT", "15"))
ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|c)")


class JCliError(Exception):
    pass


def env(name):
    value = os.environ.get(name)
    if not value:
        raise JCliError(f"missing environment variable {name}")
    return value


class JCli:
    def __init__(self, host, port, username, password):
        self.changes = 0
        try:
            self.t = telnetlib.Telnet(host, port, timeout=TIMEOUT)
        except OSError as e:
            raise JCliError(f"cannot connect to jCli on {host}:{port}: {e}") from e
        banner = self._read_until("Authentication required")
        if "Authentication required" not in banner:
            raise JCliError(f"unexpected jCli greeting: {banner!r}")
        self._write(username)
        answer = self._read_until("Password: ")
        if "Password: " not in answer:
            raise JCliError(f"no password prompt from jCli: {answer!r}")
        self._write(password)
        answer = self._read_until(PROMPT, also=("Username: ", "Incorrect"))
        if not answer.endswith(PROMPT):
            raise JCliError(f"jCli login failed for {username!r}: {self._clean(answer)!r}")

    # -- low level
    def _write(self, line):
        self.t.write(line.encode("utf-8") + b"\r\n")

    def _read_until(self, marker, also=()):
        """Read until `marker` ends the output at the start of a line (a prompt), or one of `also` shows up."""
        buf = ""
        at_prompt = re.compile(r"(^|\n)" + re.escape(marker) + r"$")
        while True:
            chunk = self.t.read_until(marker.encode(), TIMEOUT)
            if not chunk:
                raise JCliError(f"timed out waiting for {marker!r} from jCli; got so far: {self._clean(buf)!r}")
            buf += chunk.decode("utf-8", "replace")
            clean = ANSI.sub("", buf).replace("\r", "")
            if at_prompt.search(clean) or (marker.endswith(": ") and clean.endswith(marker)):
                return buf
            if marker == "Authentication required" and marker in clean:
                return buf
            if any(m in clean for m in also):
                # give the rest of that message a moment to arrive
                buf += self.t.read_very_eager().decode("utf-8", "replace")
                return buf

    @staticmethod
    def _clean(text):
        text = ANSI.sub("", text).replace("\r", "")
        return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")

    def _exchange(self, line, prompt):
        """Send one line, return jCli's answer without the echo and the trailing prompt."""
        self._write(line)
        raw = self._read_until(prompt)
        text = self._clean(raw)
        lines = text.split("\n")
        if lines and lines[0].strip() == line.strip():
            lines = lines[1:]
        out = "\n".join(lines)
        p = prompt.rstrip()
        if out.rstrip().endswith(p):
            out = out.rstrip()[: -len(p)]
        return out.strip()

    # -- commands
    def cmd(self, line):
        return self._exchange(line, PROMPT)

    def expect(self, line, pattern):
        out = self.cmd(line)
        if not re.search(pattern, out):
            raise JCliError(f"jCli `{line}` answered: {out!r} (expected /{pattern}/)")
        return out

    def session(self, opener, keys, success, label=None):
        """Run an add/update session: opener, `key value` lines (each must get an empty answer), ok."""
        out = self._exchange(opener, SESSION_PROMPT)
        if not re.search(r"\(ok: save, ko: exit\)", out):
            raise JCliError(f"jCli `{opener}` answered: {out!r}")
        for key, value in keys:
            line = f"{key} {value}"
            answer = self._exchange(line, SESSION_PROMPT)
            if key == "type" and answer.startswith("<class ") and "arguments:" in answer:
                answer = ""  # jCli lists the arguments of the chosen route type
            if answer:
                self._exchange("ko", PROMPT)
                shown = line if key != "password" else f"{key} ****"
                raise JCliError(f"jCli rejected `{shown}` in `{opener}`: {answer!r}")
        out = self.cmd("ok")
        if not re.search(success, out):
            raise JCliError(f"jCli `{opener}` ... `ok` answered: {out!r} (expected /{success}/)")
        self.changes += 1
        print(f"jcli: {label or opener}: {out.splitlines()[-1] if out else 'ok'}")
        return out

    def act(self, line, pattern):
        """A state-changing command whose answer must match `pattern`."""
        out = self.expect(line, pattern)
        self.changes += 1
        return out

    def close(self):
        try:
            self._write("quit")
            self.t.read_all()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
        self.t.close()


def show_map(text):
    """`smppccm -s ID` answers `key value` lines, `httpccm -s ID` answers `key = value` lines."""
    result = {}
    for line in text.splitlines():
        line = line.strip()
        if " = " in line:
            key, value = line.split(" = ", 1)
        else:
            key, _, value = line.partition(" ")
        if key:
            result[key.strip()] = value.strip()
    return result


def ensure_smpp_connector(j, cid, host, port, username, password):
    wanted = [
        ("host", host),
        ("port", str(port)),
        ("username", username),
        ("password", password),
        ("bind", "transceiver"),
        ("submit_throughput", "0"),
        ("con_loss_retry", "yes"),
        ("con_fail_retry", "yes"),
        ("con_loss_delay", "2"),
        ("con_fail_delay", "2"),
    ]
    out = j.cmd(f"smppccm -s {cid}")
    if out.startswith("Unknown connector"):
        j.session("smppccm -a", [("cid", cid)] + wanted, r"Successfully added connector",
                  label=f"add SMPP connector {cid} -> {host}:{port}")
        return
    current = show_map(out)
    if "host" not in current:
        raise JCliError(f"jCli `smppccm -s {cid}` answered: {out!r}")
    compare = {"host": host, "port": str(port), "username": username, "password": password,
               "bind": "transceiver", "submit_throughput": "0"}
    # jCli shows booleans as True/False and numbers as floats for some keys; compare leniently.
    changed = [(k, v) for k, v in wanted if k in compare and not same(current.get(k), v)]
    if changed:
        restart = any(k in ("host", "port", "username", "password") for k, _ in changed)
        j.session(f"smppccm -u {cid}", wanted, r"Successfully updated connector",
                  label=f"update SMPP connector {cid} ({', '.join(k for k, _ in changed)})")
        if restart and connector_started(j, cid):
            j.act(f"smppccm -0 {cid}", r"Successfully stopped connector")


def same(a, b):
    if a is None:
        return False
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return a.lower() == b.lower()


def connector_started(j, cid):
    out = j.cmd("smppccm --list")
    for line in out.splitlines():
        cols = line.lstrip("#").split()
        if cols and cols[0] == cid:
            return len(cols) > 1 and cols[1] == "started"
    raise JCliError(f"connector {cid} missing from `smppccm --list`: {out!r}")


def ensure_started(j, cid):
    if not connector_started(j, cid):
        j.act(f"smppccm -1 {cid}", r"Successfully started connector")
        print(f"jcli: started SMPP connector {cid}")


def ensure_group(j, gid):
    out = j.cmd("group --list")
    if re.search(rf"^#!?{re.escape(gid)}\s*$", out, re.M):
        return
    if not out.startswith("#") and not out.startswith("Total Groups"):
        raise JCliError(f"jCli `group --list` answered: {out!r}")
    j.session("group -a", [("gid", gid)], r"Successfully added Group", label=f"add group {gid}")


MT_CREDS = [
    ("mt_messaging_cred authorization", "http_send", "yes"),
    ("mt_messaging_cred authorization", "http_balance", "yes"),
    ("mt_messaging_cred authorization", "http_rate", "yes"),
    ("mt_messaging_cred authorization", "http_long_content", "yes"),
    ("mt_messaging_cred authorization", "dlr_level", "yes"),
    ("mt_messaging_cred authorization", "http_dlr_method", "yes"),
    ("mt_messaging_cred authorization", "src_addr", "yes"),
    ("mt_messaging_cred authorization", "priority", "yes"),
    ("mt_messaging_cred authorization", "validity_period", "yes"),
    ("mt_messaging_cred authorization", "schedule_delivery_time", "yes"),
    ("mt_messaging_cred authorization", "hex_content", "yes"),
    ("mt_messaging_cred authorization", "smpps_send", "yes"),
    ("mt_messaging_cred quota", "balance", "none"),
    ("mt_messaging_cred quota", "sms_count", "none"),
    ("mt_messaging_cred quota", "early_percent", "none"),
    ("mt_messaging_cred quota", "http_throughput", "none"),
    ("mt_messaging_cred quota", "smpps_throughput", "none"),
]


def ensure_user(j, uid, gid, username, password):
    creds = [(f"{section} {key}", value) for section, key, value in MT_CREDS]
    out = j.cmd(f"user -s {uid}")
    if out.startswith("Unknown User"):
        j.session("user -a", [("username", username), ("password", password), ("gid", gid), ("uid", uid)] + creds,
                  r"Successfully added User", label=f"add user {username}")
        return
    if "username" not in out:
        raise JCliError(f"jCli `user -s {uid}` answered: {out!r}")
    # jCli never shows the stored password, so it is set again on every run. Checking it through
    # the HTTP API (/balance takes it only in the query string) would write it to Jasmin's access log.
    j.session(f"user -u {uid}", [("password", password)] + creds, r"Successfully updated User",
              label=f"update user {username}")


def route_table(j, router):
    out = j.cmd(f"{router} --list")
    if not re.search(r"Total( \w+)? [Rr]outes: \d+", out):
        raise JCliError(f"jCli `{router} --list` answered: {out!r}")
    return out


def default_route_ok(table, connector):
    for line in table.splitlines():
        cols = line.lstrip("#").split()
        if len(cols) >= 3 and cols[0] == "0" and cols[1] == "DefaultRoute":
            return connector in line
    return None  # no default route


def ensure_default_route(j, router, connector, extra):
    table = route_table(j, router)
    state = default_route_ok(table, connector)
    if state:
        return
    if state is False:
        j.act(f"{router} -r 0", r"Successfully removed")
    j.session(f"{router} -a", [("type", "defaultroute"), ("connector", connector)] + extra,
              r"Successfully added", label=f"{router} default route -> {connector}")


def ensure_http_connector(j, cid, url, method):
    out = j.cmd(f"httpccm -s {cid}")
    if not out.startswith("Unknown"):
        current = show_map(out)
        if "baseurl" not in current:
            raise JCliError(f"jCli `httpccm -s {cid}` answered: {out!r}")
        if current.get("baseurl") == url and current.get("method", "").upper() == method.upper():
            return False
        # httpccm has no update: remove the default MO route using it, then the connector.
        table = route_table(j, "morouter")
        if default_route_ok(table, f"http({cid})") is not None:
            j.act("morouter -r 0", r"Successfully removed")
        j.act(f"httpccm -r {cid}", r"Successfully removed")
    j.session("httpccm -a", [("url", url), ("method", method), ("cid", cid)], r"Successfully added",
              label=f"add HTTP connector {cid} ({method})")
    return True


def main():
    j = JCli(os.environ.get("JASMIN_JCLI_HOST", "127.0.0.1"), int(env("JASMIN_JCLI_PORT")), env("JASMIN_JCLI_USERNAME"), env("JASMIN_JCLI_PASSWORD"))
    try:
        ensure_smpp_connector(j, "SMSC1", os.environ.get("SMSC_HOST", "127.0.0.1"), int(env("SMSC_SMPP_PORT")),
                              env("SMSC_SYSTEM_ID"), env("SMSC_PASSWORD"))
        ensure_group(j, "gw")
        ensure_user(j, "gw", "gw", env("JASMIN_USERNAME"), env("JASMIN_PASSWORD"))
        ensure_default_route(j, "mtrouter", "smppc(SMSC1)", [("rate", "0.00")])
        ensure_http_connector(j, "MO1", env("MO_URL"), "POST")
        ensure_default_route(j, "morouter", "http(MO1)", [])
        ensure_started(j, "SMSC1")
        # Always at least one change: ensure_user sets the password on every run.
        out = j.expect("persist", r"persisted")
        if re.search(r"Cannot persist|error", out, re.I):
            raise JCliError(f"jCli `persist` answered: {out!r}")
        print(f"jcli: {j.changes} change(s) applied and persisted")
    finally:
        j.close()


if __name__ == "__main__":
    try:
        main()
    except JCliError as e:
        # jCli answers may quote the MO connector's URL, whose token is a secret.
        reason = re.sub(r"token=[^&\s'\\]*", "token=[redacted]", str(e))
        print(f"jcli configuration error: {reason}", file=sys.stderr)
        sys.exit(1)
