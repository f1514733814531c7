"""Personal numbers at rest: encrypted columns, and a keyed hash to find equal ones.

- **Encryption** (`EncryptedCharField`): Fernet (cryptography: AES-128-CBC with an
  HMAC-SHA256 over it, a random IV per value), under PORTAL_DATA_KEY. A changed or
  truncated value does not decrypt at all, so a row edited in the database is an error,
  never a wrong ID number on a letter. MultiFernet over PORTAL_DATA_KEY and
  PORTAL_DATA_KEY_FALLBACKS: values under an old key still read, new values are written
  under the current one, and `rotate_data_keys` rewrites the old ones.
- **Lookup** (`lookup_hash`): the same value encrypts differently each time, so equal
  numbers are found by HMAC-SHA256 under a second key, PORTAL_LOOKUP_KEY. A plain hash
  of an 18-digit ID number with its birth date and check digit is guessed by trying
  them all; without the key nobody can. Separate keys: reading the hashes' key gives
  nothing to decrypt with, and the other way round.
- **Checks**: `check --deploy` fails while either key is the local one kept under
  var/ (settings `_local_key`: a laptop and the tests need no configuration, but a
  backup of var/ would carry the key next to the data); a malformed key fails every
  check, before the first row is written under it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connections, models, router, transaction

# The version byte 0x80 and a timestamp below 2^40 s: what every Fernet token begins with.
TOKEN_PREFIX = "gAAAAA"
# The files settings keeps the local keys in (settings._local_key), under VAR_DIR.
LOCAL_KEY_FILES = {"PORTAL_DATA_KEY": "data_key", "PORTAL_LOOKUP_KEY": "lookup_key"}
LOOKUP_KEY_MIN_LENGTH = 32


class UndecryptableValue(ImproperlyConfigured):
    """A stored value no configured key opens: the key is wrong, or the row was altered."""


# --- keys ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "PORTAL_DATA_KEY and PORTAL_DATA_KEY_FALLBACKS must be Fernet keys (32 url-safe "
            f"base64-encoded bytes; make one with {GENERATE}): {exc}"
        ) from exc


GENERATE = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


def data_keys() -> tuple[str, ...]:
    """The current key first, then the old ones still read."""
    return (settings.PORTAL_DATA_KEY, *settings.PORTAL_DATA_KEY_FALLBACKS)


def fernet() -> MultiFernet:
    return _fernet(data_keys())


def current_fernet() -> MultiFernet:
    """The current key alone: a value it opens needs no rewriting."""
    return _fernet(data_keys()[:1])


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode("ascii")).decode()


def is_token(value: str) -> bool:
    """Whether `value` is a value one of our keys encrypted (not merely looks like one)."""
    if not value.startswith(TOKEN_PREFIX):
        return False
    try:
        decrypt(value)
    except (InvalidToken, UnicodeError):
        return False
    return True


def lookup_hash(text: str) -> str:
    """HMAC-SHA256 of `text` under PORTAL_LOOKUP_KEY, hex (64 characters); "" for ""."""
    if not text:
        return ""
    key = settings.PORTAL_LOOKUP_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


# --- the field ------------------------------------------------------------------------


class EncryptedCharField(models.CharField):
    """A CharField whose column holds the encrypted value (a text column: the token is
    about three times the text). `max_length` is the text's, for forms and validation.

    - The model instance, forms, templates and the admin see the text; masking
      (applications.privacy) works on it as before.
    - Only `isnull` can be looked up: the same number encrypts differently each time, so
      `filter(id_number=...)` would silently find nothing. Look up the keyed hash.
    - Serialised (dumpdata) as the encrypted value, and read back from it (loaddata), so
      a fixture dump holds no number in clear either.
    - "" stays "" (nothing to hide, and `blank` keeps meaning blank).
    """

    description = "Text encrypted at rest (Fernet)"

    def get_internal_type(self) -> str:
        return "TextField"  # the column: a text one whatever max_length says

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return decrypt(value)
        except (InvalidToken, UnicodeError):
            raise UndecryptableValue(
                f"{self.model._meta.db_table}.{self.column}: a stored value that no key in "
                "PORTAL_DATA_KEY / PORTAL_DATA_KEY_FALLBACKS decrypts (a key was changed "
                "without keeping the old one as a fallback, or the row was altered)."
            ) from None

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str) and is_token(value):
            return decrypt(value)
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def value_to_string(self, obj) -> str:
        value = self.value_from_object(obj)
        return encrypt(value) if value else ""

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted: it cannot be compared in the "
            f"database ('{lookup_name}'); look up its keyed hash instead (portal.crypto)."
        )

    def get_transform(self, lookup_name):
        return None


# --- rewriting rows: the first encryption, and key rotation ------------------------------


def rewrite_rows(
    model,
    fields: Iterable[str],
    *,
    derive: Callable[[dict], dict] | None = None,
    derived: Iterable[str] = (),
    chunk: int = 500,
    out=None,
    label: str = "",
) -> int:
    """Bring every row of `model` to the current keys, `chunk` rows per transaction;
    the number of rows rewritten.

    - Each value of `fields` is read as stored (SQL, not the field: a value still in
      clear would not decrypt) and written back through the field, so it ends up
      encrypted under the current key whether it was in clear or under an old key.
    - `derive(texts)` gives the columns `derived` computed from the texts (the
      applicant's keyed hash, which a new PORTAL_LOOKUP_KEY changes).
    - A row already under the current key with its derived columns equal is left as it
      is, so an interrupted run starts again where it stopped.
    - `out`: a stream for a progress line per chunk (portal.progress).
    """
    from .progress import Progress

    fields = list(fields)
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [opts.get_field(name).column for name in fields]
    derived = list(derived)
    derived_columns = [opts.get_field(name).column for name in derived]
    select = ", ".join(quote(c) for c in [opts.pk.column, *columns, *derived_columns])
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (quoted names only)
        total = cursor.fetchone()[0]
    progress = Progress(label or opts.label, total, out) if out is not None else None
    last, rewritten = None, 0
    while True:
        where = f"WHERE {pk} > %s " if last is not None else ""
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608
                [last, chunk] if last is not None else [chunk],
            )
            rows = cursor.fetchall()
            for row in rows:
                rewritten += _rewrite_row(model, connection.alias, fields, derived, row, derive)
        if not rows:
            break
        last = rows[-1][0]
        if progress:
            progress.step(len(rows))
    return rewritten


def _rewrite_row(model, alias: str, fields, derived, row, derive) -> int:
    pk, stored = row[0], row[1 : 1 + len(fields)]
    old_derived = row[1 + len(fields) :]
    texts = {name: _text_of(value) for name, value in zip(fields, stored, strict=True)}
    new_derived = derive(texts) if derive else {}
    current = all(not value or _under_current_key(value) for value in stored)
    if current and [new_derived[name] for name in derived] == list(old_derived):
        return 0
    model._base_manager.using(alias).filter(pk=pk).update(**texts, **new_derived)
    return 1


def _text_of(stored: str | None) -> str | None:
    """A stored value's text: decrypted when it is ours, as it is when it is in clear."""
    if not stored or not stored.startswith(TOKEN_PREFIX):
        return stored
    try:
        return decrypt(stored)
    except (InvalidToken, UnicodeError):
        return stored  # a value in clear that happens to begin like a token


def _under_current_key(stored: str) -> bool:
    try:
        current_fernet().decrypt(stored.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def plain_rows(model, fields: Iterable[str], *, derive=None, chunk: int = 500) -> None:
    """The way back (a migration's reverse): every value of `fields` in clear again."""
    fields = list(fields)
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [opts.get_field(name).column for name in fields]
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    select = ", ".join(quote(c) for c in [opts.pk.column, *columns])
    last = 0
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s",  # noqa: S608
                [last, chunk],
            )
            rows = cursor.fetchall()
            for pk_value, *stored in rows:
                texts = {name: _text_of(v) for name, v in zip(fields, stored, strict=True)}
                sets = {**texts, **(derive(texts) if derive else {})}
                assignments = ", ".join(
                    f"{quote(opts.get_field(name).column)} = %s" for name in sets
                )
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                    [*sets.values(), pk_value],
                )
        if not rows:
            return
        last = rows[-1][0]


