"""The notifier's use cases: each takes a NotifierUnitOfWork and commits what it changes in it.

The consumers open one unit of work per batch, claim the events' ids in it and call these
functions with the events not applied before; entering the open unit joins its transaction.
"""
