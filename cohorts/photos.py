"""Profile photos: the bytes decide the type, the stored name and the served content type."""

import io
import uuid
import warnings

import filetype
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from incubator.errors import ServiceError

# The only photo types accepted, by sniffed MIME type, with the extension they are stored under.
PHOTO_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
# File name extensions a person may give each type.
NAME_EXTENSIONS = {"image/png": {"png"}, "image/jpeg": {"jpg", "jpeg"}, "image/webp": {"webp"}}
SNIFF_BYTES = 8192
# A 3 MB file may still claim a huge canvas (a decompression bomb): more pixels than this are refused.
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 1200
PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


class PhotoRefused(ServiceError):
    """An image that cannot be drawn again safely: broken, or a decompression bomb."""


def unreadable_message() -> str:
    return _("This image could not be read, or is too large in pixels; upload a photo of at most 40 megapixels.")


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


def photo_reencode(file, mime: str) -> SimpleUploadedFile:
    """The photo drawn again from its pixels, at most LONGEST_SIDE wide or high.

    Only pixels survive: location and camera metadata, comments and anything appended to the image
    (a polyglot's second half) are left behind. Raises PhotoRefused for bombs and broken images."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoRefused(unreadable_message(), code="too_many_pixels")
                image = ImageOps.exif_transpose(image)
                image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
                if mime == "image/jpeg" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                output = io.BytesIO()
                image.save(output, format=PILLOW_FORMATS[mime])
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise PhotoRefused(unreadable_message(), code="unreadable") from error
    return SimpleUploadedFile(f"photo.{PHOTO_EXTENSIONS[mime]}", output.getvalue(), content_type=mime)
