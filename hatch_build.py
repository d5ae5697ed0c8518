"""Build hook: compile ``glossary._fit`` (the transliteration fit's Viterbi pass, in C).

The kernel is optional.  Without a C compiler (or Python headers) the wheel is
built without it, with a warning, and ``glossary.transliteration`` runs the same
pass in NumPy: the same results, a slower lookup.  setuptools does the compiling
(it knows each platform's compiler, flags and extension suffix); hatchling stays
the build backend.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "src/glossary/_fit.c"
MODULE = "glossary._fit"


def compile_kernel(root: Path, out_dir: Path) -> Path:
    """Compile the kernel into ``out_dir`` (as ``glossary/_fit<suffix>``); return its path."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    dist = Distribution({"name": "glossary", "ext_modules": [Extension(MODULE, [SOURCE])]})
    dist.script_name = "hatch_build.py"
    cmd = build_ext(dist)
    cmd.build_lib = str(out_dir)
    cmd.build_temp = str(out_dir / "temp")
    cmd.ensure_finalized()
    cwd = os.getcwd()
    os.chdir(root)  # setuptools resolves the source path against the working directory
    try:
        cmd.run()
    finally:
        os.chdir(cwd)
    return Path(cmd.get_ext_fullpath(MODULE))


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or os.environ.get("GLOSSARY_NO_KERNEL"):
            return
        root = Path(self.root)
        out = self._build_dir = Path(tempfile.mkdtemp(prefix="glossary-kernel-"))
        try:
            built = compile_kernel(root, out)
        except Exception as exc:  # no compiler, no headers: the NumPy pass does the work
            self.app.display_warning(f"glossary: the C kernel was not built ({exc}); lookups use NumPy")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "editable":  # the editable wheel points at src/: put the kernel there
            target = root / "src" / "glossary" / built.name
            target.write_bytes(built.read_bytes())
        else:
            build_data["force_include"][str(built)] = f"glossary/{built.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        build_dir = getattr(self, "_build_dir", None)
        if build_dir is not None:  # the wheel holds its copy now
            shutil.rmtree(build_dir, ignore_errors=True)
