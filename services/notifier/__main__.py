"""Run the notifier: python -m services.notifier (faust worker, web on port 8003)."""

from services.notifier.app import main

main()
