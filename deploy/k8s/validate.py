"""Validates rendered manifests (a YAML stream on stdin) against the Kubernetes API schemas that the PyPI package
kubernetes-validate ships: offline, strict (an unknown field is an error), for the oldest and newest versions named
below. A kind without a schema fails, except the custom resources of CUSTOM_GROUPS, which test/k8s checks instead."""

import sys

import kubernetes_validate
import yaml
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError

# The Kubernetes versions docs/kubernetes.md promises: the oldest (lifecycle.preStop.sleep is beta and on from 1.30)
# and the newest the package knows.
VERSIONS = ["1.30.0", "1.37.0"]
# KEDA's ScaledObject: no API schema covers it.
CUSTOM_GROUPS = {"keda.sh"}


def main() -> int:
    documents = [doc for doc in yaml.safe_load_all(sys.stdin) if doc is not None]
    if not documents:
        print("no manifests on stdin", file=sys.stderr)
        return 1
    failures = 0
    for doc in documents:
        name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        group = str(doc.get("apiVersion", "")).rpartition("/")[0]
        if group in CUSTOM_GROUPS:
            print(f"skipped  {name} ({doc['apiVersion']}: a custom resource, checked by test/k8s)")
            continue
        for version in VERSIONS:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except ValidationError as error:
                path = ".".join(str(part) for part in error.path)
                print(f"INVALID  {name} against {version}: {path}: {error.message}")
                failures += 1
            except SchemaNotFoundError:
                print(f"INVALID  {name}: Kubernetes {version} has no kind {doc.get('kind')} in {doc.get('apiVersion')}")
                failures += 1
            else:
                print(f"valid    {name} against {version}")
    print(f"{len(documents)} manifests, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
