"""Extract Noto Naskh Arabic (SIL Open Font License 1.1) from Debian's ``fonts-noto-core`` into the package.

The web page of ``glossary serve`` ships its Arabic font so that it looks the same on every
translator's machine and needs nothing from the internet.  This script is how the committed
``src/glossary/web/fonts/NotoNaskhArabic-Regular.ttf`` and its licence were made: it downloads
the Debian package with ``apt-get download`` (no root needed), reads its data archive with
``dpkg-deb --fsys-tarfile`` and takes out only the one font file and the package's copyright
file (which carries the OFL text).  Run it again to refresh them::

    python scripts/fetch_arabic_font.py
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "fonts-noto-core"
FONT = "usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"
LICENCE = f"usr/share/doc/{PACKAGE}/copyright"
DEST = Path(__file__).resolve().parents[1] / "src" / "glossary" / "web" / "fonts"


def extract(deb: Path, dest: Path) -> list[Path]:
    """Copy the font and the licence out of the package's data archive into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    wanted = {FONT: dest / Path(FONT).name, LICENCE: dest / "NotoNaskhArabic-LICENSE.txt"}
    tar_stream = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True).stdout
    written: list[Path] = []
    with tempfile.TemporaryFile() as tmp:
        tmp.write(tar_stream)
        tmp.seek(0)
        with tarfile.open(fileobj=tmp) as tar:
            for member in tar:
                name = member.name.removeprefix("./")
                if name in wanted and member.isfile():
                    source = tar.extractfile(member)
                    assert source is not None
                    with source, open(wanted[name], "wb") as out:
                        shutil.copyfileobj(source, out)
                    written.append(wanted[name])
    missing = set(wanted.values()) - set(written)
    if missing:
        raise SystemExit(f"fetch_arabic_font: {deb.name} has no {', '.join(sorted(p.name for p in missing))}")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=DEST, help="where to write the font and its licence")
    parser.add_argument("--deb", type=Path, help="an already downloaded fonts-noto-core .deb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        deb = args.deb
        if deb is None:
            subprocess.run(["apt-get", "download", PACKAGE], cwd=work, check=True)
            debs = sorted(Path(work).glob(f"{PACKAGE}_*.deb"))
            if not debs:
                sys.exit(f"fetch_arabic_font: apt-get download {PACKAGE} gave no .deb")
            deb = debs[-1]
        for path in extract(deb, args.dest):
            print(f"{path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
