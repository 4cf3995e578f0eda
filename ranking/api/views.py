from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema

from ranking import selectors
from ranking.api.serializers import HotItemOutput
from tinybook.schema import enveloped
from users.access import AnonymousAPIView


class HotListView(AnonymousAPIView):

    @extend_schema(responses={200: enveloped("HotListAnswer", HotItemOutput(many=True))},
                   summary="The hot list: live articles of the window by hot score", auth=[])
    def get(self, request):
        # The encoded answer is shared by every request of a copy: no per-request encoding.
        return HttpResponse(selectors.hot_list_answer(_("ok")), content_type="application/json")
