import json

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.content import content_clean, title_clean
from tinybook.exceptions import ApplicationError
from tinybook.fields import TextFormField

# The editor's toolbar and link tooltip, by Quill's names (static/js/editor.js).
EDITOR_LABELS = {
    "header": _("Text style"),
    "normal": _("Paragraph"),
    "h2": _("Heading"),
    "h3": _("Subheading"),
    "bold": _("Bold"),
    "italic": _("Italic"),
    "code": _("Inline code"),
    "link": _("Link"),
    "blockquote": _("Quote"),
    "code-block": _("Code block"),
    "list-ordered": _("Numbered list"),
    "list-bullet": _("Bulleted list"),
    "image": _("Insert an image"),
    "clean": _("Clear formatting"),
    "visit": _("Visit URL:"),
    "enter_link": _("Enter a link:"),
    "edit": _("Edit"),
    "save": _("Save"),
    "remove": _("Remove"),
}


class ArticleForm(forms.Form):
    """The same rules as the API: the content helpers raise, the form shows it in place.

    ``content`` is a textarea of HTML, which ``static/js/editor.js`` turns into the rich-text
    editor (Quill): the editor writes its HTML back into the textarea on submit, so without
    JavaScript the form still works as a plain HTML field.
    """

    title = TextFormField(label=_("Title"), required=False, strip=False)  # the API's text rule
    content = TextFormField(
        label=_("Content"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 16})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {key: str(text) for key, text in EDITOR_LABELS.items()}
        # What the editor needs to know, and every message it may show (translated here).
        self.fields["content"].widget.attrs.update({
            "data-editor": "",
            "data-upload-url": reverse("articles:upload"),
            "data-image-base": settings.MEDIA_URL,
            "data-max-bytes": settings.UPLOAD_IMAGE_MAX_BYTES,
            "data-placeholder": _("Write your article…"),
            "data-msg-uploading": _("Uploading the image…"),
            # %(reason)s is filled in by the editor with the server's answer.
            "data-msg-failed": _("The image could not be uploaded: %(reason)s"),
            "data-msg-too-large": _("The image is larger than %(size)s.")
            % {"size": filesizeformat(settings.UPLOAD_IMAGE_MAX_BYTES)},
            "data-msg-wait": _("Wait until the images are uploaded."),
            "data-msg-login": _("You are no longer logged in: log in again in another tab, then retry."),
            "data-msg-network": _("The server could not be reached; check the connection and retry."),
            "data-labels": json.dumps(labels, ensure_ascii=False),
        })

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
