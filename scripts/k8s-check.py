#!/usr/bin/env python3
"""Checks of the gateway's Kubernetes manifests, run by scripts/k8s-validate.sh.

  k8s-check.py split RENDERED OUTDIR
      Splits `helm template` output into one file per chart template (by its `# Source:` line),
      as the kustomize base deploy/k8s keeps them.
  k8s-check.py check --junit OUT.xml [--results TSV] [--set NAME=PATH]... [--expect-fail NAME:RULE=PATH]...
      Validates every object of each set (a file, or a kustomize base directory) against the
      Kubernetes 1.37 JSON schemas shipped by kubernetes-validate (strict: unknown fields fail,
      no network), checks the hardening rules, and writes a JUnit XML of all checks, with the
      shell's own results (TSV lines `name<TAB>ok|fail<TAB>message`) prepended. An --expect-fail
      set passes only when the check whose name contains RULE rejects it. Exit status 1 when any check fails.
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

import kubernetes_validate
import yaml

K8S_VERSION = "1.37.0"
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")
LONG_RUNNING = ("Deployment", "StatefulSet", "DaemonSet")
GENERATED_HEADER = (
    "# Generated from deploy/helm/telecom-gateway with deploy/helm/base-values.yaml by\n"
    "# `scripts/k8s-validate.sh --write-base`; edit the chart, not this file.\n"
)


def split(rendered: str, outdir: str) -> None:
    """Writes each `# Source: <chart>/templates/<file>` group of documents to OUTDIR/<file>."""
    groups: dict = {}
    for doc in re.split(r"^---\s*$", open(rendered, encoding="utf-8").read(), flags=re.M):
        m = re.search(r"^# Source: [^/]+/templates/(\S+)$", doc, flags=re.M)
        if not m:
            continue
        body = doc[m.end():].strip("\n")
        # Helm's own bookkeeping labels mean nothing to a kustomize user.
        body = re.sub(r"^\s*(helm\.sh/chart|app\.kubernetes\.io/managed-by): .*\n", "", body, flags=re.M)
        if body.strip():
            groups.setdefault(os.path.basename(m.group(1)), []).append(body)
    os.makedirs(outdir, exist_ok=True)
    for name, docs in sorted(groups.items()):
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write(GENERATED_HEADER + "\n---\n".join(docs) + "\n")


def load_set(path: str):
    """Objects of a manifest file, or of the resources a kustomization.yaml in directory `path` lists.

    Returns (objects, problems): each object a (source file, dict) pair.
    """
    problems = []
    if os.path.isdir(path):
        kfile = os.path.join(path, "kustomization.yaml")
        kust = yaml.safe_load(open(kfile, encoding="utf-8"))
        files = kust.get("resources", [])
        on_disk = sorted(
            f for f in os.listdir(path)
            if f.endswith(".yaml") and f not in ("kustomization.yaml", "secrets.example.yaml")
        )
        if sorted(files) != on_disk:
            problems.append(f"kustomization.yaml resources {sorted(files)} differ from the files {on_disk}")
        unsupported = set(kust) - {"apiVersion", "kind", "namespace", "resources", "images", "labels"}
        if unsupported:
            # Only transforms that cannot make a valid object invalid, so the files are validated as they are.
            problems.append(f"kustomization.yaml uses {sorted(unsupported)}; only namespace, images and labels are checked")
        files = [os.path.join(path, f) for f in files]
    else:
        files = [path]
    objects = []
    for f in files:
        for doc in yaml.safe_load_all(open(f, encoding="utf-8")):
            if doc is not None:
                objects.append((f, doc))
    return objects, problems


def name_of(obj) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def check_schema(objects):
    """Strict schema validation of every object; an unknown kind fails too."""
    errors = []
    for src, obj in objects:
        try:
            kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            errors.append(f"{os.path.basename(src)}: {name_of(obj)}: no schema for {obj.get('apiVersion')} {obj.get('kind')}")
        except kubernetes_validate.ValidationError as e:
            where = ".".join(str(p) for p in e.path)
            errors.append(f"{os.path.basename(src)}: {name_of(obj)}: {where}: {e.message}")
    return errors


def pod_spec(obj):
    spec = obj.get("spec", {})
    if obj["kind"] == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    return spec.get("template", {}).get("spec", {})


def pod_labels(obj):
    return obj.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {})


def selects(selector, labels) -> bool:
    match = (selector or {}).get("matchLabels", {})
    return bool(match) and all(labels.get(k) == v for k, v in match.items())


def check_hardening(objects):
    """The hardening rules ops rely on; returns a dict rule -> list of violations."""
    rules = {r: [] for r in (
        "no service account token", "pod security context", "container security context",
        "resources", "probes and graceful drain", "pod disruption budgets", "one secret per app",
        "references resolve", "network policies",
    )}
    by_kind = {}
    for _, obj in objects:
        by_kind.setdefault(obj.get("kind"), []).append(obj)
    services = {o["metadata"]["name"]: o for o in by_kind.get("Service", [])}
    workloads = [o for k in WORKLOADS for o in by_kind.get(k, [])]

    for sa in by_kind.get("ServiceAccount", []):
        if sa.get("automountServiceAccountToken") is not False:
            rules["no service account token"].append(f"{name_of(sa)}: automountServiceAccountToken is not false")
    for secret in by_kind.get("Secret", []):
        rules["one secret per app"].append(f"{name_of(secret)}: secret values in the manifests")

    policies = by_kind.get("NetworkPolicy", [])
    for w in workloads:
        n = name_of(w)
        ps = pod_spec(w)
        psc = ps.get("securityContext", {})
        if ps.get("automountServiceAccountToken") is not False:
            rules["no service account token"].append(f"{n}: automountServiceAccountToken is not false")
        if psc.get("runAsNonRoot") is not True:
            rules["pod security context"].append(f"{n}: runAsNonRoot is not true")
        pod_seccomp = psc.get("seccompProfile", {}).get("type")
        containers = [("container", c) for c in ps.get("containers", [])]
        containers += [("initContainer", c) for c in ps.get("initContainers", [])]
        secret_names = set()
        for role, c in containers:
            cn = f"{n} {role} {c.get('name')}"
            sc = c.get("securityContext", {})
            if sc.get("allowPrivilegeEscalation") is not False:
                rules["container security context"].append(f"{cn}: allowPrivilegeEscalation is not false")
            if "ALL" not in sc.get("capabilities", {}).get("drop", []):
                rules["container security context"].append(f"{cn}: capabilities do not drop ALL")
            if sc.get("readOnlyRootFilesystem") is not True:
                rules["container security context"].append(f"{cn}: readOnlyRootFilesystem is not true")
            if sc.get("privileged"):
                rules["container security context"].append(f"{cn}: privileged")
            if sc.get("seccompProfile", {}).get("type", pod_seccomp) != "RuntimeDefault":
                rules["container security context"].append(f"{cn}: seccompProfile is not RuntimeDefault")
            if sc.get("runAsNonRoot", psc.get("runAsNonRoot")) is not True:
                rules["container security context"].append(f"{cn}: may run as root")
            res = c.get("resources", {})
            for need in ("requests.cpu", "requests.memory", "limits.memory"):
                section, key = need.split(".")
                if key not in res.get(section, {}):
                    rules["resources"].append(f"{cn}: no {need}")
            for e in c.get("envFrom", []):
                if "secretRef" in e:
                    rules["one secret per app"].append(f"{cn}: envFrom a whole Secret instead of its keys")
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    secret_names.add(ref["name"])
            if role == "container" and w["kind"] in LONG_RUNNING:
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    if probe not in c:
                        rules["probes and graceful drain"].append(f"{cn}: no {probe}")
                ready = c.get("readinessProbe", {}).get("httpGet", {}).get("path")
                if "readinessProbe" in c and ready != "/health/ready":
                    rules["probes and graceful drain"].append(f"{cn}: readinessProbe is not GET /health/ready")
                if "preStop" not in c.get("lifecycle", {}):
                    rules["probes and graceful drain"].append(f"{cn}: no preStop hook")
        for v in ps.get("volumes", []):
            if "secret" in v:
                secret_names.add(v["secret"]["secretName"])
        # CA bundles are shared, not per-app secrets.
        app_secrets = {s for s in secret_names if not any(
            s == v["secret"]["secretName"] for v in ps.get("volumes", [])
            if "secret" in v and v["name"] in ("kafka-ca", "extra-ca"))}
        if len(app_secrets) > 1:
            rules["one secret per app"].append(f"{n}: reads several Secrets {sorted(app_secrets)}")
        if w["kind"] in LONG_RUNNING:
            if "terminationGracePeriodSeconds" not in ps:
                rules["probes and graceful drain"].append(f"{n}: no terminationGracePeriodSeconds")
            labels = pod_labels(w)
            if not any(selects(p["spec"].get("selector"), labels) for p in by_kind.get("PodDisruptionBudget", [])):
                rules["pod disruption budgets"].append(f"{n}: no PodDisruptionBudget selects its pods")
            if policies:
                selected = [p for p in policies if selects(p["spec"].get("podSelector"), labels)]
                if not any(set(p["spec"].get("policyTypes", [])) >= {"Ingress", "Egress"} for p in selected):
                    rules["network policies"].append(f"{n}: no NetworkPolicy restricts both its ingress and egress")
        if w["kind"] == "StatefulSet":
            svc = services.get(w["spec"].get("serviceName"))
            if not svc or svc["spec"].get("clusterIP") != "None":
                rules["references resolve"].append(f"{n}: serviceName is not a headless Service")
    targets = {(o["kind"], o["metadata"]["name"]) for o in workloads}
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        ref = hpa["spec"]["scaleTargetRef"]
        if (ref["kind"], ref["name"]) not in targets:
            rules["references resolve"].append(f"{name_of(hpa)}: no {ref['kind']}/{ref['name']}")
    for ing in by_kind.get("Ingress", []):
        for rule in ing["spec"].get("rules", []):
            for p in rule.get("http", {}).get("paths", []):
                svc = p["backend"].get("service", {}).get("name")
                if svc not in services:
                    rules["references resolve"].append(f"{name_of(ing)}: no Service {svc}")
    return rules


def check_secret_example(path: str, objects):
    """Every secret key the base reads (except optional ones) is in secrets.example.yaml."""
    example = os.path.join(path, "secrets.example.yaml")
    have = set()
    for doc in yaml.safe_load_all(open(example, encoding="utf-8")):
        if doc:
            have |= {f"{doc['metadata']['name']}/{k}" for k in doc.get("stringData", {})}
    errors = []
    for _, w in objects:
        if w.get("kind") not in WORKLOADS:
            continue
        ps = pod_spec(w)
        for c in ps.get("containers", []) + ps.get("initContainers", []):
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref and not ref.get("optional") and f"{ref['name']}/{ref['key']}" not in have:
                    errors.append(f"{name_of(w)} reads {ref['name']}/{ref['key']}, missing from secrets.example.yaml")
    return sorted(set(errors))


def run_checks(name: str, path: str):
    """All checks of one set: a list of (case name, errors)."""
    objects, problems = load_set(path)
    cases = [(f"{name}: parse and list", problems + ([] if objects else ["no objects"]))]
    cases.append((f"{name}: schema (Kubernetes {K8S_VERSION}, strict)", check_schema(objects)))
    for rule, errors in check_hardening(objects).items():
        cases.append((f"{name}: {rule}", errors))
    if os.path.isdir(path):
        cases.append((f"{name}: secrets.example.yaml covers the keys read", check_secret_example(path, objects)))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("split")
    sp.add_argument("rendered")
    sp.add_argument("outdir")
    cp = sub.add_parser("check")
    cp.add_argument("--junit", required=True)
    cp.add_argument("--results")
    cp.add_argument("--set", action="append", default=[])
    cp.add_argument("--expect-fail", action="append", default=[])
    args = parser.parse_args()
    if args.cmd == "split":
        split(args.rendered, args.outdir)
        return 0

    results = []  # (classname, case, failure message or None)
    if args.results and os.path.exists(args.results):
        for line in open(args.results, encoding="utf-8"):
            case, status, message = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            message = message.replace("\\n", "\n").strip()
            results.append(("k8s.tools", case, None if status == "ok" else message or "failed"))
    for spec in args.set:
        name, path = spec.split("=", 1)
        for case, errors in run_checks(name, path):
            results.append((f"k8s.{name}", case, "\n".join(errors) if errors else None))
    for spec in args.expect_fail:
        label, path = spec.split("=", 1)
        name, rule = label.split(":", 1)
        found = [f"{case}: {e}" for case, errors in run_checks(name, path) if rule in case for e in errors]
        results.append(("k8s.fixtures", f"{name} is rejected by the {rule} check",
                        None if found else f"the {rule} check accepted it"))
        for line in found:
            print(f"  expected rejection: {line}")

    suite = ET.Element("testsuite", name="k8s", tests=str(len(results)),
                       failures=str(sum(1 for r in results if r[2])), errors="0")
    for classname, case, failure in results:
        tc = ET.SubElement(suite, "testcase", classname=classname, name=case)
        if failure:
            ET.SubElement(tc, "failure", message=failure.splitlines()[0][:200]).text = failure
        print(f"{'FAIL' if failure else 'ok  '} {case}")
        if failure:
            for line in failure.splitlines():
                print(f"       {line}")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(args.junit, encoding="utf-8", xml_declaration=True)
    failed = sum(1 for r in results if r[2])
    print(f"k8s: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
