from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinybook.fields import TextFormField


class SearchForm(forms.Form):
    q = TextFormField(label=gettext_lazy("Search"), required=False, strip=True)
    type = forms.ChoiceField(choices=[("article", gettext_lazy("Articles")), ("user", gettext_lazy("People"))],
                             required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def clean_q(self):
        value = self.cleaned_data["q"]
        limit = settings.SEARCH_QUERY_MAX_LENGTH
        if not 1 <= len(value) <= limit:
            raise forms.ValidationError(_("1 to %(n)d characters") % {"n": limit})
        return value

    def clean(self):
        data = super().clean()
        page = data.get("page") or 1
        if (page - 1) * settings.SEARCH_PAGE_SIZE > settings.ARTICLE_LIST_MAX_OFFSET:
            self.add_error("page", _("page %(n)d is too far") % {"n": page})
        return data
