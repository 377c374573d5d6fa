"""Choosing a storage backend by URL.

:func:`open` picks the URL (explicit argument, then the ``EJOURNAL_STORAGE`` environment variable,
then :data:`DEFAULT_URL`), finds the backend for its scheme and calls the backend's
``open_storage(url, **options)``.

Where a scheme's backend comes from, first match wins:

1. factories registered on the :class:`Registry` in use (only on a registry the caller created:
   the module's :data:`DEFAULT_REGISTRY` is read-only);
2. the built-in schemes (``memory``, ``json``, ``sqlite``, ``postgresql``, ``mysql``...), whose
   modules are imported only when a URL of theirs is opened;
3. the ``ejournal.storage`` entry-point group, looked up only when the scheme is none of the above
   (nothing is scanned at import time).

Every URL shown in a message or a repr has its password masked by :func:`mask_url`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from ejournal.core.errors import InvalidInput, StorageUnavailable
from ejournal.storage.ports import Storage

__all__ = [
    "BUILTIN_BACKENDS",
    "DEFAULT_REGISTRY",
    "DEFAULT_URL",
    "ENTRY_POINT_GROUP",
    "ENV_VAR",
    "Registry",
    "StorageFactory",
    "mask_url",
    "open",
    "resolve_url",
    "scheme_of",
]

StorageFactory = Callable[..., Storage]
"""A backend's ``open_storage(url: str, **options) -> Storage``."""

DEFAULT_URL = "sqlite:///ejournal.db"
"""The URL used when neither an argument nor :data:`ENV_VAR` names one."""

ENV_VAR = "EJOURNAL_STORAGE"
"""The environment variable read when :func:`open` gets no URL."""

ENTRY_POINT_GROUP = "ejournal.storage"
"""The entry-point group third-party backends register in (name = URL scheme)."""

BUILTIN_BACKENDS: Mapping[str, str] = {
    "memory": "ejournal.storage.memory",
    "json": "ejournal.storage.jsonfile",
    "sqlite": "ejournal.storage.sql",
    "postgresql": "ejournal.storage.sql",
    "postgresql+psycopg": "ejournal.storage.sql",
    "mysql": "ejournal.storage.sql",
    "mysql+pymysql": "ejournal.storage.sql",
    "mariadb": "ejournal.storage.sql",
    "mariadb+pymysql": "ejournal.storage.sql",
}
"""Built-in schemes and the module (imported lazily) whose ``open_storage`` serves them."""

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_SECRET_PARAMS = re.compile(r"([?&;](?:password|passwd|pwd|secret|token|api_key)=)[^&;#]*", re.IGNORECASE)
_MASK = "***"
_BARE_USERINFO = re.compile(r"(//[^/:@\s]*:)[^@\s]*@")


def mask_url(url: object) -> str:
    """Return ``url`` (a string, or anything whose ``str()`` or SQLAlchemy rendering is a URL) with
    any password replaced by ``***``.

    This is the one masking function of the library: every message, repr and error that shows a
    storage URL goes through it.  It masks the password of the user-info part
    (``postgresql://user:secret@host/db`` becomes ``postgresql://user:***@host/db``; a password
    containing ``@``, ``?`` or ``#`` is masked whole) and the value of
    ``password``/``passwd``/``pwd``/``secret``/``token``/``api_key`` query parameters.  It works on
    the text, so URLs that do not parse (``postgresql://u:secret@host:notaport/db``) are masked too.
    Anything that is not such a URL is returned unchanged.  Never raises.
    """
    text = _url_text(url)
    head, sep, rest = text.partition("://")
    if not sep:
        return _SECRET_PARAMS.sub(lambda m: m.group(1) + _MASK, _BARE_USERINFO.sub(rf"\1{_MASK}@", text))
    if not rest.startswith("/"):
        end = len(rest)
        for stop in "?#":
            i = rest.find(stop)
            if i != -1:
                end = min(end, i)
        at = rest.rfind("@", 0, end)
        if at == -1 or ":" not in rest[:at]:
            # a password containing '?' or '#' ends the search early: look at the whole text
            at = rest.rfind("@")
        if at != -1:
            userinfo = rest[:at]
            user, colon, _password = userinfo.partition(":")
            if colon and "/" not in user:
                rest = f"{user}:{_MASK}{rest[at:]}"
    rest = _SECRET_PARAMS.sub(lambda m: m.group(1) + _MASK, rest)
    return f"{head}{sep}{rest}"


