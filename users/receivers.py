"""What the users app does when an account changes, whoever changed it (a service, the admin,
the shell): a deactivated or deleted user's sessions end at once."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from users.models import User
from users.services.sessions import session_revoke_all


@receiver(post_save, sender=User, dispatch_uid="users.sessions_end_on_deactivation")
def sessions_end_on_deactivation(sender, instance, **kwargs):
    # Idempotent (only live sessions are revoked), so no need to know what was there before.
    if not instance.is_active:
        session_revoke_all(user_id=instance.pk)


@receiver(pre_delete, sender=User, dispatch_uid="users.sessions_end_on_deletion")
def sessions_end_on_deletion(sender, instance, **kwargs):
    # Before the cascade removes the rows, while their ssids can still be read.
    session_revoke_all(user_id=instance.pk)
