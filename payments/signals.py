"""What the payments app announces.

- ``outbox_due``: an outbox event (``event_id``) was written; ``payments.receivers`` schedules its
  relay once the transaction commits (the outbox is below the Celery tasks that run it).
- ``payment_settled``: sent by the relay with ``event`` (a ``payments.outbox.SettledPayment``) to the
  apps above (rewards). Receivers must be idempotent: an event is delivered until every receiver
  returned without raising, so a receiver may see it again. A receiver that raises gets the event
  again after a backoff.
"""

from django.dispatch import Signal

outbox_due = Signal()
payment_settled = Signal()
