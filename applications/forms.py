"""The resident's application form and the tracking form."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure.pii import is_resident_id

from .models import Application, normalise_tracking_code

PHONE = re.compile(r"^[\d\-+ ]{7,20}$")


class ApplicationForm(forms.ModelForm):
    """Validates and normalises; it never decides the status or the receipt date."""

    submission_key = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = [
            "applicant_type", "name", "id_type", "id_number", "contact_person", "phone",
            "email", "address", "postcode", "description", "document_number", "delivery_form",
            "delivery_channel",
        ]  # fmt: skip
        widgets = {
            "applicant_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "delivery_form": forms.RadioSelect,
            "delivery_channel": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "submission_key" in self.fields:
            self.fields["submission_key"].initial = uuid.uuid4().hex
        for name in ("applicant_type", "delivery_form", "delivery_channel"):
            # Radio buttons without the empty "---------" choice.
            self.fields[name].choices = self.fields[name].choices[1:]
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["description"].widget.attrs.update(
            {"aria-describedby": "suggestions", "data-suggest": "1"}
        )

    def clean_id_number(self) -> str:
        number = self.cleaned_data["id_number"].strip().upper().replace(" ", "")
        if self.cleaned_data.get("id_type") == Application.IdType.RESIDENT_ID:
            if not is_resident_id(number):
                raise forms.ValidationError(
                    _("This is not a valid resident ID number: check the 18 characters.")
                )
        return number

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone):
            raise forms.ValidationError(_("Give a telephone number we can call, digits only."))
        return phone

    def clean(self):
        data = super().clean()
        channel = data.get("delivery_channel")
        if channel == Application.DeliveryChannel.EMAIL and not data.get("email"):
            self.add_error("email", _("Give an e-mail address to receive it by e-mail."))
        if channel == Application.DeliveryChannel.POST and not data.get("address"):
            self.add_error("address", _("Give a postal address to receive it by post."))
        person = data.get("applicant_type") == Application.ApplicantType.PERSON
        if not person and data.get("id_type") == Application.IdType.RESIDENT_ID:
            self.add_error("id_type", _("An organisation gives its business licence or "
                                        "registration certificate."))  # fmt: skip
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "placeholder": "XXXX-XXXX-XXXX-XXXX",
            }
        ),  # fmt: skip
    )

    def clean_code(self) -> str:
        return normalise_tracking_code(self.cleaned_data["code"])