def _url_text(url: object) -> str:
    if isinstance(url, str):
        return url
    render = getattr(url, "render_as_string", None)  # a SQLAlchemy URL hides its password by default
    if callable(render):
        try:
            return str(render(hide_password=False))
        except Exception:  # pragma: no cover - a foreign object; fall back to str()
            pass
    try:
        return str(url)
    except Exception:
        return "<url>"


def scheme_of(url: str) -> str:
    """The URL's scheme, lower-cased (``"postgresql+psycopg"``).

    Raises :class:`InvalidInput` (naming the masked URL) when ``url`` is not ``scheme://...``.
    """
    m = _SCHEME_RE.match(url) if isinstance(url, str) else None
    if m is None:
        raise InvalidInput(
            "storage url", "expected scheme://... (for example memory:// or sqlite:///school.db)", mask_url(url)
        )
    return m.group(1).lower()


def resolve_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The URL to open: ``url`` if given, else ``environ[ENV_VAR]`` if set and not blank, else :data:`DEFAULT_URL`.

    ``environ`` defaults to :data:`os.environ`.  Raises :class:`InvalidInput` for a blank explicit URL.
    """
    if url is not None:
        if not isinstance(url, str) or not url.strip():
            raise InvalidInput("storage url", "must be a non-empty string", url)
        return url.strip()
    env = os.environ if environ is None else environ
    from_env = env.get(ENV_VAR, "").strip()
    return from_env or DEFAULT_URL


def _entry_points(scheme: str) -> list[importlib.metadata.EntryPoint]:
    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP, name=scheme))


def _entry_point_names() -> list[str]:
    return sorted({ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)})


class Registry:
    """Maps URL schemes to backend factories.

    A registry starts with the built-in schemes and falls back to the ``ejournal.storage``
    entry points.  Create your own to add factories in code::

        registry = Registry()
        registry.register("mystore", open_my_storage)
        storage = ejournal.storage.open("mystore://...", registry=registry)

    Factories registered here win over built-in schemes and entry points (so a test can wrap a
    built-in backend).  The shared :data:`DEFAULT_REGISTRY` refuses :meth:`register`.
    """

    def __init__(self, *, builtins: bool = True, entry_points: bool = True) -> None:
        """A registry with the built-in schemes (unless ``builtins=False``) and entry-point lookup
        (unless ``entry_points=False``)."""
        self._factories: dict[str, StorageFactory] = {}
        self._builtins: dict[str, str] = dict(BUILTIN_BACKENDS) if builtins else {}
        self._entry_points = entry_points
        self._read_only = False

    @classmethod
    def _frozen(cls) -> Registry:
        registry = cls()
        registry._read_only = True
        return registry

    def register(self, scheme: str, factory: StorageFactory) -> None:
        """Serve ``scheme://`` URLs with ``factory(url, **options)``.

        Raises :class:`InvalidInput` for a malformed scheme or one already registered on this
        registry, :class:`TypeError` when ``factory`` is not callable or when called on the
        read-only :data:`DEFAULT_REGISTRY`.
        """
        if self._read_only:
            raise TypeError("the default storage registry is read-only: create a Registry() and pass registry=")
        if not isinstance(scheme, str) or _SCHEME_RE.match(f"{scheme}://") is None:
            raise InvalidInput(
                "storage scheme", "expected letters, digits, '+', '-' or '.', starting with a letter", scheme
            )
        if not callable(factory):
            raise TypeError(f"storage factory for {scheme!r} must be callable, got {factory!r}")
        key = scheme.lower()
        if key in self._factories:
            raise InvalidInput("storage scheme", "already registered on this registry", key)
        self._factories[key] = factory

    def known_schemes(self) -> list[str]:
        """Every scheme this registry can open: registered, built-in and (looked up now) entry points."""
        names = set(self._factories) | set(self._builtins)
        if self._entry_points:
            names |= set(_entry_point_names())
        return sorted(names)

    def factory_for(self, url: str) -> StorageFactory:
        """The factory serving ``url``'s scheme.

        Raises :class:`InvalidInput` for a malformed URL or an unknown scheme (naming the scheme and
        the known ones), :class:`StorageUnavailable` when the backend's module or entry point
        cannot be loaded (a missing driver, a broken plug-in).
        """
        scheme = scheme_of(url)
        registered = self._factories.get(scheme)
        if registered is not None:
            return registered
        module_path = self._builtins.get(scheme)
        if module_path is not None:
            return self._load_module(url, module_path)
        if self._entry_points:
            found = self._load_entry_point(url, scheme)
            if found is not None:
                return found
        raise InvalidInput(
            "storage url", f"unknown scheme {scheme!r} (known: {', '.join(self.known_schemes())})", mask_url(url)
        )

    def open(self, url: str | None = None, **options: Any) -> Storage:
        """Open the storage named by ``url`` (see :func:`resolve_url`) with this registry.

        Returns what the backend's factory returns; raises as :meth:`factory_for` and as the
        backend does (:class:`InvalidInput` for bad options, :class:`StorageUnavailable`...).
        """
        resolved = resolve_url(url)
        factory = self.factory_for(resolved)
        storage = factory(resolved, **options)
        if not isinstance(storage, Storage):
            raise StorageUnavailable(
                mask_url(resolved), f"the backend factory {factory!r} returned {type(storage).__name__}, not a Storage"
            )
        return storage

    def __repr__(self) -> str:
        kind = "default, read-only" if self._read_only else f"registered={sorted(self._factories)}"
        return f"<Registry {kind}>"

    @staticmethod
    def _load_module(url: str, module_path: str) -> StorageFactory:
        try:
            module = importlib.import_module(module_path)
        except ImportError as e:
            raise StorageUnavailable(mask_url(url), f"backend module {module_path} cannot be imported: {e}") from e
        factory = getattr(module, "open_storage", None)
        if not callable(factory):
            raise StorageUnavailable(mask_url(url), f"backend module {module_path} has no open_storage()")
        return factory  # type: ignore[no-any-return]

    @staticmethod
    def _load_entry_point(url: str, scheme: str) -> StorageFactory | None:
        eps = _entry_points(scheme)
        if not eps:
            return None
        values = sorted({ep.value for ep in eps})
        if len(values) > 1:
            raise InvalidInput(
                "storage url",
                f"several installed backends claim the scheme {scheme!r}: {', '.join(values)}",
                mask_url(url),
            )
        ep = eps[0]
        try:
            factory = ep.load()
        except Exception as e:  # a broken plug-in must not crash the caller with a foreign error
            raise StorageUnavailable(mask_url(url), f"entry point {ep.name} = {ep.value} cannot be loaded: {e}") from e
        if not callable(factory):
            raise StorageUnavailable(mask_url(url), f"entry point {ep.name} = {ep.value} is not callable")
        return factory  # type: ignore[no-any-return]


DEFAULT_REGISTRY = Registry._frozen()
"""The registry :func:`open` uses by default: built-in schemes plus entry points; read-only."""


def open(url: str | None = None, *, registry: Registry | None = None, **options: Any) -> Storage:
    """Open a storage by URL.

    The URL is ``url`` if given, else the ``EJOURNAL_STORAGE`` environment variable, else
    ``sqlite:///ejournal.db``.  ``registry`` (default :data:`DEFAULT_REGISTRY`) maps its scheme to a
    backend; ``options`` go to the backend's ``open_storage``.

    Raises :class:`InvalidInput` for a malformed URL, an unknown scheme (naming it and the known
    ones) or options the backend refuses; :class:`StorageUnavailable` when the backend cannot be
    loaded or reached.
    """
    return (registry or DEFAULT_REGISTRY).open(url, **options)
