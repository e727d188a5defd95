"""What the onboarding service prunes, and after how long (docs/RETENTION.md).

The outbox relay runs these once an hour (shared.db.retention), in batches.
"""

from services.onboarding.db import SCHEMA
from services.onboarding.domain.case_states import FINAL_STATES
from services.onboarding.settings import OnboardingSettings
from shared.db.retention import Prune, days, event_table_prunes

_FINAL = ", ".join(f"'{state}'" for state in sorted(FINAL_STATES))

# The history of cases that ended before the cutoff; the case row keeps its final state.
# Found by the transitions' age (index of 0004), joined to their case by its key; a final
# case never moves again, so nothing needs checking twice.
_OLD_HISTORY = f"""
delete from onboarding.case_transitions where ctid = any(array(
    select t.ctid from onboarding.case_transitions t
      join onboarding.verification_cases c on c.id = t.case_id
     where t.occurred_at < $1 and c.state in ({_FINAL}) and c.updated_at < $1
     limit $2))
"""


def prunes(settings: OnboardingSettings) -> list[Prune]:
    """Everything the onboarding schema prunes."""
    s = settings
    return [
        *event_table_prunes(SCHEMA, published_kept=days(s.retention_published_outbox_days),
                            processed_kept=days(s.retention_processed_events_days)),
        Prune("onboarding.case_transitions", days(s.retention_finished_case_history_days), _OLD_HISTORY),
    ]
