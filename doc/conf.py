# Sphinx configuration for pyOpenSSL (C implementation).
#
# Build (nothing in the package depends on this; Sphinx is only needed by
# whoever builds the documentation):
#
#     make build                      # the API pages import the extensions
#     python3 -m pip install sphinx
#     python3 -m sphinx -W -b html doc build/doc
#
# The API pages use autodoc on the compiled modules: src/ is put first on
# sys.path so that an in-place build (`make build`) is documented; an
# installed pyOpenSSL is used otherwise.

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "src"))

from OpenSSL import version as _version  # noqa: E402

project = "pyOpenSSL (C implementation)"
author = _version.__author__
copyright = _version.__copyright__.replace("Copyright ", "")
version = _version.__version__
release = _version.__implementation_version__

extensions = ["sphinx.ext.autodoc"]

# autodoc: members in source order, signatures from the C docstrings'
# text signatures, no type hints (the .pyi stubs are for type checkers).
autodoc_member_order = "bysource"
autodoc_default_options = {"undoc-members": False}

master_doc = "index"
exclude_patterns = ["_build"]
nitpicky = False

html_theme = "alabaster"
html_title = "pyOpenSSL %s (C implementation %s)" % (version, release)
