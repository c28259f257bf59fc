#!/usr/bin/env python3
"""Fetches the pinned CloudFormation registry data that `cargo xtask codegen` reads.

Run it only to move to newer data: edit the two versions below, run
`python3 xtask/fetch_schema.py`, then `cargo xtask codegen`, and commit the lot.

- npm `@aws-cdk/aws-service-spec` (Apache-2.0): every resource type with its documentation,
  attributes, enumerated values and replacement flags. Its `db.json.gz` is stored as is.
- PyPI `cfn-lint` (MIT-0): the raw registry schemas of us-east-1. Only the writeOnly and
  createOnly property paths are kept (in `cfn-lint-<version>.flags.json`), plus the list of
  type names, so the generated counts can be compared with the registry's.
"""
import json
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

SERVICE_SPEC_VERSION = "0.1.216"
CFN_LINT_VERSION = "1.58.0"
REGION = "us-east-1"

HERE = pathlib.Path(__file__).resolve().parent / "schema"


def main() -> int:
    HERE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        subprocess.run(
            ["npm", "pack", f"@aws-cdk/aws-service-spec@{SERVICE_SPEC_VERSION}", "--silent"],
            cwd=tmp, check=True, stdout=subprocess.DEVNULL,
        )
        tgz = next(tmp.glob("aws-cdk-aws-service-spec-*.tgz"))
        with tarfile.open(tgz) as tar:
            member = tar.extractfile("package/db.json.gz")
            out = HERE / f"aws-service-spec-{SERVICE_SPEC_VERSION}.db.json.gz"
            with open(out, "wb") as f:
                shutil.copyfileobj(member, f)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp),
             f"cfn-lint=={CFN_LINT_VERSION}"],
            check=True,
        )
        wheel = next(tmp.glob("cfn_lint-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            base = "cfnlint/data/schemas/"
            providers = json.loads(z.read(f"{base}providers/{REGION}.json"))
            version = json.loads(z.read(f"{base}version.json"))
            flags = {}
            for type_name, file_id in sorted(providers.items()):
                schema = json.loads(z.read(f"{base}resources/{file_id}.json"))
                flags[type_name] = {
                    "createOnly": sorted(schema.get("createOnlyProperties", [])),
                    "writeOnly": sorted(schema.get("writeOnlyProperties", [])),
                }
    out = HERE / f"cfn-lint-{CFN_LINT_VERSION}.flags.json"
    with open(out, "w") as f:
        json.dump({"cfnLintVersion": CFN_LINT_VERSION, "region": REGION,
                   "schemaDate": version.get("schema_date"), "types": flags},
                  f, indent=1, sort_keys=True)
        f.write("\n")
    versions = {"awsServiceSpec": SERVICE_SPEC_VERSION, "cfnLint": CFN_LINT_VERSION,
                "region": REGION}
    with open(HERE / "versions.json", "w") as f:
        json.dump(versions, f, indent=1)
        f.write("\n")
    print(f"wrote {HERE}: service spec {SERVICE_SPEC_VERSION}, cfn-lint {CFN_LINT_VERSION}, "
          f"{len(flags)} registry types in {REGION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
