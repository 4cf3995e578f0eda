import factory

from users.models import User

TEST_PASSWORD = "Fake-Passw0rd!"  # obviously fake; meets the password rules


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    nickname = factory.Sequence(lambda n: f"reader{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
