"""Collection folders through the API, as a webook-style client uses them: create, rename,
delete, list, a folder's articles, collect into a folder, uncollect — and never someone
else's folder."""

import pytest

from conftest import login_client
from interactions.models import CollectedItem, Collection, Counter
from interactions.tests.helpers import published_article
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body, format="json").json()


def folders(client):
    body = client.get("/collections/list").json()
    assert body["code"] == 0
    return body["data"]


def folder_articles(client, cid, **query):
    return client.get(f"/collections/{cid}/articles", query).json()


@pytest.fixture
def ann():
    return login_client(UserFactory.create())


@pytest.fixture
def bob():
    return login_client(UserFactory.create())


def test_a_new_user_has_only_the_empty_default_folder(ann):
    assert folders(ann) == [{"id": 0, "name": "", "count": 0}]


def test_create_rename_and_list_folders_in_creation_order(ann):
    first = post(ann, "/collections/create", {"name": "  Read   later "})
    assert first["code"] == 0 and first["msg"] == "created"
    second = post(ann, "/collections/create", {"name": "Recipes"})["data"]
    assert post(ann, "/collections/rename", {"id": first["data"], "name": "Weekend"}) == {
        "code": 0, "msg": "renamed", "data": None}
    assert folders(ann) == [
        {"id": 0, "name": "", "count": 0},
        {"id": first["data"], "name": "Weekend", "count": 0},  # spaces squeezed, then renamed
        {"id": second, "name": "Recipes", "count": 0},
    ]


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, 7, None, ["a"]])
def test_a_bad_folder_name_is_code_4_and_creates_nothing(ann, name):
    assert post(ann, "/collections/create", {"name": name})["code"] == 4
    assert not Collection.objects.exists()


def test_collect_into_a_folder_move_it_and_list_each_folder_newest_first(ann):
    cid = post(ann, "/collections/create", {"name": "Keep"})["data"]
    a, b = published_article(), published_article()
    assert post(ann, "/articles/pub/collect", {"id": a, "cid": cid})["code"] == 0
    assert post(ann, "/articles/pub/collect", {"id": b})["code"] == 0  # the default folder
    assert folder_articles(ann, cid)["data"] == [a]
    assert folder_articles(ann, 0)["data"] == [b]
    assert ann.get("/articles/pub/collected").json()["data"] == [b, a]

    # Collecting again into another folder moves it; it is still collected once.
    assert post(ann, "/articles/pub/collect", {"id": b, "cid": cid})["code"] == 0
    assert folder_articles(ann, cid)["data"] == [b, a]
    assert folder_articles(ann, 0)["data"] == []
    assert Counter.objects.get(biz_id=b).collect_cnt == 1
    assert [f["count"] for f in folders(ann)] == [0, 2]


def test_uncollect_removes_it_from_its_folder_and_the_count(ann):
    cid = post(ann, "/collections/create", {"name": "Keep"})["data"]
    a = published_article()
    post(ann, "/articles/pub/collect", {"id": a, "cid": cid})
    assert post(ann, "/articles/pub/collect", {"id": a, "collect": False}) == {
        "code": 0, "msg": "collect removed", "data": None}
    assert folder_articles(ann, cid)["data"] == []
    assert Counter.objects.get(biz_id=a).collect_cnt == 0
    assert post(ann, "/articles/pub/collect", {"id": a, "collect": False})["code"] == 0  # again: no change
    assert Counter.objects.get(biz_id=a).collect_cnt == 0


def test_deleting_a_folder_keeps_its_articles_collected_in_the_default_folder(ann):
    cid = post(ann, "/collections/create", {"name": "Short-lived"})["data"]
    a = published_article()
    post(ann, "/articles/pub/collect", {"id": a, "cid": cid})
    assert post(ann, "/collections/delete", {"id": cid}) == {"code": 0, "msg": "deleted", "data": None}
    assert folders(ann) == [{"id": 0, "name": "", "count": 1}]
    assert folder_articles(ann, 0)["data"] == [a]
    assert Counter.objects.get(biz_id=a).collect_cnt == 1
    assert folder_articles(ann, cid)["code"] == 4  # gone


def test_someone_elses_folder_is_not_found_and_nothing_changes(ann, bob):
    cid = post(ann, "/collections/create", {"name": "Ann's"})["data"]
    a = published_article()
    post(ann, "/articles/pub/collect", {"id": a, "cid": cid})
    before = (list(Collection.objects.values()), list(CollectedItem.objects.values()))

    assert post(bob, "/collections/rename", {"id": cid, "name": "Bob's now"})["msg"] == "collection not found"
    assert post(bob, "/collections/delete", {"id": cid})["msg"] == "collection not found"
    assert post(bob, "/articles/pub/collect", {"id": a, "cid": cid})["msg"] == "collection not found"
    assert folder_articles(bob, cid)["code"] == 4
    assert [f["id"] for f in folders(bob)] == [0]

    assert (list(Collection.objects.values()), list(CollectedItem.objects.values())) == before
    assert folder_articles(ann, cid)["data"] == [a]


@pytest.mark.parametrize(("path", "body"), [
    ("/collections/rename", {"id": "1", "name": "x"}),
    ("/collections/rename", {"id": 1}),
    ("/collections/delete", {"id": 0}),
    ("/collections/delete", {"id": 2**53}),
    ("/articles/pub/collect", {"id": 1, "cid": -1}),
    ("/articles/pub/collect", {"id": 1, "collect": "yes"}),
])
def test_bad_input_is_code_4(ann, path, body):
    assert post(ann, path, body)["code"] == 4


@pytest.mark.parametrize("cid", ["abc", "-1", "1.5", "99999999999999999"])
def test_a_folder_path_that_is_not_an_id_is_code_4(ann, cid):
    assert ann.get(f"/collections/{cid}/articles").json()["code"] == 4


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/collections/create"), ("post", "/collections/rename"), ("post", "/collections/delete"),
    ("get", "/collections/list"), ("get", "/collections/0/articles"),
])
def test_folders_need_login(api, method, path):
    assert getattr(api, method)(path, {}, format="json").status_code == 401


def test_the_number_of_folders_is_capped(ann, settings):
    settings.COLLECTIONS_PER_USER_MAX = 2
    assert [post(ann, "/collections/create", {"name": f"f{i}"})["code"] for i in range(3)] == [0, 0, 4]
    assert Collection.objects.count() == 2
