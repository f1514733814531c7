"""Masked forms of the applicant's data, for everywhere but the handling staff's own view;
and how staff people are named to each other."""

from __future__ import annotations

from django.utils.translation import gettext as _


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, organisation names are kept (they are not personal)."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    if len(name) <= 4:
        return name[0] + "*" * (len(name) - 2) + name[-1]
    return name


def mask_id(number: str) -> str:
    number = number.strip()
    if len(number) <= 5:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 5) + number[-3:]


def mask_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_letter(text: str, application) -> str:
    """A reply letter for readers who are not handling it: the applicant's name, ID
    number, phone, e-mail and address replaced wherever the letter repeats them."""
    replacements = [
        (application.name.strip(), mask_name(application.name)),
        (application.id_number.strip(), mask_id(application.id_number)),
        (application.phone.strip(), mask_phone(application.phone)),
        (application.email.strip(), "***"),
        (application.address.strip(), "***"),
        (application.contact_person.strip(), mask_name(application.contact_person)),
    ]
    # Longest first, so that a name inside an address does not spoil the address's mask.
    for original, masked in sorted(replacements, key=lambda r: -len(r[0])):
        if original:
            text = text.replace(original, masked)
    return text


def person_name(user) -> str:
    """A staff person as the others know them: the real name, the username otherwise;
    no person at all is the applicant (the steps they take online)."""
    if user is None:
        return _("the applicant")
    return user.get_full_name() or user.get_username()
