from comments.models import Comment


def post(client, article_id: int, content: str = "hello", **extra) -> dict:
    return client.post("/comments/create", {"biz": "article", "bizId": article_id, "content": content, **extra},
                       format="json").json()


def created(client, article_id: int, content: str = "hello", **extra) -> dict:
    body = post(client, article_id, content, **extra)
    assert body["code"] == 0, body
    return body["data"]


def listed(client, article_id: int, **query) -> list[dict]:
    body = client.get("/comments/list", {"biz": "article", "bizId": article_id, **query}).json()
    assert body["code"] == 0, body
    return body["data"]


def stored_count() -> int:
    return Comment.objects.count()
