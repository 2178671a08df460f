from briefmap.cli import main

raise SystemExit(main())
