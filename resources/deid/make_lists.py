"""Regenerate english_words.txt, given_names.txt and surnames.txt (run once; the outputs are checked in).

Inputs (see SOURCES.md): SCOWL word lists as Debian installs them (packages wbritish, wamerican, wcanadian:
/usr/share/dict/*-english) and the US Census Bureau 1990 name files (dist.male.first, dist.female.first,
dist.all.last; public domain, as shipped in the MIT-licensed PyPI package `names` 0.3.0).

    python resources/deid/make_lists.py /usr/share/dict CENSUS_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
TOP_SURNAMES = 20_000  # the census list's most frequent surnames (it has 88,799, most of them very rare)


def main(dict_dir: Path, census_dir: Path) -> None:
    words: set[str] = set()
    for name in ("british-english", "american-english", "canadian-english"):
        for line in (dict_dir / name).read_text(encoding="utf-8", errors="ignore").splitlines():
            word = line.strip()
            if word and word.isalpha() and word.islower():  # lower case only: capitalised entries are proper nouns
                words.add(word)
    given = {line.split()[0].lower() for name in ("dist.male.first", "dist.female.first")
             for line in (census_dir / name).read_text().splitlines() if line.strip()}
    surnames = [line.split()[0].lower() for line in (census_dir / "dist.all.last").read_text().splitlines()
                if line.strip()][:TOP_SURNAMES]
    (HERE / "english_words.txt").write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    (HERE / "given_names.txt").write_text("\n".join(sorted(given)) + "\n", encoding="utf-8")
    # Surnames stay in frequency order: the rank tells a common surname ("Brown") from a rare one ("Blue").
    (HERE / "surnames.txt").write_text("\n".join(surnames) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
