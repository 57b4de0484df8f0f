"""Who reads what of the inbox: each user their own items, preferences and jobs (a job's file
only its requester; anybody else's job is a 404 by the selector)."""

import rules

from training_plan.rules import add_perm

add_perm("inbox.view_inbox", rules.is_authenticated)
