"""What pyproject.toml cannot say: the site files as data files of the wheel.

templates/, static/ and the compiled locale/ stay at the top of the checkout, where
config/settings.py uses them; an installed portal finds them under
<prefix>/share/township-disclosure-portal/ (the settings look there outside a checkout).
A data-files entry names one folder's files, so the folders are listed here by walking
them: a new folder of templates needs no edit anywhere.
"""

from pathlib import Path

from setuptools import setup

SHARE = Path("share/township-disclosure-portal")


def folders(top: str, pattern: str = "*") -> list[tuple[str, list[str]]]:
    files = sorted(p for p in Path(top).rglob(pattern) if p.is_file())
    by_folder: dict[Path, list[str]] = {}
    for f in files:
        by_folder.setdefault(f.parent, []).append(f.as_posix())
    return [((SHARE / folder).as_posix(), names) for folder, names in by_folder.items()]


setup(data_files=folders("templates") + folders("static") + folders("locale", "*.mo"))
