"""Run: python -m services.platform_simulator --help"""

from services.platform_simulator.cli import main

raise SystemExit(main())
