"""The resident's form asking for a record about them to be corrected (条例 art. 41)."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from disclosure.pii import is_resident_id
from disclosure.uploads import clean_upload

from .corrections import RecordCorrection
from .forms import PHONE
from .keys import normalise_id

# A photo or a scan is what people have of a household register or a certificate.
EVIDENCE_TYPES = ("pdf", "jpg", "png")


class RecordCorrectionForm(forms.ModelForm):
    """Validates and normalises; the view stores it (and the checked file)."""

    submission_key = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = RecordCorrection
        fields = ["requester_type", "name", "id_number", "phone", "email", "address", "record",
                  "inaccuracy", "evidence", "evidence_file"]  # fmt: skip
        widgets = {
            "requester_type": forms.RadioSelect,
            "inaccuracy": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "id_number": _("Resident ID number, or the unified social credit code of an "
                           "organisation: the record must be about you."),
            "email": _("Optional: the answer is also sent here."),
            "record": _("The list, notice, certificate or register entry that is about you, "
                        "e.g. “2026年东坪村低保名单”."),
            "evidence": _("What shows that the record is wrong, e.g. a household register "
                          "page or a certificate. Bring or send the originals if asked."),
        }  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = uuid.uuid4().hex
        field = self.fields["requester_type"]
        field.choices = field.choices[1:]  # radio buttons without "---------"
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["address"].widget.attrs.update(autocomplete="street-address")
        self.fields["evidence_file"].widget.attrs.update(accept=".pdf,.jpg,.jpeg,.png")
        self.fields["evidence_file"].help_text = _(
            "Optional: a PDF, or a photo (JPG, PNG) of the document that shows the record is "
            "wrong. If you choose a file and the form is shown again, choose it again."
        )
        self.cleaned_upload = None

    def clean_id_number(self) -> str:
        number = normalise_id(self.cleaned_data["id_number"])
        person = self.data.get(self.add_prefix("requester_type")) == "person"
        if person and not is_resident_id(number):
            raise ValidationError(
                _("This is not a valid resident ID number: check the 18 characters.")
            )
        if not person and not 8 <= len(number) <= 40:
            raise ValidationError(_("Give the organisation's unified social credit code."))
        return number

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone):
            raise ValidationError(_("Give a telephone number we can call, digits only."))
        return phone

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        cleaned = clean_upload(upload)  # its refusals are ValidationErrors, in Chinese
        if cleaned.extension not in EVIDENCE_TYPES:
            raise ValidationError(_("Choose a PDF, JPG or PNG file."))
        self.cleaned_upload = cleaned
        return upload
