"""``python -m contractkit``: the same command line as the ``contractkit`` script."""

from contractkit.cli import main

if __name__ == "__main__":
    main()
