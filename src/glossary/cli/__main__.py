"""``python -m glossary.cli``: the same as the ``glossary`` console script."""

from . import main

if __name__ == "__main__":
    main()
