"""What the SMS platform announces; ``sms.receivers`` acts on it (Celery tasks).

The queue and the senders are below the tasks: they announce that something is due rather
than importing the tasks that run it.
"""

from django.dispatch import Signal

# A queued SMS (``async_id``) should be attempted in ``delay`` seconds, once the current
# transaction commits.
delivery_due = Signal()
# A provider that was down took traffic again (``provider``): waiting rows can go now.
provider_restored = Signal()
