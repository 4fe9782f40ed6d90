"""``python -m bitext`` entry point."""

from bitext.cli.main import main

if __name__ == "__main__":
    main()
