"""Signals other apps subscribe to instead of articles importing them.

Sent after the write committed, with ``article_id`` and ``author_id``. Receivers must be
quick and must not raise: a failing receiver is logged and the write still succeeds.
Interactions takes a withdrawn article out of the like ranking and puts a republished one
back; ranking drops a withdrawn article from the hot list.
"""

from django.dispatch import Signal

article_published = Signal()
article_withdrawn = Signal()
