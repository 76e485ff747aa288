"""Anonymity-safe theme trends and early-warning alerts for HR (issue 6).

One stage per module: `aggregate` counts items in SQL (or in Python for an analyze output file),
`release` turns the counts into per-period tables over the unit tree, `anonymity` and `weeks`
decide which cells may be shown, `stats` adds Wilson intervals and period-on-period changes,
`alerts` tests each unit's latest rate against its own history and counts hotspots, `service`
composes the answer the routes, the CLI and the report share.
"""
