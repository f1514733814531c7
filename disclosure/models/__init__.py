from .attachments import Attachment, AttachmentQuerySet, attachment_path
from .events import ImmutableRecordError, NoticeEvent
from .notices import Notice, NoticeQuerySet

__all__ = [
    "Attachment",
    "AttachmentQuerySet",
    "ImmutableRecordError",
    "Notice",
    "NoticeEvent",
    "NoticeQuerySet",
    "attachment_path",
]
