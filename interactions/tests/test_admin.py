"""Admin: counters can be looked at, never edited (they change only through the services)."""

import pytest

from interactions.models import Counter
from interactions.tests.helpers import published_article
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = User.objects.create_superuser(email="admin@example.com", password="Admin-Passw0rd!")
    client.force_login(admin)
    return client


def test_counters_are_listed_and_read_only(staff_client):
    article_id = published_article()
    counter, _ = Counter.objects.get_or_create(biz="article", biz_id=article_id)
    assert staff_client.get("/admin/interactions/counter/").status_code == 200
    page = staff_client.get(f"/admin/interactions/counter/{counter.pk}/change/")
    assert page.status_code == 200 and b'name="like_cnt"' not in page.content  # shown, not an input
    staff_client.post(f"/admin/interactions/counter/{counter.pk}/change/", {"like_cnt": 999})
    assert Counter.objects.get(pk=counter.pk).like_cnt == 0
    assert staff_client.get("/admin/interactions/counter/add/").status_code == 403
    assert staff_client.post(f"/admin/interactions/counter/{counter.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Counter.objects.filter(pk=counter.pk).exists()


def test_likes_and_collections_have_admin_pages(staff_client):
    for path in ("/admin/interactions/like/", "/admin/interactions/collection/"):
        assert staff_client.get(path).status_code == 200
