"""Who handles applications.

- The township's office (the publishers of 党政办) handles every application of
  the township; the clerks and leaders of the department it is passed to
  handle it too. Nobody else sees the applicant's data (ID, phone, address).
- The supervision group and the leadership group read every application of their
  township (the list, each application with the applicant's data masked, its events
  and deadline, the masked export) and change nothing. Whoever may not read an
  application is told it does not exist (404).
- The extension is approved by the head (a leader) of the township's disclosure
  office, as 条例 art. 33 requires.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from catalog.models import Membership
from catalog.roles import organizations_for

from .corrections import RecordCorrection
from .models import Application

Role = Membership.Role


def _office_townships(user) -> set[int]:
    return organizations_for(user, Role.PUBLISHER)


def office_townships(user) -> set[int]:
    """The townships whose applications this person handles as the office (党政办)."""
    return _office_townships(user)


def _department_ids(user) -> set[int]:
    return organizations_for(user, Role.CLERK) | organizations_for(user, Role.LEADER)


def _reader_townships(user) -> set[int]:
    # Township-wide roles: catalog.roles covers the township's whole subtree, the
    # township itself (where applications are filed) included.
    return organizations_for(user, Role.SUPERVISOR) | organizations_for(user, Role.LEADERSHIP)


def applications_handled_by(user) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(
        Q(township_id__in=_office_townships(user)) | Q(department_id__in=_department_ids(user))
    )


def can_handle(user, application: Application) -> bool:
    return user.is_authenticated and (
        application.township_id in _office_townships(user)
        or application.department_id in _department_ids(user)
    )


def applications_readable_by(user) -> QuerySet[Application]:
    """What this person may open: what they handle, and for the supervision and
    leadership groups every application of their township."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(
        Q(township_id__in=_office_townships(user) | _reader_townships(user))
        | Q(department_id__in=_department_ids(user))
    )


def can_read(user, application: Application) -> bool:
    return can_handle(user, application) or (
        user.is_authenticated and application.township_id in _reader_townships(user)
    )


def can_read_some(user) -> bool:
    """Whether the applications list is for this person at all (even while it is empty)."""
    return (
        bool(_reader_townships(user) or _office_townships(user))
        or applications_handled_by(user).exists()
    )


def can_register(user) -> bool:
    """Registering applications that arrived on paper or orally is the office's job."""
    return bool(_office_townships(user))


def can_approve_extension(user, application: Application) -> bool:
    office = application.township.disclosure_office_id
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and office is not None
        and office in organizations_for(user, Role.LEADER)
    )


# --- record-correction requests (条例 art. 41) ------------------------------------------
# The township's office answers them (a record may be any department's: the office asks it
# or forwards the request); the supervision and leadership groups read them, masked.


def corrections_readable_by(user) -> QuerySet[RecordCorrection]:
    if not user.is_authenticated:
        return RecordCorrection.objects.none()
    return RecordCorrection.objects.filter(
        township_id__in=_office_townships(user) | _reader_townships(user)
    )


def can_handle_correction(user, correction: RecordCorrection) -> bool:
    return bool(user and user.is_authenticated
                and correction.township_id in _office_townships(user))  # fmt: skip


def can_read_correction(user, correction: RecordCorrection) -> bool:
    return can_handle_correction(user, correction) or (
        user.is_authenticated and correction.township_id in _reader_townships(user)
    )


def can_read_some_corrections(user) -> bool:
    """Whether the requests' list is for this person at all (even while it is empty)."""
    return user.is_authenticated and bool(_office_townships(user) | _reader_townships(user))
