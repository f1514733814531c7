"""The resident's application form and the tracking form."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from disclosure.pii import is_resident_id

from .models import Application, normalise_tracking_code

PHONE = re.compile(r"^[\d\-+ ]{7,20}$")
ORGANISATION_GROUP = _("Legal person or other organisation")


class SuggestingBoundField(BoundField):
    """The description also points to the published notices suggested while typing."""

    @property
    def aria_describedby(self) -> str:
        return " ".join(filter(None, [super().aria_describedby, "suggestions"]))


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
        for name in ("applicant_type", "delivery_form", "delivery_channel", "id_type"):
            # Radio buttons without the empty "---------" choice; the document defaults to
            # the resident ID card, which most applicants (natural persons) have.
            self.fields[name].choices = self.fields[name].choices[1:]
        self.fields["id_type"].initial = Application.IdType.RESIDENT_ID
        # As in the annual report's 申请人情况 columns: the five kinds of organisation under
        # 法人或其他组织, so that "其他" reads as "other organisation", not "other person".
        person, *organisations = self.fields["applicant_type"].choices
        self.fields["applicant_type"].choices = [person, (ORGANISATION_GROUP, organisations)]
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["description"].widget.attrs.update({"data-suggest": "1"})
        self.fields["description"].bound_field_class = SuggestingBoundField

    @property
    def applicant_type_groups(self) -> list[tuple[str | None, list]]:
        """The applicant_type radio buttons as (group label or None, buttons) for the template."""
        buttons = iter(self["applicant_type"])
        return [
            (label, [next(buttons) for _choice in options])
            if isinstance(options, list | tuple)
            else (None, [next(buttons)])
            for label, options in self.fields["applicant_type"].choices
        ]

    def error_list(self) -> list[tuple[str, str, str]]:
        """(element id, field label, message) for the summary at the top, in page order."""
        items = [("", "", str(error)) for error in self.non_field_errors()]
        items += [("", "", str(error)) for bound in self.hidden_fields() for error in bound.errors]
        for bound in self.visible_fields():
            # A group of radio buttons is reached through its first button.
            target = bound.subwidgets[0].id_for_label if bound.use_fieldset else bound.id_for_label
            items += [(target, str(bound.label), str(error)) for error in bound.errors]
        return items

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
        kind = data.get("applicant_type")  # None when not chosen: that error says enough
        organisation = kind and kind != Application.ApplicantType.PERSON
        if organisation and data.get("id_type") == Application.IdType.RESIDENT_ID:
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
