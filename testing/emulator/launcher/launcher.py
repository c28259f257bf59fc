#!/usr/bin/env python
"""Run moto's server with the patch layer of this directory applied.

    python launcher.py --host 127.0.0.1 --port 5000

behaves like `python -m moto.server -H 127.0.0.1 -p 5000` (any further
arguments are passed on to moto's server unchanged), except that the
CloudFormation emulation first gets the patches and resource models of
`patches/` and `models/`.  See README.md for the list.

    --acm-certificate ARN   (repeatable) the account holds this ACM
                            certificate from the start and after every reset,
                            for templates that name an existing certificate.
    --hosted-zone ID=NAME   (repeatable) the account holds this public Route 53
                            hosted zone from the start and after every reset,
                            for templates that add records to an existing zone.
    --key-pair NAME         (repeatable) the account holds this EC2 key pair in
                            every region from the start and after every reset,
                            for launch templates that name an existing key pair.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=5000, help="port to listen on (default 5000)")
    parser.add_argument(
        "--acm-certificate",
        action="append",
        default=[],
        metavar="ARN",
        help="an ACM certificate the account holds from the start (repeatable)",
    )
    parser.add_argument(
        "--hosted-zone",
        action="append",
        default=[],
        metavar="ID=NAME",
        help="a public hosted zone the account holds from the start (repeatable)",
    )
    parser.add_argument(
        "--key-pair",
        action="append",
        default=[],
        metavar="NAME",
        help="an EC2 key pair the account holds from the start, in every region (repeatable)",
    )
    args, passthrough = parser.parse_known_args(argv)

    import patches

    patches.apply_all(acm_certificates=args.acm_certificate, hosted_zones=args.hosted_zone, key_pairs=args.key_pair)

    from moto.server import main as moto_server_main

    moto_server_main(["-H", args.host, "-p", str(args.port), *passthrough])


if __name__ == "__main__":
    main()