# --- system checks ----------------------------------------------------------------------


def _is_local(name: str) -> bool:
    path = Path(settings.VAR_DIR) / LOCAL_KEY_FILES[name]
    try:
        return path.read_text().strip() == getattr(settings, name)
    except OSError:
        return False


@checks.register(checks.Tags.security)
def check_keys_are_usable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    try:
        _fernet(data_keys())
    except ImproperlyConfigured as exc:
        errors.append(checks.Error(str(exc), id="portal.E101"))
    if not settings.PORTAL_LOOKUP_KEY:
        errors.append(checks.Error("PORTAL_LOOKUP_KEY is empty.", id="portal.E102"))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_keys_are_real(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    if _is_local("PORTAL_DATA_KEY"):
        errors.append(checks.Error(
            "PORTAL_DATA_KEY is not set: applicant ID and phone numbers are encrypted with the "
            "local key kept under var/, next to the database it protects.",
            hint=f"Set PORTAL_DATA_KEY (or PORTAL_DATA_KEY_FILE) to a key made with {GENERATE}, "
                 "kept outside the server's backups of var/.",
            id="portal.E103",
        ))  # fmt: skip
    if _is_local("PORTAL_LOOKUP_KEY"):
        errors.append(checks.Error(
            "PORTAL_LOOKUP_KEY is not set: the keyed hash of applicants' ID numbers uses the "
            "local key kept under var/.",
            hint="Set PORTAL_LOOKUP_KEY (or PORTAL_LOOKUP_KEY_FILE) to a random string of at "
                 "least 32 characters, different from PORTAL_DATA_KEY.",
            id="portal.E104",
        ))  # fmt: skip
    elif len(settings.PORTAL_LOOKUP_KEY) < LOOKUP_KEY_MIN_LENGTH:
        errors.append(checks.Error(
            f"PORTAL_LOOKUP_KEY is shorter than {LOOKUP_KEY_MIN_LENGTH} characters.",
            id="portal.E105",
        ))  # fmt: skip
    if settings.PORTAL_LOOKUP_KEY and settings.PORTAL_LOOKUP_KEY in data_keys():
        errors.append(checks.Error(
            "PORTAL_LOOKUP_KEY is one of the data keys: each must be its own.", id="portal.E106"
        ))  # fmt: skip
    return errors
