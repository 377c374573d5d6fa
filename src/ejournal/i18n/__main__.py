"""``python -m ejournal.i18n template | check | import-json LOCALE FILE`` (see :mod:`ejournal.i18n.tool`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ejournal.i18n.tool import TEMPLATE, import_json, problems, template, write


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 on success, 1 when ``check`` finds problems."""
    parser = argparse.ArgumentParser(prog="python -m ejournal.i18n", description="ejournal's message catalogs")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("template", help="write ejournal.pot from ru.po")
    commands.add_parser("check", help="compare every catalog with ru.po")
    add = commands.add_parser("import-json", help="add the keys of a JSON object {key: text} a catalog lacks")
    add.add_argument("locale")
    add.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "template":
        write(template(), TEMPLATE)
        print(TEMPLATE)
        return 0
    if args.command == "import-json":
        for key in import_json(args.locale, args.file):
            print(key)
        return 0
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
