"""Profile photos: the bytes decide the type, the stored name and the served content type."""

import uuid

import filetype

# The only photo types accepted, by sniffed MIME type, with the extension they are stored under.
PHOTO_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
# File name extensions a person may give each type.
NAME_EXTENSIONS = {"image/png": {"png"}, "image/jpeg": {"jpg", "jpeg"}, "image/webp": {"webp"}}
SNIFF_BYTES = 8192


def sniff_photo(file) -> str | None:
    """The photo's real MIME type if it is one we accept, else None. Leaves the file at its start."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in PHOTO_EXTENSIONS:
        return None
    return kind.mime


def name_matches(name: str, mime: str) -> bool:
    """Whether the uploaded name's extension says the same type as the content."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension in NAME_EXTENSIONS[mime]


def stored_name(mime: str | None) -> str:
    """A random file name with the extension of the sniffed type; the uploaded name is never kept.

    Anything that is not an accepted photo (which the form refuses anyway) gets `.bin`, never its own name."""
    return f"{uuid.uuid4().hex}.{PHOTO_EXTENSIONS.get(mime, 'bin')}"
