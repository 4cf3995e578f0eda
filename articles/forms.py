from django import forms
from django.utils.translation import gettext_lazy as _

from articles.content import content_clean, title_clean
from tinybook.exceptions import ApplicationError
from tinybook.fields import TextFormField


class ArticleForm(forms.Form):
    """The same rules as the API: the content helpers raise, the form shows it in place."""

    title = TextFormField(label=_("Title"), required=False, strip=False)  # the API's text rule
    content = TextFormField(
        label=_("Content (HTML)"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 16})
    )

    def clean_title(self):
        try:
            return title_clean(self.cleaned_data["title"])
        except ApplicationError as exc:
            raise forms.ValidationError(str(exc.message)) from None

    def clean_content(self):
        try:
            return content_clean(self.cleaned_data["content"])
        except ApplicationError as exc:
            raise forms.ValidationError(str(exc.message)) from None
